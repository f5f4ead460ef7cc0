/**
 * A closing server leaves the broker before its other parts close: an instance closing under a
 * backlog of device messages must stop taking them at once, or it overruns its supervisor's
 * deadline and is killed (measured: 10 s and SIGKILL at 16,000 msg/s offered, after which the
 * killed instance's shared session kept a third of the devices' messages queued for nobody).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/index';
import { writeTinyTwin, type TinyTwin } from '../fixtures/tinyTwin';

let twin: TinyTwin;

beforeAll(async () => {
  twin = await writeTinyTwin({ poles: 2 });
});

afterAll(async () => {
  await twin?.cleanup();
});

describe('closing the server', () => {
  it('disconnects the ingest from the broker before any part of the server closes', async () => {
    const app = await buildApp({ twinDir: twin.dir, port: 0, mqttPort: 0, host: '127.0.0.1', simulator: false });
    // The case storage is registered after the ingest, so its onClose hook runs before the
    // ingest's (they run in reverse order): whether the ingest is still connected then tells.
    let ingestConnectedWhenStorageCloses: boolean | undefined;
    const { storage } = app;
    const closeStorage = storage.close.bind(storage);
    storage.close = async () => {
      ingestConnectedWhenStorageCloses = app.ingest.connected();
      await closeStorage();
    };
    expect(app.ingest.connected()).toBe(true);
    await app.close();
    expect(ingestConnectedWhenStorageCloses).toBe(false);
    expect(app.ingest.connected()).toBe(false);
  });
});

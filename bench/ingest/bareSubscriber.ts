/**
 * The baseline's consumer: a bare mqtt.js client on the same embedded broker, subscribed like the
 * ingest (QoS 1) but to the baseline topics, that counts messages and reads the publish time from
 * a fixed offset (telemetry.ts TS_OFFSET) — no JSON parsing, no validation, no state, no WebSocket.
 * What it costs is what any consumer of this broker costs; the ingest's excess over it is citytwin's.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { BASELINE_PREFIX } from './protocol';
import { readTs } from './telemetry';

export class BareSubscriber {
  /** Messages received since connecting. */
  received = 0;
  /** Publish → receipt, ms, since the last `resetLatencies()`. */
  latencies: number[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on('message', (_topic, payload) => {
      this.received += 1;
      const ts = readTs(payload);
      if (ts > 0) this.latencies.push(Date.now() - ts);
    });
  }

  /** `filter`: the baseline topics by default (bench:live subscribes it to the citytwin topics on a broker of its own). */
  static async connect(url: string, credential: { username?: string; password?: string } = {}, filter = `${BASELINE_PREFIX}/+/telemetry`): Promise<BareSubscriber> {
    const client = await mqtt.connectAsync(url, { clientId: `bench-baseline-${process.pid}`, reconnectPeriod: 0, clean: true, ...credential });
    try {
      await client.subscribeAsync(filter, { qos: 1 });
    } catch (err) {
      await client.endAsync();
      throw err;
    }
    return new BareSubscriber(client);
  }

  resetLatencies(): void {
    this.latencies = [];
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}

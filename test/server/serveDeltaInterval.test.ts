import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../cli/serve';

// The refusals come before anything is built or started, so no server runs here.
describe('citytwin serve --delta-interval-ms', () => {
  afterEach(() => {
    delete process.env.CITYTWIN_DELTA_INTERVAL_MS;
  });
  const run = (args: string[]): Promise<void> => serveCommand(args, () => undefined);

  it('refuses a batch window outside 10–5000 ms or not an integer, naming the option', async () => {
    await expect(run(['--delta-interval-ms', '5'])).rejects.toThrow(/--delta-interval-ms must be between 10 and 5000, got 5/);
    await expect(run(['--delta-interval-ms', '6000'])).rejects.toThrow(/--delta-interval-ms must be between 10 and 5000/);
    await expect(run(['--delta-interval-ms', '12.5'])).rejects.toThrow(/--delta-interval-ms must be an integer/);
  });

  it('refuses a bad CITYTWIN_DELTA_INTERVAL_MS, naming the variable', async () => {
    process.env.CITYTWIN_DELTA_INTERVAL_MS = 'fast';
    await expect(run([])).rejects.toThrow(/CITYTWIN_DELTA_INTERVAL_MS must be an integer, got "fast"/);
  });
});

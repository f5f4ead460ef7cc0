import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../cli/serve';

// The refusals come before anything is built or started, so no server runs here.
describe('citytwin serve --password-cost', () => {
  afterEach(() => {
    delete process.env.CITYTWIN_PASSWORD_COST;
  });
  const run = (args: string[]): Promise<void> => serveCommand(args, () => undefined);

  it('refuses a cost outside 10–20 or not an integer, naming the option', async () => {
    await expect(run(['--password-cost', '9'])).rejects.toThrow(/--password-cost must be between 10 and 20, got 9/);
    await expect(run(['--password-cost', '21'])).rejects.toThrow(/--password-cost must be between 10 and 20/);
    await expect(run(['--password-cost', '15.5'])).rejects.toThrow(/--password-cost must be an integer/);
  });

  it('refuses a bad CITYTWIN_PASSWORD_COST, naming the variable', async () => {
    process.env.CITYTWIN_PASSWORD_COST = 'high';
    await expect(run([])).rejects.toThrow(/CITYTWIN_PASSWORD_COST must be an integer, got "high"/);
  });
});

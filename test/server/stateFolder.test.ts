import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCaseApp } from '../cases/caseApp';

describe("the server's state folder", () => {
  it('removes a temporary folder of its own on close, after the database is closed', async () => {
    const t = await startCaseApp();
    const dir = t.app.dataDir;
    expect(path.basename(dir)).toMatch(/^citytwin-state-/);
    // The case database lives there while the server runs.
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    await t.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves a folder it was given in place', async () => {
    const given = mkdtempSync(path.join(tmpdir(), 'citytwin-given-'));
    try {
      const t = await startCaseApp({ dataDir: given });
      await t.close();
      expect(readdirSync(given).length).toBeGreaterThan(0);
    } finally {
      rmSync(given, { recursive: true, force: true });
    }
  });
});

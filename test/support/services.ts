/**
 * The outside programs some tests drive (Debian's PostgreSQL, Mosquitto, SUMO, mosquitto_pub).
 * Off CI a missing one is a warning and the tests that need it skip, so `npm test` works on a
 * machine without them. In CI (`CI=true`) a missing one fails the run: `.ci/run` installs them
 * all, so a skip there would only hide a broken install.
 */
import { execFileSync } from 'node:child_process';

export const IN_CI = process.env.CI === 'true';

/** `present`, after failing loudly in CI or warning elsewhere when it is false. */
export function serviceAvailable(name: string, present: boolean, install: string): boolean {
  if (present) return true;
  if (IN_CI) throw new Error(`${name} is missing, and CI runs every test: ${install} (.ci/run installs it)`);
  console.warn(`${name} is not installed: the tests that need it are skipped (${install})`);
  return false;
}

/** The absolute path of `command` on PATH, or undefined. */
export function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

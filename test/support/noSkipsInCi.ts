/**
 * A vitest reporter for CI: a skipped test is a failed test there (every service the tests need
 * is installed by .ci/run), so any skip fails the run, with the skipped tests named.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class NoSkipsInCi implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') skipped.push(`${module.moduleId.replace(process.cwd() + '/', '')} > ${test.fullName}`);
      }
    }
    if (skipped.length === 0) return;
    console.error(`\nCI=true: ${skipped.length} test(s) skipped, and a skipped test is a failed test in CI:\n  ${skipped.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}

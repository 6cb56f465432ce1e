import type { Reporter, TestModule } from 'vitest/node';

/** Ends the test output with the one line CI reads: `Tests: N passed, N failed, N skipped`. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    // Printed after the default reporter's own summary so it is the last line.
    setImmediate(() =>
      process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`),
    );
  }
}

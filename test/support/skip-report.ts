/**
 * Ends a run with the suites that were skipped here and why: the files with skipped tests, then each
 * optional requirement that is missing. Quiet when nothing was skipped.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { optionalNeeds } from './needs.ts';

export default class SkipReport implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    let skipped = 0;
    for (const module of [...modules].sort((a, b) => a.relativeModuleId.localeCompare(b.relativeModuleId))) {
      const tests = [...module.children.allTests()];
      const count = tests.filter((t) => t.result().state === 'skipped').length;
      if (count === 0) continue;
      skipped += count;
      lines.push(`  ${module.relativeModuleId}: ${count === tests.length ? 'all' : count} of ${tests.length} tests`);
    }
    if (skipped === 0) return;
    const missing = optionalNeeds().filter((need) => !need.present);
    console.log(`\nSkipped here: ${skipped} tests in ${lines.length} ${lines.length === 1 ? 'file' : 'files'}`);
    console.log(lines.join('\n'));
    if (missing.length > 0) {
      console.log('Missing here:');
      for (const need of missing) console.log(`  ${need.name}: ${need.missing}`);
    }
  }
}

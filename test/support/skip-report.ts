/**
 * Ends a run with the files whose tests were skipped here and why: beside each file, the missing
 * requirements it checks for, then where each was looked for and how to provide it. Quiet when nothing
 * was skipped.
 */
import { readFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { optionalNeeds, type Need } from './needs.ts';

export default class SkipReport implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const missing = optionalNeeds().filter((need) => !need.present);
    const lines: string[] = [];
    const causes = new Set<Need>();
    let skipped = 0;
    for (const module of [...modules].sort((a, b) => a.relativeModuleId.localeCompare(b.relativeModuleId))) {
      const tests = [...module.children.allTests()];
      const count = tests.filter((t) => t.result().state === 'skipped').length;
      if (count === 0) continue;
      skipped += count;
      const source = readFileSync(module.moduleId, 'utf8');
      const needs = missing.filter((need) => need.named.test(source));
      for (const need of needs) causes.add(need);
      const why = needs.length > 0 ? `: no ${needs.map((n) => n.name).join(', no ')}` : '';
      lines.push(`  ${module.relativeModuleId}: ${count === tests.length ? 'all' : count} of ${tests.length} tests${why}`);
    }
    if (skipped === 0) return;
    console.log(`\nSkipped here: ${skipped} tests in ${lines.length} ${lines.length === 1 ? 'file' : 'files'}`);
    console.log(lines.join('\n'));
    if (causes.size > 0) console.log('Missing here:');
    for (const need of causes) console.log(`  ${need.name}: ${need.missing}`);
  }
}

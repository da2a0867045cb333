import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects, chosen by path so that a new test file lands in the right one without touching this file:
 * `unit` (`npm test`) is the quick run, the unit suites and the demo build; `slow` (`npm run test:slow`)
 * holds what builds the corpus, drives a browser or feeds the pipeline hostile input.
 */
const SLOW = [
  'test/hostile/**/*.test.ts',
  'test/browser/**/*.test.ts',
  // End-to-end builds (the corpus, the GitHub path with injected faults, rebuilds), but for the demo build,
  // which is quick and stays in `npm test`.
  'test/e2e/**/!(demo-build).test.ts',
  // Any suite named after the corpus, wherever it sits.
  'test/**/*corpus*.test.ts',
  // Kills a build of the corpus part-way through and rebuilds it.
  'test/publish/kill.test.ts',
  // Render worker threads, each warming up its own parser and highlighter.
  'test/render/workers.test.ts',
];

export default defineConfig({
  test: {
    // Only catches a hung test: a build under test takes a few seconds alone and over a minute on a 2-core
    // machine busy with other work.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Vitest's default leaves one core free, which on a 2-core CI runner means one test file at a time; most
    // suites wait on builds and child processes, so two at a time finish the run in about 60% of the time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The command-line suites run the compiled program; it is brought up to date once, before them.
    globalSetup: ['./test/support/compile.ts'],
    // Ends each run with the suites skipped here and what was missing for them.
    reporters: ['default', './test/support/skip-report.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW },
      },
      {
        extends: true,
        // A corpus build takes 1-3 min on a 2-core machine busy with other work, and two of them in one hook
        // took 5.5 min: these timeouts only catch a hung test.
        test: { name: 'slow', include: SLOW, testTimeout: 600_000, hookTimeout: 1_500_000 },
      },
    ],
  },
});

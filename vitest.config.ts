import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest's default leaves one core free, which on a 2-core CI runner means one test file at a time; most
    // suites wait on builds and child processes, so two at a time finish the run in about 60% of the time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});

/**
 * Vitest global setup: compiles src/ into dist/ once before any suite starts, when src/ is newer, so that the
 * command-line suites (test/support/cli.ts) run the program as users do and never race to compile it.
 */
// @ts-expect-error: bin/ is plain JavaScript without type declarations.
import { ensureCompiled } from '../../bin/compile.js';

export default function setup(): void {
  (ensureCompiled as () => void)();
}

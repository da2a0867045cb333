/** Where the shared corpus snapshot is, for the suites that need real data. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const CORPUS_DIR = path.resolve(PROJECT_ROOT, process.env.CORPUS_DIR ?? '../shared/corpus');
export const CORPUS_SNAPSHOT = path.join(CORPUS_DIR, 'github');
export const HAS_CORPUS = existsSync(path.join(CORPUS_SNAPSHOT, 'uc-cdis'));

/** Says once, in the test output, why a corpus suite does not run here. */
export function noteCorpusSkip(suite: string): void {
  if (!HAS_CORPUS) console.warn(`[skipped] ${suite}: no corpus at ${CORPUS_DIR} (set CORPUS_DIR to run it)`);
}

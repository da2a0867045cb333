/** Files of src/ stay small enough to read in one sitting: a file over the limit is split along its seams. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../support/files.ts';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const MAX_LINES = 400;

describe('source files', () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const all = listFiles(SRC).filter((f) => /\.(ts|mjs|js)$/.test(f));
    expect(all.length).toBeGreaterThan(50);
    const long = all.map((file) => ({ file, lines: readFileSync(path.join(SRC, file), 'utf8').split('\n').length })).filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});

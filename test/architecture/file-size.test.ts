/** Files of src/ stay small enough to read in one sitting: a file over the limit is split along its seams. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const MAX_LINES = 400;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

describe('source files', () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const all = files(SRC);
    expect(all.length).toBeGreaterThan(50);
    const long = all.map((f) => ({ file: path.relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length })).filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});

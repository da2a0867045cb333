import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const HOSTS = ['github.com', 'raw.githubusercontent.com', 'api.github.com'];

/** Where GitHub's hosts may be named: the forge module and the GitHub source. */
function mayNameHosts(file: string): boolean {
  return file.startsWith('forge/') || /^sources\/github[^/]*\.ts$/.test(file);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(SRC, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('GitHub knowledge', () => {
  it('names GitHub hosts only in the forge module and the GitHub source', () => {
    const files = filesUnder(SRC);
    expect(files.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const file of files) {
      if (mayNameHosts(file)) continue;
      const lines = readFileSync(path.join(SRC, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const lower = line.toLowerCase();
        const host = HOSTS.find((h) => lower.includes(h));
        if (host) offenders.push(`src/${file}:${i + 1} names ${host}`);
      });
    }
    expect(offenders, 'build or parse these URLs through src/forge/ instead').toEqual([]);
  });
});

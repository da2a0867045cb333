import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedSearchIndex, type SearchIndex } from '../../src/compose/search-cache.ts';
import type { SearchIndexFiles } from '../../src/compose/search.ts';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

/** Stands in for Pagefind: writes a few files into the folder it is given, as writeFiles does. */
function maker(label: string) {
  const calls: string[] = [];
  const make = async (dir: string): Promise<SearchIndexFiles> => {
    calls.push(dir);
    mkdirSync(path.join(dir, 'fragment'), { recursive: true });
    writeFileSync(path.join(dir, 'pagefind.js'), `// ${label}`);
    writeFileSync(path.join(dir, 'fragment/en_1.pf_fragment'), Buffer.from([0, 1, 2, label.length]));
    return { dir, files: ['fragment/en_1.pf_fragment', 'pagefind.js'], pages: 2 };
  };
  return { make, calls };
}

function publish(index: SearchIndex): Record<string, string> {
  try {
    return Object.fromEntries([...index.files()].map((f) => [f.path, Buffer.from(f.content).toString('hex')]));
  } finally {
    index.close();
  }
}

const newCache = () => mkdtempSync(path.join(tmpdir(), 'search-cache-'));

describe('the search index cache', () => {
  it('keeps the index Pagefind wrote into the cache and gives it back for the same pages without running it', async () => {
    const cache = newCache();
    const first = maker('one');
    const made = await cachedSearchIndex(cache, KEY_A, first.make);
    expect(made).toMatchObject({ cached: false, pages: 2, bytes: '// one'.length + 4 });
    expect(first.calls[0]!.startsWith(path.join(cache, 'search'))).toBe(true);
    const madeFiles = publish(made);
    expect(Object.keys(madeFiles)).toEqual(['pagefind/fragment/en_1.pf_fragment', 'pagefind/pagefind.js']);
    expect(readdirSync(path.join(cache, 'search'))).toEqual([KEY_A]);

    const again = maker('two');
    const cached = await cachedSearchIndex(cache, KEY_A, again.make);
    expect(again.calls).toEqual([]);
    expect(cached).toMatchObject({ cached: true, pages: 2, bytes: made.bytes });
    expect(publish(cached)).toEqual(madeFiles);
  });

  it('makes the index again for other pages, and keeps only the new one', async () => {
    const cache = newCache();
    publish(await cachedSearchIndex(cache, KEY_A, maker('one').make));
    writeFileSync(path.join(cache, 'search', 'index.json'), 'an index kept the way earlier versions kept it');
    const other = maker('three');
    const index = await cachedSearchIndex(cache, KEY_B, other.make);
    expect(other.calls).toHaveLength(1);
    expect(publish(index)['pagefind/pagefind.js']).toBe(Buffer.from('// three').toString('hex'));
    expect(readdirSync(path.join(cache, 'search'))).toEqual([KEY_B]);
  });

  it('makes the index again when a listed file is gone, naming that file', async () => {
    const cache = newCache();
    publish(await cachedSearchIndex(cache, KEY_A, maker('one').make));
    const gone = path.join(cache, 'search', KEY_A, 'files', 'pagefind.js');
    rmSync(gone);
    const damaged: string[] = [];
    const again = maker('one');
    const index = await cachedSearchIndex(cache, KEY_A, again.make, (file) => damaged.push(file));
    expect(damaged).toEqual([gone]);
    expect(index.cached).toBe(false);
    expect(publish(index)['pagefind/pagefind.js']).toBe(Buffer.from('// one').toString('hex'));
    expect(existsSync(gone)).toBe(true);
  });

  it('leaves no half-made folder in the cache when Pagefind fails', async () => {
    const cache = newCache();
    const failing = async (dir: string): Promise<SearchIndexFiles> => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'pagefind.js'), 'half');
      throw new Error('search index: out of memory');
    };
    await expect(cachedSearchIndex(cache, KEY_A, failing)).rejects.toThrow('out of memory');
    expect(readdirSync(path.join(cache, 'search'))).toEqual([]);
  });

  it('without a cache, or with one it cannot write, makes the index in a temporary folder that closing removes', async () => {
    const blocked = newCache();
    writeFileSync(path.join(blocked, 'search'), 'a file where the folder should be');
    for (const cache of [undefined, blocked]) {
      const { make, calls } = maker('four');
      const index = await cachedSearchIndex(cache, KEY_A, make);
      expect(index.cached).toBe(false);
      expect(calls[0]!.startsWith(tmpdir())).toBe(true);
      expect(publish(index)['pagefind/pagefind.js']).toBe(Buffer.from('// four').toString('hex'));
      expect(existsSync(path.dirname(calls[0]!))).toBe(false);
    }
  });
});

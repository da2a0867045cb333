/**
 * The search index of the last build, kept in <cache>/search/: when the pages Pagefind would index are
 * byte-identical to last time, their index is too, and Pagefind is not run again (it is most of a warm
 * build's compose time). One entry is kept; it is replaced atomically. The entry carries the hash of its bytes
 * (cache/entry.ts): an index edited or damaged in the cache is made again, never published.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readJsonEntry, writeEntry, type CacheDamage } from '../cache/entry.ts';
import type { OutputFile } from '../core/bundle.ts';
import type { SearchIndexResult } from './search.ts';

interface Entry {
  key: string;
  pages: number;
  files: { path: string; content: string }[];
}

/** Hashes the pages Pagefind would index, in the order they are made, with the program version. */
export class SearchKey {
  private readonly hash;
  constructor(version: string) {
    this.hash = createHash('sha256').update(version);
  }
  add(file: OutputFile): void {
    if (file.path.endsWith('.html')) this.hash.update(file.path).update('\0').update(file.content).update('\0');
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

export async function cachedSearchIndex(
  cacheDir: string | undefined,
  key: string,
  make: () => Promise<SearchIndexResult>,
  onDamage?: CacheDamage,
): Promise<SearchIndexResult & { cached: boolean }> {
  if (!cacheDir) return { ...(await make()), cached: false };
  const file = path.join(cacheDir, 'search', 'index.json');
  const read = await readJsonEntry<Entry>(file);
  if (read.state === 'damaged') onDamage?.(file, 'the search index was made again');
  if (read.state === 'ok' && read.value.key === key && Array.isArray(read.value.files)) {
    const files = read.value.files.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64') }));
    return { files, pages: read.value.pages, bytes: files.reduce((n, f) => n + f.content.length, 0), cached: true };
  }
  const made = await make();
  const entry: Entry = { key, pages: made.pages, files: made.files.map((f) => ({ path: f.path, content: Buffer.from(f.content).toString('base64') })) };
  // A cache that cannot be written only costs time.
  await writeEntry(file, JSON.stringify(entry)).catch(() => {});
  return { ...made, cached: false };
}

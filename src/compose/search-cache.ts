/**
 * The search index of the last build, kept in <cache>/search/: when the pages Pagefind would index are
 * byte-identical to last time, their index is too, and Pagefind is not run again (it is most of a warm
 * build's compose time). One entry is kept; it is replaced atomically.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from './site.ts';
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
): Promise<SearchIndexResult & { cached: boolean }> {
  if (!cacheDir) return { ...(await make()), cached: false };
  const file = path.join(cacheDir, 'search', 'index.json');
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as Entry;
    if (entry.key === key) {
      const files = entry.files.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64') }));
      return { files, pages: entry.pages, bytes: files.reduce((n, f) => n + f.content.length, 0), cached: true };
    }
  } catch {
    // no entry, or a damaged one: make the index
  }
  const made = await make();
  const entry: Entry = { key, pages: made.pages, files: made.files.map((f) => ({ path: f.path, content: Buffer.from(f.content).toString('base64') })) };
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(entry));
  await rename(temp, file).catch(async () => rm(temp, { force: true }));
  return { ...made, cached: false };
}

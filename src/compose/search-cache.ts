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

/** A hash of every page's path and bytes, in order, with the Pagefind version. */
function keyOf(site: OutputFile[], version: string): string {
  const hash = createHash('sha256').update(version);
  for (const file of site) {
    if (!file.path.endsWith('.html')) continue;
    hash.update(file.path).update('\0').update(file.content).update('\0');
  }
  return hash.digest('hex');
}

export async function cachedSearchIndex(
  cacheDir: string | undefined,
  site: OutputFile[],
  version: string,
  make: (site: OutputFile[]) => Promise<SearchIndexResult>,
): Promise<SearchIndexResult & { cached: boolean }> {
  if (!cacheDir) return { ...(await make(site)), cached: false };
  const file = path.join(cacheDir, 'search', 'index.json');
  const key = keyOf(site, version);
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as Entry;
    if (entry.key === key) {
      const files = entry.files.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64') }));
      return { files, pages: entry.pages, bytes: files.reduce((n, f) => n + f.content.length, 0), cached: true };
    }
  } catch {
    // no entry, or a damaged one: make the index
  }
  const made = await make(site);
  const entry: Entry = { key, pages: made.pages, files: made.files.map((f) => ({ path: f.path, content: Buffer.from(f.content).toString('base64') })) };
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(entry));
  await rename(temp, file).catch(async () => rm(temp, { force: true }));
  return { ...made, cached: false };
}

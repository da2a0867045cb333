/**
 * The search index of the last build, kept in <cache>/search/<key>/: when the pages Pagefind would index are
 * byte-identical to last time, their index is too, and Pagefind is not run again (it is most of a warm
 * build's compose time). One index is kept. Pagefind writes its files into the cache folder itself; a sealed
 * list beside them (cache/entry.ts) records the hash of each, so that an index edited or damaged in the cache
 * is made again, never published. The folder is renamed into place once complete.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readJsonEntrySync, writeEntrySync, type CacheDamage } from '../cache/entry.ts';
import type { OutputFile } from '../core/bundle.ts';
import type { SearchIndexFiles } from './search.ts';

interface Entry {
  key: string;
  pages: number;
  files: { path: string; sha256: string }[];
}

/** The index to publish: its files are read one at a time as they are published, then `close` tidies up. */
export interface SearchIndex {
  pages: number;
  bytes: number;
  cached: boolean;
  files(): Iterable<OutputFile>;
  close(): void;
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

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ENTRY = 'entry';
const FILES = 'files';

/** Pagefind's files in `dir`, read as they are published under out/pagefind/. */
function* filesIn(dir: string, files: string[], held?: Map<string, Buffer>): Iterable<OutputFile> {
  for (const file of files) yield { path: `pagefind/${file}`, content: held?.get(file) ?? readFileSync(path.join(dir, file)) };
}

function bytesOf(dir: string, files: string[]): number {
  return files.reduce((n, file) => n + statSync(path.join(dir, file)).size, 0);
}

/** The cached index for `key`, every file checked against its recorded hash; undefined when absent or damaged. */
function readCached(folder: string, key: string, onDamage?: CacheDamage): SearchIndex | undefined {
  const read = readJsonEntrySync<Entry>(path.join(folder, ENTRY));
  if (read.state === 'absent') return undefined;
  const damaged = (file: string) => {
    onDamage?.(file, 'the search index was made again');
    return undefined;
  };
  if (read.state === 'damaged' || !Array.isArray(read.value.files)) return damaged(path.join(folder, ENTRY));
  if (read.value.key !== key) return undefined;
  const dir = path.join(folder, FILES);
  const held = new Map<string, Buffer>();
  for (const { path: file, sha256: recorded } of read.value.files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(dir, file));
    } catch {
      return damaged(path.join(dir, file));
    }
    if (sha256(bytes) !== recorded) return damaged(path.join(dir, file));
    held.set(file, bytes);
  }
  const files = read.value.files.map((f) => f.path);
  return { pages: read.value.pages, bytes: [...held.values()].reduce((n, b) => n + b.length, 0), cached: true, files: () => filesIn(dir, files, held), close() {} };
}

/**
 * Makes the index into a new folder of the cache and renames it into place; the other folders go. Should the
 * cache not take it, the index is published from where it was made all the same.
 */
async function makeCached(searchDir: string, folder: string, key: string, make: (dir: string) => Promise<SearchIndexFiles>): Promise<SearchIndex> {
  const temp = path.join(searchDir, `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const removeTemp = () => rmSync(temp, { recursive: true, force: true });
  try {
    mkdirSync(temp, { recursive: true });
  } catch {
    return makeTemporary(make);
  }
  let made: SearchIndexFiles;
  try {
    made = await make(path.join(temp, FILES));
  } catch (error) {
    removeTemp();
    throw error;
  }
  let bytes = 0;
  const files = made.files.map((file) => {
    const content = readFileSync(path.join(made.dir, file));
    bytes += content.length;
    return { path: file, sha256: sha256(content) };
  });
  const paths = made.files;
  try {
    writeEntrySync(path.join(temp, ENTRY), JSON.stringify({ key, pages: made.pages, files } satisfies Entry));
    rmSync(folder, { recursive: true, force: true });
    renameSync(temp, folder);
  } catch {
    // A cache that cannot be written only costs time.
    return { pages: made.pages, bytes, cached: false, files: () => filesIn(made.dir, paths), close: removeTemp };
  }
  for (const name of readdirSync(searchDir)) if (name !== path.basename(folder)) rmSync(path.join(searchDir, name), { recursive: true, force: true });
  return { pages: made.pages, bytes, cached: false, files: () => filesIn(path.join(folder, FILES), paths), close() {} };
}

/** The index made where no cache is kept: in a temporary folder, removed by `close`. */
async function makeTemporary(make: (dir: string) => Promise<SearchIndexFiles>): Promise<SearchIndex> {
  const temp = mkdtempSync(path.join(tmpdir(), 'gen3-docs-search-'));
  const close = () => rmSync(temp, { recursive: true, force: true });
  try {
    const made = await make(path.join(temp, FILES));
    return { pages: made.pages, bytes: bytesOf(made.dir, made.files), cached: false, files: () => filesIn(made.dir, made.files), close };
  } catch (error) {
    close();
    throw error;
  }
}

export async function cachedSearchIndex(cacheDir: string | undefined, key: string, make: (dir: string) => Promise<SearchIndexFiles>, onDamage?: CacheDamage): Promise<SearchIndex> {
  if (!cacheDir) return makeTemporary(make);
  const searchDir = path.join(cacheDir, 'search');
  const folder = path.join(searchDir, key);
  const cached = readCached(folder, key, onDamage);
  if (cached) return cached;
  return makeCached(searchDir, folder, key, make);
}

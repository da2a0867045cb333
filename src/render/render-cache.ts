/**
 * Rendered pages kept between builds in <cache>/render/, one JSON file per page, written atomically (a killed
 * build leaves at worst a stray temp file). An entry is used only by the same pipeline version, for the same
 * file, blob and page URL, while its recorded dependencies still hold (dependencies.ts), and while its bytes
 * hash to what was recorded when it was written (cache/entry.ts): a page edited in the cache is rendered again.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readJsonEntry, writeEntry, type CacheDamage } from '../cache/entry.ts';
import { CODE_EXT, CODE_ROOT, PROJECT_ROOT, filesUnder, hashOfFiles } from '../core/code-version.ts';
import type { Dependency } from './dependencies.ts';
import type { RenderedPage } from './types.ts';

export interface CachedRender {
  version: string;
  repo: string;
  path: string;
  blobSha: string;
  pageUrl: string;
  /** dialectKey() of the dialect the page was rendered in. */
  dialect: string;
  deps: Dependency[];
  page: RenderedPage;
}

let version: string | undefined;
/**
 * The pipeline version: a hash of the rendering code, the shared core, the URL scheme and the locked dependency versions, so a
 * change to any of them invalidates every cached render.
 */
export function pipelineVersion(): string {
  version ??= hashOfFiles([
    ...filesUnder(path.join(CODE_ROOT, 'render')),
    ...filesUnder(path.join(CODE_ROOT, 'core')),
    path.join(CODE_ROOT, `catalog/urls${CODE_EXT}`),
    path.join(CODE_ROOT, `catalog/markdown-paths${CODE_EXT}`),
    path.join(PROJECT_ROOT, 'package-lock.json'),
  ]).slice(0, 16);
  return version;
}

/**
 * Entries a long-running process (`npm run dev`) keeps between its builds, as the JSON they are stored as: a
 * rebuild then reads no file for an unchanged page. Kept as text, so that what a build does to its pages
 * never reaches the next build.
 */
export class RenderMemory {
  readonly entries = new Map<string, string>();
}

export class RenderCache {
  readonly dir: string;
  readonly version: string;

  constructor(
    cacheDir: string,
    pipeline = pipelineVersion(),
    private readonly onDamage?: CacheDamage,
    private readonly memory?: RenderMemory,
  ) {
    this.dir = path.join(cacheDir, 'render');
    this.version = pipeline;
  }

  private fileOf(repo: string, filePath: string, pageUrl: string, dialect: string): string {
    const key = createHash('sha256').update(`${repo.toLowerCase()}\0${filePath}\0${pageUrl}\0${dialect}`).digest('hex');
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry for this page if it was made by this pipeline from the same blob; dependencies are checked by the caller. */
  async get(repo: string, filePath: string, pageUrl: string, blobSha: string, dialect: string): Promise<CachedRender | undefined> {
    const file = this.fileOf(repo, filePath, pageUrl, dialect);
    const remembered = this.memory?.entries.get(file);
    let entry: CachedRender;
    if (remembered !== undefined) {
      entry = JSON.parse(remembered) as CachedRender;
    } else {
      const read = await readJsonEntry<CachedRender>(file);
      if (read.state === 'damaged') this.onDamage?.(file, `${repo}/${filePath} was rendered again`);
      if (read.state !== 'ok') return undefined;
      entry = read.value;
      this.memory?.entries.set(file, JSON.stringify(entry));
    }
    const valid = entry.version === this.version && entry.blobSha === blobSha && entry.path === filePath && entry.pageUrl === pageUrl && entry.dialect === dialect;
    return valid ? entry : undefined;
  }

  async put(entry: Omit<CachedRender, 'version'>): Promise<void> {
    const file = this.fileOf(entry.repo, entry.path, entry.pageUrl, entry.dialect);
    const payload = JSON.stringify({ version: this.version, ...entry });
    this.memory?.entries.set(file, payload);
    await writeEntry(file, payload);
  }
}

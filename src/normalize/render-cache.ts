/**
 * Rendered pages kept between builds in <cache>/render/, one JSON file per page, written atomically (a killed
 * build leaves at worst a stray temp file). An entry is used only by the same pipeline version, for the same
 * file, blob and page URL, and while its recorded dependencies still hold (dependencies.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT, filesUnder, hashOfFiles } from '../code-version.ts';
import type { Dependency } from './dependencies.ts';
import type { RenderedPage } from './types.ts';

export interface CachedRender {
  version: string;
  repo: string;
  path: string;
  blobSha: string;
  pageUrl: string;
  deps: Dependency[];
  page: RenderedPage;
}

let version: string | undefined;
/**
 * The pipeline version: a hash of the rendering code, the URL scheme and the locked dependency versions, so a
 * change to any of them invalidates every cached render.
 */
export function pipelineVersion(): string {
  version ??= hashOfFiles([
    ...filesUnder(path.join(PROJECT_ROOT, 'src/normalize')),
    path.join(PROJECT_ROOT, 'src/catalog/urls.ts'),
    path.join(PROJECT_ROOT, 'src/catalog/markdown-paths.ts'),
    path.join(PROJECT_ROOT, 'package-lock.json'),
  ]).slice(0, 16);
  return version;
}

export class RenderCache {
  readonly dir: string;
  readonly version: string;
  hits = 0;
  misses = 0;
  writes = 0;

  constructor(cacheDir: string, pipeline = pipelineVersion()) {
    this.dir = path.join(cacheDir, 'render');
    this.version = pipeline;
  }

  private fileOf(repo: string, filePath: string, pageUrl: string): string {
    const key = createHash('sha256').update(`${repo.toLowerCase()}\0${filePath}\0${pageUrl}`).digest('hex');
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry for this page if it was made by this pipeline from the same blob; dependencies are checked by the caller. */
  async get(repo: string, filePath: string, pageUrl: string, blobSha: string): Promise<CachedRender | undefined> {
    let entry: CachedRender;
    try {
      entry = JSON.parse(await readFile(this.fileOf(repo, filePath, pageUrl), 'utf8')) as CachedRender;
    } catch {
      return undefined; // absent, or cut short by a kill before the rename: either way a miss
    }
    const valid = entry.version === this.version && entry.blobSha === blobSha && entry.path === filePath && entry.pageUrl === pageUrl;
    return valid ? entry : undefined;
  }

  async put(entry: Omit<CachedRender, 'version'>): Promise<void> {
    const file = this.fileOf(entry.repo, entry.path, entry.pageUrl);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${this.writes++}.tmp`;
    await writeFile(temp, JSON.stringify({ version: this.version, ...entry }));
    await rename(temp, file);
  }

  /** Number of entries on disk (for reports and tests). */
  async size(): Promise<number> {
    let n = 0;
    for (const sub of await readdir(this.dir).catch(() => [] as string[])) {
      n += (await readdir(path.join(this.dir, sub)).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).length;
    }
    return n;
  }
}

/**
 * The images pages show, published into the bundle under assets/files/ (and, for the Markdown export, the
 * same files under md/assets/). Anything published there is served from the site's own origin, where a
 * browser that opens an HTML, XML or scripted SVG file runs it; so a repository file is published only as:
 *
 * - a raster image whose bytes are PNG, JPEG, GIF, WebP or AVIF (told by file-type from its magic bytes,
 *   never by its name), under the extension of that format, whatever the file was called;
 * - an .svg file after svg-sanitize.ts made it inert.
 *
 * Anything else, and any file over the size limit, stays on GitHub (the caller links to it there) with a
 * warning naming the file. Files are named `<first 16 hex of the blob sha>-<name>.<ext>`, so one blob is
 * published once however many pages show it.
 *
 * Memory does not grow with the images: a file the source keeps on disk is copied (reflink or kernel copy,
 * after its first bytes are checked, and checked again in place); one the source only has in memory (GitHub
 * blobs) is written at once and dropped; a few at a time. md/assets/ holds hard links to assets/files/.
 */
import type { Catalog } from '../catalog/catalog.ts';
import path from 'node:path';
import { open, readFile, stat } from 'node:fs/promises';
import Bottleneck from 'bottleneck';
import type { ContentSource, RepoContent, TreeEntry } from '../sources/types.ts';
import { warning, type Warning } from '../core/warning.ts';
import type { Staging } from './write.ts';
import { MD_ASSETS_DIR } from '../catalog/markdown-paths.ts';
import { boundedName } from '../catalog/urls.ts';
import { SVG_MAX_BYTES, sanitizeSvg } from './svg-sanitize.ts';

export const ASSETS_DIR = 'assets/files';
export { DEFAULT_MAX_ASSET_BYTES } from '../core/bundle.ts';

/** The raster formats published, by the media type file-type reports, with the extension they get. */
const RASTERS: Record<string, string> = {
  'image/png': 'png',
  'image/apng': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
};
/** file-type's own sample size: enough of a file's start to tell these formats apart. */
const HEAD_BYTES = 4100;

export interface AssetStoreOptions {
  staging: Staging;
  /** Also give every asset its md/assets/ name, for the Markdown export. */
  markdown: boolean;
  /** Files larger than this stay on GitHub. */
  maxBytes: number;
  /** The loaded repository and tree entry of a path. */
  find(repo: string, filePath: string): { content: RepoContent; entry: TreeEntry } | undefined;
  source: Pick<ContentSource, 'readBlob' | 'blobFile' | 'prefetchBlob'>;
  warn(warning: Warning): void;
  /** Where sanitized SVGs are kept between builds; none when undefined. */
  cacheDir?: string;
}

/** The raster format of a file's first bytes: its extension, or undefined when it is none of RASTERS. */
export async function rasterExtension(head: Uint8Array): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(head);
  return type ? RASTERS[type.mime] : undefined;
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export class AssetStore {
  private readonly byPath = new Map<string, Promise<string | undefined>>();
  private readonly byName = new Map<string, Promise<boolean>>();
  private readonly limiter = new Bottleneck({ maxConcurrent: 2 });
  /** Blobs the source was told to fetch ahead. */
  private readonly expected = new Set<string>();
  /** Files published and bytes of assets/files/ (the md/assets/ links not counted). */
  readonly stats = { published: 0, bytes: 0 };

  constructor(private readonly options: AssetStoreOptions) {}

  /**
   * Publishes a repository file shown as an image; its out-relative path, or undefined when it stays on
   * GitHub (no bytes, not a publishable image, too large). Asked again, gives the same answer.
   */
  publish(repo: string, filePath: string): Promise<string | undefined> {
    const key = `${repo.toLowerCase()}\0${filePath}`;
    let placed = this.byPath.get(key);
    if (!placed) {
      placed = this.place(repo, filePath);
      this.byPath.set(key, placed);
    }
    return placed;
  }

  /**
   * A page about to render will likely publish this file: a source that fetches over the network starts
   * reading it now, so that the page need not wait for it. Nothing is checked or published yet.
   */
  expect(repo: string, filePath: string): void {
    if (this.byPath.has(`${repo.toLowerCase()}\0${filePath}`)) return;
    const found = this.options.find(repo, filePath);
    if (found?.entry.type !== 'blob' || (found.entry.size !== undefined && found.entry.size > this.options.maxBytes)) return;
    // The same bytes under another path or repository: fetched once (pages render in the order they were told).
    if (this.expected.has(found.entry.sha)) return;
    this.expected.add(found.entry.sha);
    this.options.source.prefetchBlob?.(found.content, filePath);
  }

  /** The answer `publish` gave for this file, or undefined when it was never asked for. */
  published(repo: string, filePath: string): Promise<string | undefined> | undefined {
    return this.byPath.get(`${repo.toLowerCase()}\0${filePath}`);
  }

  private async place(repo: string, filePath: string): Promise<string | undefined> {
    const found = this.options.find(repo, filePath);
    if (!found || found.entry.type !== 'blob') return undefined;
    const { content, entry } = found;
    const file = `${content.meta.fullName}/${filePath}`;
    const stay = (message: string) => {
      this.options.warn(warning(file, 'asset-not-published', `${message}: linked to GitHub instead of published`));
      return undefined;
    };
    const tooLarge = (size: number) => stay(`image of ${megabytes(size)} is over the asset size limit of ${megabytes(this.options.maxBytes)} (--max-asset-size)`);
    if (entry.size !== undefined && entry.size > this.options.maxBytes) return tooLarge(entry.size);
    try {
      return await this.limiter.schedule(async () => {
        const onDisk = await this.options.source.blobFile?.(content, filePath);
        let bytes: Buffer | undefined;
        if (onDisk) {
          const size = (await stat(onDisk)).size;
          if (size > this.options.maxBytes) return tooLarge(size);
          const ext = await rasterExtension(await readHead(onDisk));
          if (ext) return (await this.stageCopy(this.nameFor(entry, filePath, ext), onDisk, ext)) ?? stay('image changed while it was copied');
          if (!/\.svg$/i.test(filePath)) return stay(NOT_AN_IMAGE);
          if (size > SVG_MAX_BYTES) return stay(svgTooLarge(size));
          bytes = await readFile(onDisk);
        } else {
          bytes = await this.options.source.readBlob(content, filePath);
          if (!bytes) return undefined; // the source does not have it: the image is shown from GitHub
          if (bytes.length > this.options.maxBytes) return tooLarge(bytes.length);
          const ext = await rasterExtension(bytes.subarray(0, HEAD_BYTES));
          if (ext) return this.stageBytes(this.nameFor(entry, filePath, ext), bytes);
          if (!/\.svg$/i.test(filePath)) return stay(NOT_AN_IMAGE);
          if (bytes.length > SVG_MAX_BYTES) return stay(svgTooLarge(bytes.length));
        }
        const clean = await sanitizeSvg(bytes, this.options.cacheDir);
        if (!clean) return stay('SVG is not a well-formed SVG document that can be made safe (scripts, handlers and outside references removed)');
        return this.stageBytes(this.nameFor(entry, filePath, 'svg'), clean);
      });
    } catch (error) {
      return stay(`image could not be read (${(error as Error).message})`);
    }
  }

  /** `<sha16>-<name without extension>.<ext of the checked format>`. */
  private nameFor(entry: TreeEntry, filePath: string, ext: string): string {
    const base = path.posix.basename(filePath);
    const stem = (base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base).replace(/[^A-Za-z0-9._-]/g, '_') || 'image';
    // A long file name is shortened with a hash of the whole: no name may exceed what a file system takes.
    return boundedName(`${entry.sha.slice(0, 16)}-${stem}.${ext}`);
  }

  /** Copies a checked raster file in, and checks the copy once more: the file could have changed in between. */
  private stageCopy(name: string, from: string, ext: string): Promise<string | undefined> {
    const { staging, maxBytes } = this.options;
    return this.stage(name, async (target) => {
      await staging.copyIn(target, from);
      const copy = path.join(staging.dir, target);
      if ((await stat(copy)).size <= maxBytes && (await rasterExtension(await readHead(copy))) === ext) return true;
      await staging.remove(target);
      return false;
    });
  }

  private stageBytes(name: string, content: Buffer): Promise<string | undefined> {
    return this.stage(name, async (target) => {
      this.options.staging.writeSync({ path: target, content });
      return true;
    });
  }

  /** Writes a file once per name, then its md/assets/ twin. */
  private async stage(name: string, write: (target: string) => Promise<boolean>): Promise<string | undefined> {
    const target = `${ASSETS_DIR}/${name}`;
    let written = this.byName.get(name);
    if (!written) {
      written = (async () => {
        if (!(await write(target))) return false;
        this.stats.published++;
        this.stats.bytes += (await stat(path.join(this.options.staging.dir, target))).size;
        if (this.options.markdown) await this.options.staging.linkIn(`${MD_ASSETS_DIR}/${name}`, target);
        return true;
      })();
      this.byName.set(name, written);
    }
    return (await written) ? target : undefined;
  }
}

const NOT_AN_IMAGE = 'used as an image, but its bytes are no PNG, JPEG, GIF, WebP or AVIF image and it is no .svg file';
const svgTooLarge = (size: number) => `SVG of ${megabytes(size)} is over the ${megabytes(SVG_MAX_BYTES)} that are sanitized`;

/** The asset store of a build: images are looked up in the catalog's trees and read from the build's source. */
export function catalogAssets(catalog: Catalog, staging: Staging, source: AssetStoreOptions['source'], options: { markdown: boolean; maxBytes: number; warn(warning: Warning): void; cacheDir?: string }): AssetStore {
  return new AssetStore({
    staging,
    source,
    ...options,
    find: (repo, filePath) => {
      const content = catalog.repos.get(repo.toLowerCase());
      const entry = catalog.treeOf(repo)?.entries.get(filePath);
      return content && entry ? { content, entry } : undefined;
    },
  });
}

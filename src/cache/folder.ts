/**
 * The cache folder (--cache, default .cache/) and who owns it. The cache empties folders of its own inside it
 * when its layout changes, so it must never be pointed at a folder that holds anything else: a folder is used
 * only when it does not exist yet, is empty, or holds the marker file VERSION ("gen3-docs-cache <layout>")
 * that this tool writes when it makes one.
 *
 * Layout (each part described where it is kept):
 *   VERSION      the marker; another layout number makes the cache start empty
 *   http/ blobs/ repos/ selections/   GitHub answers, file contents, each repository's last good state and
 *                documents (sources/cache.ts)
 *   render/      rendered pages (render/render-cache.ts)
 *   releases/    parsed release notes (releases/parse-cache.ts)
 *   search/      the last search index (compose/search-cache.ts)
 *   builds/      what the last build into each out/ wrote (publish/build-state.ts)
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Layout 3: every entry carries the hash of its bytes (cache/entry.ts), and a repository's file warnings their rule. */
export const CACHE_VERSION = 3;
export const CACHE_MARKER = 'VERSION';
const MARKER_TEXT = `gen3-docs-cache ${CACHE_VERSION}\n`;
const ANY_MARKER = /^gen3-docs-cache (\d+)\n$/;
const LAYOUT = ['http', 'blobs', 'repos', 'selections', 'render', 'releases', 'search', 'builds'];

/** A folder the cache must not use; the message says why and what to do. */
export class CacheFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheFolderError';
  }
}

export interface ClaimedCache {
  dir: string;
  /** Said when the folder held an older cache, which was emptied. */
  note?: string;
}

/**
 * Makes `dir` a cache folder of the current layout, or throws CacheFolderError when it is not ours to use:
 * a file, or a folder with files and no marker. A cache of an older layout has its own folders emptied.
 */
export function claimCacheFolder(dir: string): ClaimedCache {
  const root = path.resolve(dir);
  let entries: string[];
  try {
    // The marker being written by another build that claims the same folder at this moment is not a stranger.
    entries = readdirSync(root).filter((name) => !MARKER_TEMP.test(name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new CacheFolderError(`${root} exists and is not a folder; choose a folder for the cache`);
    if (code !== 'ENOENT') throw error;
    mkdirSync(root, { recursive: true });
    writeMarker(root);
    return { dir: root };
  }
  let marker: string | undefined;
  try {
    marker = readFileSync(path.join(root, CACHE_MARKER), 'utf8');
  } catch {
    // no marker
  }
  if (marker === MARKER_TEXT) return { dir: root };
  const layout = marker === undefined ? undefined : ANY_MARKER.exec(marker)?.[1];
  if (entries.length > 0 && layout === undefined && !isUnmarkedEarlyCache(root, entries)) {
    throw new CacheFolderError(
      `${root} holds files and was not made by this tool (it has no ${CACHE_MARKER} file reading "gen3-docs-cache"); ` +
        'the cache empties folders of its own inside the folder it is given, so it only uses a new or empty folder or one it made. ' +
        'Choose another folder, or delete this one if it is an old cache',
    );
  }
  for (const sub of LAYOUT) rmSync(path.join(root, sub), { recursive: true, force: true });
  writeMarker(root);
  if (entries.length === 0) return { dir: root };
  return { dir: root, note: `cache ${root} has ${layout === undefined ? 'the layout of an earlier version' : `layout ${layout}, not ${CACHE_VERSION}`}: starting it afresh` };
}

const MARKER_TEMP = new RegExp(`^\\.${CACHE_MARKER}\\.\\d+\\.tmp$`);

function writeMarker(root: string): void {
  const temp = path.join(root, `.${CACHE_MARKER}.${process.pid}.tmp`);
  writeFileSync(temp, MARKER_TEXT);
  renameSync(temp, path.join(root, CACHE_MARKER));
}

/** File names earlier versions wrote without a marker (with --snapshot), and their temporary files. */
const EARLY_FILES = [/^render\/[0-9a-f]{2}\/[0-9a-f]{64}\.json$/, /^releases\/[0-9a-f]{64}\.json$/, /^search\/index\.json$/, /^builds\/[0-9a-f]{32}\.json$/];
const EARLY_FOLDERS = /^(render|releases|search|builds)(\/[0-9a-f]{2})?$/;

/**
 * A cache of an earlier version that never wrote the marker: nothing but those folders and file names. Every
 * name is checked, so a folder of anyone else's never passes for one.
 */
function isUnmarkedEarlyCache(root: string, entries: string[]): boolean {
  if (!entries.every((name) => ['render', 'releases', 'search', 'builds'].includes(name))) return false;
  for (const top of entries) {
    let below;
    try {
      below = readdirSync(path.join(root, top), { recursive: true, withFileTypes: true });
    } catch {
      return false; // a file where a folder should be
    }
    for (const entry of below) {
      const rel = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (entry.isDirectory() ? !EARLY_FOLDERS.test(rel) : !entry.isFile() || !EARLY_FILES.some((re) => re.test(rel.replace(/(\.json)\.\d+(\.\d+)?\.tmp$/, '$1')))) return false;
    }
  }
  return true;
}

/**
 * What the last build wrote, kept in the cache so that a rebuild whose inputs did not change at all does
 * nothing but say so: same code, same configuration, same commits and blobs, and out/ still exactly as that
 * build left it. Any doubt (missing state, a file touched by hand, a state whose bytes do not hash to what was
 * recorded: cache/entry.ts) means a normal build.
 */
import { createHash } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readJsonEntry, writeEntry, type CacheDamage } from '../cache/entry.ts';
import { codeVersion } from '../core/code-version.ts';
import type { ComposeMemo } from '../compose/memo.ts';

/** `Report` is the build report the state keeps, whose shape the report stage owns. */
export interface BuildState<Report> {
  stateVersion: 1;
  outDir: string;
  fingerprint: string;
  /** Every file of out/ but the report: [path, size, mtimeMs]. */
  files: [string, number, number][];
  /**
   * Every folder below the top of out/: [path, mtimeMs]. A file added to, removed from or renamed in a folder
   * changes its time, so out/ is checked by these and the files' times without listing each folder.
   */
  folders?: [string, number][];
  report: Report;
  search?: { pages: number; bytes: number };
  /** The key each composed page was made from (compose/memo.ts), by path. */
  composed?: Record<string, string>;
}

/** A hash of everything a build's output depends on, given as plain data. */
export function inputFingerprint(inputs: unknown): string {
  return createHash('sha256').update(codeVersion()).update(JSON.stringify(inputs)).digest('hex');
}

function stateFile(cacheDir: string, outDir: string): string {
  return path.join(cacheDir, 'builds', `${createHash('sha256').update(path.resolve(outDir)).digest('hex').slice(0, 32)}.json`);
}

export interface OutputListing {
  /** [path, size, mtimeMs] of every file but `skip`, sorted. */
  files: [string, number, number][];
  /** [path, mtimeMs] of every folder below the top, sorted. */
  folders: [string, number][];
}

/**
 * The files and folders of out/ (all but the build report). Listed synchronously: out/ holds a file per page and
 * image, and a stat on the main thread costs a fraction of a round trip through the thread pool, which on a
 * busy machine was most of a rebuild that found nothing changed.
 */
export function outputListing(outDir: string, skip: string): OutputListing {
  const files: [string, number, number][] = [];
  const folders: [string, number][] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        folders.push([rel, statSync(path.join(dir, entry.name)).mtimeMs]);
        walk(path.join(dir, entry.name), `${rel}/`);
      } else if (rel !== skip) {
        const s = statSync(path.join(dir, entry.name));
        files.push([rel, s.size, s.mtimeMs]);
      }
    }
  };
  walk(outDir, '');
  return { files, folders };
}

/** [path, size, mtimeMs] of every file of out/ except `skip` (the build report), sorted. */
export async function listOutput(outDir: string, skip: string): Promise<[string, number, number][]> {
  return outputListing(outDir, skip).files;
}

export async function readBuildState<Report>(cacheDir: string, outDir: string, onDamage?: CacheDamage): Promise<BuildState<Report> | undefined> {
  const file = stateFile(cacheDir, outDir);
  const read = await readJsonEntry<BuildState<Report>>(file);
  if (read.state === 'damaged') {
    onDamage?.(file, 'the bundle was built again');
    // A build that met damage records no state (build.ts), so this one would be reported again.
    await rm(file, { force: true });
  }
  if (read.state !== 'ok') return undefined;
  const state = read.value;
  return state.stateVersion === 1 && state.outDir === path.resolve(outDir) ? state : undefined;
}

export async function writeBuildState<Report>(cacheDir: string, state: Omit<BuildState<Report>, 'stateVersion'>): Promise<void> {
  await writeEntry(stateFile(cacheDir, state.outDir), JSON.stringify({ stateVersion: 1, ...state }));
}

/**
 * Whether out/ holds exactly the files the state recorded, untouched since. With the folders' times recorded,
 * only the top of out/ is listed (each build rewrites the report there, which touches its time); below it a
 * stat of every recorded folder and file tells the same without reading a folder.
 */
export async function outputUnchanged(outDir: string, state: BuildState<unknown>, skip: string): Promise<boolean> {
  try {
    if (!state.folders) return JSON.stringify(await listOutput(outDir, skip)) === JSON.stringify(state.files);
    const top = new Set<string>();
    for (const [file] of state.files) top.add(file.split('/', 1)[0]!);
    for (const [folder] of state.folders) top.add(folder.split('/', 1)[0]!);
    const listed = readdirSync(outDir).filter((name) => name !== skip);
    if (listed.length !== top.size || listed.some((name) => !top.has(name))) return false;
    // Recorded paths are '/'-separated and relative, as outputListing made them.
    const root = `${path.resolve(outDir)}/`;
    for (const [folder, mtimeMs] of state.folders) {
      const now = statSync(root + folder);
      if (!now.isDirectory() || now.mtimeMs !== mtimeMs) return false;
    }
    for (const [file, size, mtimeMs] of state.files) {
      const now = statSync(root + file);
      if (!now.isFile() || now.size !== size || now.mtimeMs !== mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Replaces one file of out/ in a single rename, for the report of a build that changed nothing else. */
export async function replaceFile(outDir: string, name: string, content: string): Promise<void> {
  const target = path.join(outDir, name);
  const temp = path.join(outDir, `.${name}.${process.pid}.tmp`);
  await writeFile(temp, content);
  await rename(temp, target);
}

/**
 * The last build's composed pages, for this build into the same out/: a page is taken again when its key is
 * the one recorded and out/ holds its file with the size and modification time recorded after that build.
 */
export function composeMemo(outDir: string, state: BuildState<unknown> | undefined): ComposeMemo {
  const files = new Map((state?.files ?? []).map(([file, size, mtimeMs]) => [file, { size, mtimeMs }]));
  return {
    version: codeVersion(),
    keys: {},
    reuse(file, key) {
      const recorded = files.get(file);
      if (!recorded || state?.composed?.[file] !== key) return undefined;
      try {
        const full = path.join(outDir, file);
        const now = statSync(full);
        if (now.size !== recorded.size || now.mtimeMs !== recorded.mtimeMs) return undefined;
        const bytes = readFileSync(full);
        return bytes.length === recorded.size ? bytes : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

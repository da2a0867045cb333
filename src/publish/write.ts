/**
 * Publishing: the whole site is written to a staging folder beside out/ and swapped in only once complete,
 * so a failed or killed build never leaves a half-written out/.
 *
 * The swap is two renames: out/ -> .out-previous, then .out-staging-<pid> -> out/. A build killed at any point
 * leaves one of these states, which recover() (run at the start of every publish) repairs:
 *   staging only                  the staging folder is dropped; out/ was never touched
 *   .out-previous, no out/        killed between the renames: the previous out/ is put back
 *   .out-previous and out/        killed after the swap: the previous copy is dropped
 * One build at a time per out/: a staging folder whose process is still alive is left alone.
 *
 * A file whose bytes are the same as in the current out/ is hard-linked into the staging folder instead of
 * written again, so unchanged outputs keep their inode and modification time (what sync tools look at).
 */
import { link, mkdir, readFile, rename, rm, writeFile, readdir, stat } from 'node:fs/promises';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { OutputFile } from '../compose/site.ts';

export interface PublishResult {
  files: number;
  bytes: number;
  /** Files taken over from the previous out/ unchanged (not rewritten). */
  unchanged?: number;
}

export interface Staging {
  /** Absolute path of the staging folder. */
  readonly dir: string;
  /** Writes files into the staging folder, in path order. */
  write(files: OutputFile[]): Promise<void>;
  /** Writes one file now (for producers that make files one by one and should not hold them). */
  writeSync(file: OutputFile): void;
  /** Counts of what was written so far. */
  readonly written: PublishResult;
  /** Swaps the staging folder in as out/. */
  commit(): Promise<PublishResult>;
  /** Drops the staging folder; out/ stays as it was. */
  abort(): Promise<void>;
}

const STAGING = /-staging-(\d+)$/;

export function stagingPrefix(outDir: string): string {
  return `.${path.basename(outDir)}-staging-`;
}

export function previousDir(outDir: string): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}-previous`);
}

const exists = (p: string) => stat(p).then(() => true, () => false);

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Repairs what a killed build left beside out/ (see the file comment). */
export async function recover(outDir: string): Promise<void> {
  outDir = path.resolve(outDir);
  const parent = path.dirname(outDir);
  const previous = previousDir(outDir);
  if (await exists(previous)) {
    if (await exists(outDir)) await rm(previous, { recursive: true, force: true });
    else await rename(previous, outDir);
  }
  const prefix = stagingPrefix(outDir);
  const entries = await readdir(parent).catch(() => [] as string[]);
  for (const name of entries.sort()) {
    const m = STAGING.exec(name);
    if (!name.startsWith(prefix) || !m || isAlive(Number(m[1]))) continue;
    await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Removes a staging folder for a build that is stopping now: what `budgetMs` allows is deleted at once, and the
 * rest (tens of thousands of files can take a slow disk a minute) by a detached process that outlives this one.
 * Should that process fail too, the next build's recover() removes the folder: its build is no longer alive.
 */
export function removeStagingNow(dir: string, budgetMs: number): void {
  const deadline = performance.now() + budgetMs;
  const removeWithin = (folder: string): boolean => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return true; // already gone
    }
    for (const entry of entries) {
      if (performance.now() > deadline) return false;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!removeWithin(full)) return false;
      } else {
        try {
          unlinkSync(full);
        } catch {
          // gone already
        }
      }
    }
    try {
      rmdirSync(folder);
    } catch {
      // gone already
    }
    return true;
  };
  if (removeWithin(dir)) return;
  const remover = 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })';
  spawn(process.execPath, ['-e', remover, dir], { detached: true, stdio: 'ignore' }).unref();
}

export async function openStaging(outDir: string): Promise<Staging> {
  outDir = path.resolve(outDir);
  await recover(outDir);
  const dir = path.join(path.dirname(outDir), `${stagingPrefix(outDir)}${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const written = new Set<string>();
  const made = new Set<string>([dir]);
  let bytes = 0;
  let unchanged = 0;
  let done = false;
  /** Links the previous out/'s copy when it holds exactly these bytes. */
  const reuse = async (relative: string, content: Buffer, target: string): Promise<boolean> => {
    const old = path.join(outDir, relative);
    try {
      if ((await stat(old)).size !== content.length || !(await readFile(old)).equals(content)) return false;
      await link(old, target);
      return true;
    } catch {
      return false; // no previous copy, or a file system without hard links: write it
    }
  };
  /** The staging path of a file, checked to stay inside the bundle and to be written once. */
  const claim = (relative: string): string => {
    if (done) throw new Error('staging folder already committed or aborted');
    const target = path.join(dir, relative);
    if (!target.startsWith(dir + path.sep)) throw new Error(`refusing to write outside the bundle: ${relative}`);
    if (written.has(relative)) throw new Error(`two outputs for one file: ${relative}`);
    written.add(relative);
    return target;
  };
  return {
    dir,
    get written() {
      return { files: written.size, bytes, unchanged };
    },
    writeSync(file) {
      const target = claim(file.path);
      const folder = path.dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
      let reused = false;
      const old = path.join(outDir, file.path);
      try {
        if (statSync(old).size === content.length && readFileSync(old).equals(content)) {
          linkSync(old, target);
          reused = true;
        }
      } catch {
        // no previous copy, or no hard links here: write it
      }
      if (reused) unchanged++;
      else writeFileSync(target, content);
      bytes += content.length;
    },
    async write(files) {
      if (done) throw new Error('staging folder already committed or aborted');
      const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const file of sorted) {
        const target = claim(file.path);
        const folder = path.dirname(target);
        if (!made.has(folder)) {
          await mkdir(folder, { recursive: true });
          made.add(folder);
        }
        const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
        if (await reuse(file.path, content, target)) unchanged++;
        else await writeFile(target, content);
        bytes += content.length;
      }
    },
    async commit() {
      if (done) throw new Error('staging folder already committed or aborted');
      done = true;
      const previous = previousDir(outDir);
      const hadOut = await exists(outDir);
      if (hadOut) await rename(outDir, previous);
      await rename(dir, outDir);
      if (hadOut) await rm(previous, { recursive: true, force: true });
      return { files: written.size, bytes, unchanged };
    },
    async abort() {
      done = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `files` as the new out/ in one swap. `last`, if given, makes one more file once the others are
 * written (the build report, which counts and times them); it is not counted in the result.
 */
export async function publish(outDir: string, files: OutputFile[], last?: (written: PublishResult) => OutputFile): Promise<PublishResult> {
  const staging = await openStaging(outDir);
  let written: PublishResult;
  try {
    await staging.write(files);
    written = { files: files.length, bytes: files.reduce((n, f) => n + (typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.length), 0) };
    if (last) await staging.write([last(written)]);
  } catch (error) {
    await staging.abort();
    throw error;
  }
  const committed = await staging.commit();
  return { ...written, unchanged: committed.unchanged };
}

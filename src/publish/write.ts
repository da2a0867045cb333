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
import { copyFile, link, mkdir, open, rename, rm, unlink, readdir, stat } from 'node:fs/promises';
import { constants, linkSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../core/bundle.ts';
import { processExists } from '../core/process.ts';

export interface PublishResult {
  files: number;
  bytes: number;
  /** Files taken over from the previous out/ unchanged (not rewritten). */
  unchanged?: number;
}

export interface Staging {
  /** Absolute path of the staging folder. */
  readonly dir: string;
  /** Writes one file now (for producers that make files one by one and should not hold them). */
  writeSync(file: OutputFile): void;
  /** Copies a file on disk in without reading it into memory (a reflink or kernel copy where possible). */
  copyIn(relative: string, from: string): Promise<void>;
  /** A second name for a file already staged: a hard link, or a copy where links are not possible. */
  linkIn(relative: string, existing: string): Promise<void>;
  /** Takes back a staged file (one that turned out not to be publishable). */
  remove(relative: string): Promise<void>;
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

/** This process's own staging folder is a leftover of an earlier build in it: not kept alive by it. */
const isAlive = (pid: number) => pid !== process.pid && processExists(pid);

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
  // Loaded here, in a stopping build, rather than by every build (a rebuild that finds nothing changed included).
  const { spawn } = process.getBuiltinModule('node:child_process');
  spawn(process.execPath, ['-e', remover, dir], { detached: true, stdio: 'ignore' }).unref();
}

export async function openStaging(outDir: string): Promise<Staging> {
  outDir = path.resolve(outDir);
  await recover(outDir);
  const dir = path.join(path.dirname(outDir), `${stagingPrefix(outDir)}${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const written = new Map<string, { size: number; reused: boolean }>();
  const made = new Set<string>([dir]);
  let bytes = 0;
  let unchanged = 0;
  let done = false;
  /** The staging path of a file, checked to stay inside the bundle and to be written once. */
  const claim = (relative: string): string => {
    if (done) throw new Error('staging folder already committed or aborted');
    const target = path.join(dir, relative);
    if (!target.startsWith(dir + path.sep)) throw new Error(`refusing to write outside the bundle: ${relative}`);
    if (written.has(relative)) throw new Error(`two outputs for one file: ${relative}`);
    written.set(relative, { size: 0, reused: false });
    return target;
  };
  const record = (relative: string, size: number, reused: boolean) => {
    written.set(relative, { size, reused });
    bytes += size;
    if (reused) unchanged++;
  };
  const folderOf = async (target: string) => {
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
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
        if (file.sameAsOut || (statSync(old).size === content.length && readFileSync(old).equals(content))) {
          linkSync(old, target);
          reused = true;
        }
      } catch {
        // no previous copy, or no hard links here: write it
      }
      if (!reused) writeFileSync(target, content);
      record(file.path, content.length, reused);
    },
    async copyIn(relative, from) {
      const target = claim(relative);
      await folderOf(target);
      const size = (await stat(from)).size;
      const old = path.join(outDir, relative);
      let reused = false;
      try {
        if ((await stat(old)).size === size && (await sameBytes(old, from, size))) {
          await link(old, target);
          reused = true;
        }
      } catch {
        // no previous copy, or no hard links here: copy it
      }
      if (!reused) await copyFile(from, target, constants.COPYFILE_FICLONE);
      record(relative, size, reused);
    },
    async linkIn(relative, existing) {
      const target = claim(relative);
      await folderOf(target);
      const source = path.join(dir, existing);
      const size = (await stat(source)).size;
      try {
        await link(source, target);
      } catch {
        await copyFile(source, target, constants.COPYFILE_FICLONE);
      }
      // Unchanged when the previous out/ held this very file under this name too.
      const before = await stat(path.join(outDir, relative)).catch(() => undefined);
      record(relative, size, before !== undefined && before.ino === (await stat(target)).ino);
    },
    async remove(relative) {
      const entry = written.get(relative);
      if (!entry || done) return;
      written.delete(relative);
      bytes -= entry.size;
      if (entry.reused) unchanged--;
      await unlink(path.join(dir, relative)).catch(() => {});
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

/** Whether two files of `bytes` bytes each hold the same bytes, compared a chunk at a time (neither is read whole). */
async function sameBytes(a: string, b: string, bytes: number): Promise<boolean> {
  const [fa, fb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    // Most images are small: chunks no larger than the file, and not zero-filled (only what was read is compared).
    const size = Math.max(1, Math.min(1 << 20, bytes));
    const [ba, bb] = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    for (;;) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, size, null), fb.read(bb, 0, size, null)]);
      if (ra.bytesRead !== rb.bytesRead) return false;
      if (ra.bytesRead === 0) return true;
      if (!ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
    }
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

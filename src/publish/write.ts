/**
 * Publishing: the whole site is written to a staging folder beside out/ and swapped in only once complete,
 * so a failed or killed build never leaves a half-written out/.
 */
import { mkdir, rename, rm, writeFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../compose/site.ts';

export interface PublishResult {
  files: number;
  bytes: number;
}

function stagingDir(outDir: string): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}-staging-${process.pid}`);
}

/**
 * Cleans up after a killed build: a half-written staging folder is dropped, and if the kill fell between the
 * two renames of the swap, the previous out/ is put back.
 */
async function recover(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const previous = path.join(parent, `.${path.basename(outDir)}-previous`);
  const hasOut = await stat(outDir).then(() => true, () => false);
  if (!hasOut && (await stat(previous).then(() => true, () => false))) await rename(previous, outDir);
  const prefix = `.${path.basename(outDir)}-`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  for (const name of entries) {
    if (name.startsWith(prefix) && (name.includes('-staging-') || name.endsWith('-previous'))) {
      await rm(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

export async function publish(outDir: string, files: OutputFile[]): Promise<PublishResult> {
  outDir = path.resolve(outDir);
  await recover(outDir);
  const staging = stagingDir(outDir);
  await mkdir(staging, { recursive: true });
  let bytes = 0;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  const made = new Set<string>();
  for (const file of sorted) {
    const target = path.join(staging, file.path);
    if (!target.startsWith(staging + path.sep)) throw new Error(`refusing to write outside the bundle: ${file.path}`);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await writeFile(target, file.content);
    bytes += typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.length;
  }
  const previous = path.join(path.dirname(outDir), `.${path.basename(outDir)}-previous`);
  const hadOut = await stat(outDir).then(() => true, () => false);
  if (hadOut) await rename(outDir, previous);
  await rename(staging, outDir);
  if (hadOut) await rm(previous, { recursive: true, force: true });
  return { files: files.length, bytes };
}

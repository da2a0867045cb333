/** The swap and its recovery, one kill point at a time. */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStaging, previousDir, recover, stagingPrefix, type PublishResult } from '../../src/publish/write.ts';
import type { OutputFile } from '../../src/core/bundle.ts';
import { hashTree, tempDir } from './helpers.ts';

let parent: string;
let out: string;
beforeEach(async () => {
  parent = await tempDir('write');
  out = path.join(parent, 'out');
});
afterEach(() => rm(parent, { recursive: true, force: true }));

const files = (tag: string) => [
  { path: 'index.html', content: `<p>${tag}</p>` },
  { path: 'services/a/index.html', content: `a ${tag}` },
  { path: 'md/assets/x.png', content: Buffer.from([1, 2, 3]) },
];
/** Writes `files` as the new out/ the way a build does: one by one into a staging folder, then the swap. */
async function publish(outDir: string, outputs: OutputFile[]): Promise<PublishResult> {
  const staging = await openStaging(outDir);
  try {
    for (const file of outputs) staging.writeSync(file);
  } catch (error) {
    await staging.abort();
    throw error;
  }
  return staging.commit();
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('publish', () => {
  it('writes every file and replaces out/ as a whole', async () => {
    await publish(out, files('one'));
    await writeFile(path.join(out, 'stray.txt'), 'left by hand');
    const result = await publish(out, files('two'));
    expect(result).toMatchObject({ files: 3, bytes: 3 + 10 + 5 });
    expect([...(await hashTree(out)).keys()]).toEqual(['index.html', 'md/assets/x.png', 'services/a/index.html']);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>two</p>');
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('does not rewrite files whose bytes did not change', async () => {
    await publish(out, files('one'));
    const before = await stat(path.join(out, 'md/assets/x.png'));
    const changedBefore = await stat(path.join(out, 'index.html'));
    const result = await publish(out, files('two'));
    const after = await stat(path.join(out, 'md/assets/x.png'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect((await stat(path.join(out, 'index.html'))).ino).not.toBe(changedBefore.ino);
    expect(result.unchanged).toBe(1);
  });

  it('refuses paths outside the bundle and two outputs for one file, leaving out/ as it was', async () => {
    await publish(out, files('one'));
    const before = await hashTree(out);
    await expect(publish(out, [{ path: '../evil', content: 'x' }])).rejects.toThrow(/outside the bundle/);
    await expect(publish(out, [...files('two'), { path: 'index.html', content: 'again' }])).rejects.toThrow(/two outputs/);
    expect(await hashTree(out)).toEqual(before);
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('leaves out/ untouched when the staging folder is aborted', async () => {
    await publish(out, files('one'));
    const staging = await openStaging(out);
    for (const file of files('two')) staging.writeSync(file);
    await staging.abort();
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>one</p>');
    expect(await readdir(parent)).toEqual(['out']);
  });
});

describe('recover after a kill', () => {
  it('drops a half-written staging folder of a dead build', async () => {
    await publish(out, files('one'));
    const leftover = path.join(parent, `${stagingPrefix(out)}${await deadPid()}`);
    await mkdir(path.join(leftover, 'services'), { recursive: true });
    await writeFile(path.join(leftover, 'index.html'), 'half');
    await recover(out);
    expect(await readdir(parent)).toEqual(['out']);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>one</p>');
  });

  it('keeps the staging folder of a build that is still running', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const live = path.join(parent, `${stagingPrefix(out)}${sleeper.pid}`);
      await mkdir(live);
      await recover(out);
      expect(await readdir(parent)).toContain(path.basename(live));
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('puts the previous out/ back when the kill fell between the two renames', async () => {
    await publish(out, files('one'));
    const before = await hashTree(out);
    // State after `out -> .out-previous`, before `staging -> out`.
    const { rename } = await import('node:fs/promises');
    await rename(out, previousDir(out));
    await mkdir(path.join(parent, `${stagingPrefix(out)}${await deadPid()}`));
    await recover(out);
    expect(await hashTree(out)).toEqual(before);
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('drops the previous copy when the kill fell after the swap', async () => {
    await publish(out, files('one'));
    await mkdir(previousDir(out));
    await writeFile(path.join(previousDir(out), 'index.html'), 'old');
    await recover(out);
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<p>one</p>');
    expect(await readdir(parent)).toEqual(['out']);
  });

  it('is run by the next publish, which then succeeds', async () => {
    await mkdir(path.join(parent, `${stagingPrefix(out)}${await deadPid()}`));
    await publish(out, files('two'));
    expect(await readdir(parent)).toEqual(['out']);
  });
});

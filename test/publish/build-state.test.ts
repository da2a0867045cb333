/**
 * The check that out/ is as the last build left it: by the recorded times of its folders and files, without
 * listing the folders below the top, it must see every change a full listing sees.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputListing, outputUnchanged, type BuildState } from '../../src/publish/build-state.ts';

const REPORT = 'build-report.json';
const PAST = new Date('2020-01-01T00:00:00Z');

/** A small out/ whose files and folders carry a time in the past, so any change afterwards gives another. */
function makeOut(): string {
  const out = mkdtempSync(path.join(tmpdir(), 'build-state-'));
  const files = ['index.html', 'services/a/index.html', 'services/a/img/logo.png', 'services/b/index.html', REPORT];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file), `content of ${file}`);
  }
  for (const item of [...files, 'services/a/img', 'services/a', 'services/b', 'services']) utimesSync(path.join(out, item), PAST, PAST);
  return out;
}

function stateOf(out: string, withFolders = true): BuildState<unknown> {
  const { files, folders } = outputListing(out, REPORT);
  return { stateVersion: 1, outDir: out, fingerprint: 'f', files, ...(withFolders ? { folders } : {}), report: {} };
}

const changes: [string, (out: string) => void][] = [
  ['a file added to a folder', (out) => writeFileSync(path.join(out, 'services/a/img/new.png'), 'x')],
  ['a file removed', (out) => rmSync(path.join(out, 'services/b/index.html'))],
  ['a file renamed', (out) => renameSync(path.join(out, 'services/a/index.html'), path.join(out, 'services/a/other.html'))],
  ['a file rewritten with bytes of the same length', (out) => writeFileSync(path.join(out, 'services/b/index.html'), 'content of services/b/index.htmX')],
  ['a folder added', (out) => (mkdirSync(path.join(out, 'services/c')), writeFileSync(path.join(out, 'services/c/index.html'), 'x'))],
  ['a folder removed', (out) => rmSync(path.join(out, 'services/a/img'), { recursive: true })],
  ['a file added at the top', (out) => writeFileSync(path.join(out, 'extra.html'), 'x')],
  ['a folder replaced by a file', (out) => (rmSync(path.join(out, 'services/b'), { recursive: true }), writeFileSync(path.join(out, 'services/b'), 'x'))],
];

describe('outputUnchanged', () => {
  it('holds for an untouched out/ whose report was written again', async () => {
    for (const withFolders of [true, false]) {
      const out = makeOut();
      const state = stateOf(out, withFolders);
      writeFileSync(path.join(out, REPORT), 'a new report');
      expect(await outputUnchanged(out, state, REPORT)).toBe(true);
    }
  });

  it.each(changes)('sees %s, with the folders recorded or without', async (_name, change) => {
    for (const withFolders of [true, false]) {
      const out = makeOut();
      const state = stateOf(out, withFolders);
      expect(state.folders?.map(([folder]) => folder) ?? []).toEqual(withFolders ? ['services', 'services/a', 'services/a/img', 'services/b'] : []);
      change(out);
      expect(await outputUnchanged(out, state, REPORT)).toBe(false);
    }
  });
});

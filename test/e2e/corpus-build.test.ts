import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { DEFAULT_INCLUDE } from '../../src/config/types.ts';
import { build, type BuildResult } from '../../src/build.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, PROJECT_ROOT, noteCorpusSkip } from '../support/corpus.ts';

noteCorpusSkip('corpus end-to-end build');

/** Every file under a folder, as '/'-separated relative paths: counted from disk, not from tree.json. */
function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

describe.skipIf(!HAS_CORPUS)('corpus build', () => {
  const config = loadConfig(path.join(PROJECT_ROOT, 'sources.json'));
  let outDir: string;
  let result: BuildResult;
  let manifest: { pages: { url: string; kind: string; repo: string; path: string; sha: string; title: string }[] };

  beforeAll(async () => {
    outDir = path.join(mkdtempSync(path.join(tmpdir(), 'corpus-')), 'out');
    result = await build({ config, source: createSnapshotSource(CORPUS_SNAPSHOT), outDir });
    manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  });

  it('loads every configured repository', () => {
    expect(result.repositories.failed).toEqual([]);
    const repos = new Set(manifest.pages.map((p) => p.repo));
    for (const entry of config.repositories) expect(repos, entry.repo).toContain(entry.repo);
  });

  it('makes a page of every Markdown file that sources.json selects', () => {
    const pageFiles = new Set(manifest.pages.map((p) => `${p.repo}/${p.path}`));
    let expected = 0;
    for (const entry of config.repositories) {
      const include = picomatch(entry.include ?? DEFAULT_INCLUDE);
      const exclude = picomatch(entry.exclude ?? ['\0']);
      const files = filesUnder(path.join(CORPUS_SNAPSHOT, entry.repo, 'files')).filter((f) => /\.md$/i.test(f) && include(f) && !exclude(f));
      for (const f of files) {
        expect(pageFiles, `${entry.repo}/${f}`).toContain(`${entry.repo}/${f}`);
        expected++;
      }
    }
    const guides = config.guides!;
    for (const f of filesUnder(path.join(CORPUS_SNAPSHOT, guides.repo, 'files', guides.path)).filter((f) => f.endsWith('.md'))) {
      expect(pageFiles).toContain(`${guides.repo}/${guides.path}/${f}`);
      expected++;
    }
    expect(expected).toBeGreaterThan(250);
  });

  it('makes one release page per release-notes file', () => {
    const notes = filesUnder(path.join(CORPUS_SNAPSHOT, 'uc-cdis/cdis-manifest/files/releases')).filter(
      (f) => /^\d{4}\/\d{2}\/[^/]+\.md$/.test(f) && !/knownbugs/i.test(f),
    );
    const releases = manifest.pages.filter((p) => p.kind === 'release');
    expect(releases.length).toBe(notes.length);
    expect(releases.map((p) => p.url)).toContain('releases/2026.07/');
  });

  it('lists pages with url, title, kind, repo, path and sha, sorted by url', () => {
    const urls = manifest.pages.map((p) => p.url);
    expect(urls).toEqual([...urls].sort());
    expect(new Set(urls).size).toBe(urls.length);
    const fence = manifest.pages.find((p) => p.url === 'services/fence/');
    expect(fence).toMatchObject({ kind: 'readme', repo: 'uc-cdis/fence', path: 'README.md' });
    expect(fence!.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(statSync(path.join(outDir, 'services/fence/index.html')).isFile()).toBe(true);
    expect(manifest.pages.filter((p) => p.kind === 'guide').length).toBeGreaterThan(50);
  });
});

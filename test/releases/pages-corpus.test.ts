/**
 * Release pages of the corpus build (75 release-notes files of cdis-manifest). Skipped, with a line saying
 * why, where the corpus is not present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, PROJECT_ROOT, noteCorpusSkip } from '../support/corpus.ts';

noteCorpusSkip('release pages of the corpus');

const NOTES_DIR = path.join(CORPUS_SNAPSHOT, 'uc-cdis/cdis-manifest/files/releases');
const CHECKER = path.resolve(PROJECT_ROOT, '../shared/tools/check-bundle.py');

/** releases/YYYY/MM/<notes>.md, knownbugs left out. */
function notesFiles(): { version: string; file: string }[] {
  const out: { version: string; file: string }[] = [];
  for (const year of readdirSync(NOTES_DIR).sort()) {
    if (!statSync(path.join(NOTES_DIR, year)).isDirectory()) continue;
    for (const month of readdirSync(path.join(NOTES_DIR, year)).sort()) {
      const dir = path.join(NOTES_DIR, year, month);
      if (!statSync(dir).isDirectory()) continue;
      for (const name of readdirSync(dir)) {
        if (/\.md$/i.test(name) && !/^knownbugs?\./i.test(name)) out.push({ version: `${year}.${month}`, file: path.join(dir, name) });
      }
    }
  }
  return out;
}

/**
 * Top-level list items per service, read line by line: a heading "owner/repo" opens a service section
 * until a heading of its level or above; a list marker at most 3 spaces in, outside fenced code, that is
 * not inside the content of the item before it, starts an item.
 */
function itemsPerService(markdown: string): Map<string, number> {
  const counts = new Map<string, number>();
  let service: string | undefined;
  let level = 0;
  let fence: string | undefined;
  let content = Infinity;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (fence) {
      if (line.trim().startsWith(fence) && /^[`~]+$/.test(line.trim())) fence = undefined;
      continue;
    }
    const heading = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*$/.exec(line);
    if (heading) {
      content = Infinity;
      const words = (heading[2] ?? '').replace(/\s+#+$/, '');
      if (/^[\w.-]+\/[\w.-]+$/.test(words)) {
        service = words;
        level = heading[1]!.length;
        counts.set(service, counts.get(service) ?? 0);
      } else if (heading[1]!.length <= level) {
        service = undefined;
      }
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open && indent < content) {
      fence = open[1];
      continue;
    }
    const marker = /^( {0,3})([-*+]|\d{1,9}[.)])( {1,4}|\s*$)/.exec(line);
    const rule = /^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line);
    if (marker && !rule && indent < content) {
      content = marker[0].length;
      if (service) counts.set(service, counts.get(service)! + 1);
    }
  }
  return counts;
}

interface IndexRelease {
  version: string;
  codename: string | null;
  sourcePath: string;
  services: { repo: string; categories: { items: unknown[] }[] }[];
}

describe.skipIf(!HAS_CORPUS)('release pages of the corpus build', () => {
  let out: string;
  let index: { bundleVersion: string; releases: IndexRelease[] };
  const files = HAS_CORPUS ? notesFiles() : [];
  const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

  beforeAll(async () => {
    out = path.join(mkdtempSync(path.join(tmpdir(), 'corpus-releases-')), 'out');
    await build({ config: loadConfig(path.join(PROJECT_ROOT, 'sources.json')), source: createSnapshotSource(CORPUS_SNAPSHOT), outDir: out, search: false });
    index = JSON.parse(read('releases/index.json'));
  });

  it('puts every release-notes file into index.json once, with the version of its folder', () => {
    expect(files.length).toBe(75);
    expect(index.releases.length).toBe(files.length);
    expect(index.releases.map((r) => r.version).sort()).toEqual(files.map((f) => f.version).sort());
    expect(index.releases.find((r) => r.version === '2026.07')?.codename).toBe('Hambergite');
    expect(index.releases.find((r) => r.sourcePath === 'releases/2021/08/gen3_release_notes.md')?.version).toBe('2021.08');
  });

  it('has as many items per release, and on each release page, as top-level list items under service headings', () => {
    let checked = 0;
    for (const { version, file } of files) {
      const expected = itemsPerService(readFileSync(file, 'utf8'));
      const release = index.releases.find((r) => r.version === version)!;
      const actual = new Map(release.services.map((s) => [s.repo, s.categories.reduce((n, c) => n + c.items.length, 0)]));
      expect(actual, version).toEqual(expected);

      // On the page: top-level <li> between a service's <h2> and the next <h2>. Raw HTML lists pasted from PR
      // descriptions (Snyk's <details><ul><li>) nest the items after them, on GitHub as here: not counted.
      const markdowns = release.services.flatMap((s) => s.categories.flatMap((c) => c.items as { markdown: string }[])).map((i) => i.markdown);
      if (markdowns.some((m) => /<\/?(?:details|ul|ol|li|div|table)\b/i.test(m))) continue;
      checked++;
      const html = read(`releases/${version}/index.html`);
      const main = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
      let depth = 0;
      let inService = false;
      let onPage = 0;
      for (const tag of main.matchAll(/<(\/?)(ul|ol|li|h2)\b[^>]*>/g)) {
        const [, close, name] = tag;
        if (name === 'h2' && !close) inService = /<h2 id="[^"]*"><a href="[^"]*">[\w.-]+\/[\w.-]+<\/a>(?:<a class="heading-anchor"[^>]*><\/a>)?<\/h2>/.test(main.slice(tag.index, main.indexOf('</h2>', tag.index) + 5));
        else if (name === 'ul' || name === 'ol') depth += close ? -1 : 1;
        else if (name === 'li' && !close && depth === 1 && inService) onPage++;
      }
      expect(onPage, version).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("lists fence's changes from every release that mentions uc-cdis/fence", () => {
    const page = read('services/fence/changes/index.html');
    const versions = files.filter(({ file }) => (itemsPerService(readFileSync(file, 'utf8')).get('uc-cdis/fence') ?? 0) > 0).map((f) => f.version);
    expect(versions.length).toBeGreaterThanOrEqual(60);
    for (const v of versions) expect(page, v).toContain(`href="../../../releases/${v}/index.html#uc-cdisfence"`);
    const linked = [...page.matchAll(/releases\/(\d{4}\.\d{2})\/index\.html#uc-cdisfence/g)].map((m) => m[1]);
    expect(linked).toEqual([...versions].sort().reverse());
    expect(read('services/fence/index.html')).toContain('href="changes/index.html">Changes by release</a>');
  });

  it('writes a feed of the 20 newest releases, newest first', () => {
    const xml = read('releases/feed.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(xml).feed;
    const titles = feed.entry.map((e: { title: string }) => e.title);
    const newest = files.map((f) => f.version).sort().reverse().slice(0, 20);
    expect(titles.length).toBe(20);
    expect(titles.map((t: string) => t.split(' ')[1])).toEqual(newest);
    expect(titles[0]).toBe('Gen3 2026.07 (Hambergite)');
  });

  it('lists the breaking changes of the notes', () => {
    const html = read('releases/breaking-changes/index.html');
    const withBreaking = index.releases.filter((r) => r.services.some((s) => s.categories.some((c) => (c as { name?: string }).name === 'Breaking Changes' && c.items.length)));
    expect(withBreaking.length).toBeGreaterThan(10);
    for (const r of withBreaking) expect(html, r.version).toContain(`<h2 id="v${r.version}">`);
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python || !existsSync(CHECKER))('passes check-bundle.py with zero findings', () => {
    const run = spawnSync('python3', [CHECKER, out], { encoding: 'utf8' });
    const summary = run.stdout.trim().split('\n').at(-1);
    expect(summary).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/);
    expect(run.status, run.stdout).toBe(0);
  });
});

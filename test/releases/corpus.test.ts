/**
 * The parser on the real release notes of cdis-manifest (75 files, 2020/02..2026/07), read from the
 * shared corpus. Skipped, with one line saying so, where the corpus is not present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReleasesIndex } from '../../src/releases/index.ts';
import { isReleaseNotesPath, parseReleaseNotes } from '../../src/releases/parse.ts';
import type { ParseResult } from '../../src/releases/types.ts';
import { listFiles } from '../support/files.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const corpusDir = resolve(projectRoot, process.env.CORPUS_DIR ?? '../shared/corpus');
const manifestRepo = join(corpusDir, 'github/uc-cdis/cdis-manifest/files');
const exists = existsSync(join(manifestRepo, 'releases'));
if (!exists) console.log(`releases corpus suite skipped: ${join(manifestRepo, 'releases')} not found (set CORPUS_DIR to the corpus folder)`);

function readBeside(notesPath: string, name: string): string | undefined {
  const path = join(manifestRepo, notesPath.slice(0, notesPath.lastIndexOf('/')), name);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * Top-level list items under service headings, counted line by line (the parser walks an mdast): a
 * list marker at most 3 spaces in, shallower than the content of the current top-level item, outside
 * top-level fenced code, in a section opened by an "owner/name" heading.
 */
function countServiceItems(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let repo: string | null = null;
  let serviceLevel = 0;
  let fence: string | null = null;
  let itemContentIndent = Number.POSITIVE_INFINITY;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== null) {
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = null;
      continue;
    }
    const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const words = (heading[2] ?? '').replace(/[ \t]+#+$/, '').trim();
      itemContentIndent = Number.POSITIVE_INFINITY;
      if (/^[\w.-]+\/[\w.-]+$/.test(words)) {
        repo = words;
        serviceLevel = level;
      } else if (repo !== null && level <= serviceLevel) {
        repo = null;
      }
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (opener && indent < itemContentIndent) {
      fence = opener[1]!;
      continue;
    }
    const thematicBreak = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line);
    const marker = /^( {0,3})([-*+]|\d{1,9}[.)])( {1,4}|[ \t]*$)/.exec(line);
    if (marker && !thematicBreak && indent < itemContentIndent) {
      itemContentIndent = marker[0].length;
      if (repo !== null) counts.set(repo, (counts.get(repo) ?? 0) + 1);
    }
  }
  return counts;
}

describe.skipIf(!exists)('release notes of the corpus', () => {
  const notesPaths = exists ? listFiles(join(manifestRepo, 'releases')).map((path) => `releases/${path}`).filter(isReleaseNotesPath).sort() : [];
  const parsed = new Map<string, ParseResult>();
  const parseAll = (): Map<string, ParseResult> => {
    if (parsed.size === 0) {
      for (const path of notesPaths) {
        parsed.set(
          path,
          parseReleaseNotes({
            path,
            text: readFileSync(join(manifestRepo, path), 'utf8'),
            knownBugs: readBeside(path, 'knownbugs.md'),
            manifestJson: readBeside(path, 'manifest.json'),
          }),
        );
      }
    }
    return parsed;
  };
  const byVersion = (version: string) => [...parseAll().values()].find((r) => r.release.version === version)?.release;

  it('finds the 75 release-notes files', () => {
    expect(notesPaths.length).toBeGreaterThanOrEqual(75);
    expect(notesPaths).toContain('releases/2021/08/gen3_release_notes.md');
  });

  it('parses every file, without throwing, into the version of its folder', () => {
    for (const [path, { release }] of parseAll()) {
      const [, year, month] = /releases\/(\d{4})\/(\d{2})\//.exec(path)!;
      expect(release.version, path).toBe(`${year}.${month}`);
      expect([release.year, release.month], path).toEqual([Number(year), Number(month)]);
      expect(release.title, path).toMatch(/^Core Gen3 Release /);
      expect(release.codename, path).toBeTruthy();
      expect(release.services.length, path).toBeGreaterThan(0);
    }
  });

  it('reads codenames and versions of odd titles', () => {
    expect(byVersion('2026.07')?.codename).toBe('Hambergite');
    expect(byVersion('2021.08')).toMatchObject({ title: 'Core Gen3 Release (Streeterville)', codename: 'Streeterville' });
    expect(byVersion('2021.01')?.title).toBe('Core Gen3 Release 202101 (Lakeview)');
    expect(byVersion('2020.02')?.codename).toBe('Aurora');
  });

  it('has as many items per release and per repo as top-level list items under service headings', () => {
    for (const [path, { release }] of parseAll()) {
      const expected = countServiceItems(readFileSync(join(manifestRepo, path), 'utf8'));
      const actual = new Map(release.services.map((s) => [s.repo, s.categories.reduce((n, c) => n + c.items.length, 0)]));
      expect(actual, path).toEqual(expected);
      const total = [...actual.values()].reduce((a, b) => a + b, 0);
      expect(total, path).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    }
  });

  it('points every item at the line of its list marker', () => {
    for (const [path, { release }] of parseAll()) {
      const lines = readFileSync(join(manifestRepo, path), 'utf8').split('\n');
      for (const item of release.services.flatMap((s) => s.categories.flatMap((c) => c.items))) {
        expect(lines[item.line - 1], `${path}:${item.line}`).toMatch(/^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)/);
      }
    }
  });

  it('finds changes to fence in many releases', () => {
    const withFence = [...parseAll().values()].filter(({ release }) =>
      release.services.some((s) => s.repo === 'uc-cdis/fence' && s.categories.some((c) => c.items.length > 0)),
    );
    expect(withFence.length).toBeGreaterThanOrEqual(60);
  });

  it('finds a pull request for nearly every item, and links every bare ref it rewrote', () => {
    const items = [...parseAll().values()].flatMap(({ release }) => release.services.flatMap((s) => s.categories.flatMap((c) => c.items)));
    const without = items.filter((i) => i.pullRequests.length === 0);
    expect(without.length).toBeLessThanOrEqual(5);
    for (const item of items) {
      for (const ref of item.pullRequests) expect(ref.url).toBe(`https://github.com/${ref.repo}/pull/${ref.number}`);
    }
  });

  it('puts the highlights of recent releases apart from the services', () => {
    const release = byVersion('2025.01');
    expect(release?.highlights.map((h) => h.title)).toEqual(['', 'Release Highlights and Announcements']);
    expect(release?.services.some((s) => s.repo.startsWith('Release'))).toBe(false);
  });

  it('reads knownbugs.md and manifest.json beside the notes', () => {
    expect(byVersion('2020.02')?.knownBugs).toMatch(/^# Known bugs for Gen3 Core Release 202002/);
    expect(byVersion('2020.08')?.knownBugs).toBeNull();
    expect(byVersion('2020.02')?.imageVersions).toContainEqual({ service: 'fence', image: 'quay.io/cdis/fence', version: '2020.02' });
    expect(byVersion('2026.07')?.imageVersions).toEqual([]);
  });

  it('warns only about what does not fit, naming file and line', () => {
    const warnings = [...parseAll().values()].flatMap((r) => r.warnings);
    for (const warning of warnings) {
      expect(notesPaths).toContain(warning.file);
      expect(warning.line).toBeGreaterThan(0);
    }
    expect(warnings).toContainEqual({
      file: 'releases/2021/04/gen3_release_notes.md',
      line: 168,
      message: 'second section for uc-cdis/mariner; merged into the first one (line 156)',
    });
    // No text outside lists, no version disagreement, no JSON trouble in the corpus.
    expect(warnings.filter((w) => /outside|folder says|manifest\.json|no release title/.test(w.message))).toEqual([]);
  });

  it('validates against the releases index schema', () => {
    const schema = JSON.parse(readFileSync(join(projectRoot, 'docs/schemas/releases-index.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    const index = buildReleasesIndex('corpus', [...parseAll().values()].map((r) => r.release));
    const valid = validate(index);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    expect(index.releases[0]?.version).toBe('2026.07');
    expect(index.releases.at(-1)?.version).toBe('2020.02');
  });
});

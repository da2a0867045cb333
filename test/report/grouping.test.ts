/**
 * Console warnings through the real command line: grouped by repository and category; with --only the named
 * repositories in full and the rest counted; without it, a category of many (release-note formatting)
 * does not hide a category of few (links). build-report.json keeps every warning either way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupWarnings } from '../../src/report/group.ts';
import type { BuildReport } from '../../src/report/report.ts';
import { runCli } from '../support/cli.ts';
import { makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

/** Twelve services under an unknown category each: twelve release-note formatting warnings. */
const NOTES = [
  '# Core Gen3 Release 2026.05 (Testing)',
  '',
  ...Array.from({ length: 12 }, (_, i) => [`## hostile-org/service-${i}`, '', '#### Chore', '  - tidied up', '']).flat(),
].join('\n');

let input: HostileSnapshot;
let only: ReturnType<typeof runCli>;
let all: ReturnType<typeof runCli>;

beforeAll(() => {
  input = makeHostileSnapshot(
    [
      { name: 'alpha', files: [{ path: 'README.md', content: '# Alpha\n\nSee [setup](docs/setup.md) and [the top](#nowhere).\n' }] },
      { name: 'beta', files: [{ path: 'README.md', content: '# Beta\n\nSee [install](INSTALL.md).\n' }] },
      { name: 'manifest', files: [{ path: 'README.md', content: '# Manifest\n' }, { path: 'releases/2026/05/gen3_release_notes.md', content: NOTES }], entry: { section: 'Other' } },
    ],
    { releaseNotes: { repo: 'hostile-org/manifest', path: 'releases' } },
  );
  only = runCli(['--snapshot', input.snapshot, '--config', input.configFile, '--no-cache', '--out', input.out, '--only', 'hostile-org/alpha']);
  all = runCli(['--snapshot', input.snapshot, '--config', input.configFile, '--no-cache', '--out', path.join(input.dir, 'out-all')]);
}, 180_000);

const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: '));
const report = (out: string) => JSON.parse(readFileSync(path.join(out, 'build-report.json'), 'utf8')) as BuildReport;

describe('warnings on the console', () => {
  it('show the --only repositories in full and count the others by repository and category', () => {
    expect(only.code, only.stderr).toBe(0);
    // Progress lines ([1/3] repo, composing N pages) aside.
    const lines = only.stderr.split('\n').filter((l) => l && !l.startsWith('[') && !l.startsWith('composing '));
    expect(lines).toEqual([
      'hostile-org/alpha: 2 warnings (links 2)',
      'warning: hostile-org/alpha/README.md:3:5: broken link "docs/setup.md": docs/setup.md is not in hostile-org/alpha at 1111111 [broken-link]',
      'warning: hostile-org/alpha/README.md:3:32: anchor "#nowhere" names no heading or id of this page; linked to the top [broken-anchor]',
      'the build: 1 warning',
      'warning: sitemap.xml: not written: sitemaps need absolute URLs; set site.origin in the config or pass --site-url [sitemap-skipped]',
      `12 warnings of repositories outside --only, not shown: hostile-org/manifest 12 (release notes 12); every warning is in ${path.join(input.out, 'build-report.json')}`,
    ]);
    // The report keeps them all, the hidden ones included.
    const items = report(input.out).warnings.items;
    expect(items).toHaveLength(15);
    expect(items.filter((w) => w.file.startsWith('hostile-org/manifest/releases/'))).toHaveLength(12);
  });

  it('without --only, show each repository and cap each category, so links are not buried', () => {
    expect(all.code, all.stderr).toBe(0);
    const shown = warningLines(all.stderr);
    expect(all.stderr).toContain('hostile-org/beta: 1 warning (links 1)\nwarning: hostile-org/beta/README.md:3:5: broken link "INSTALL.md": INSTALL.md is not in hostile-org/beta at 1111111 [broken-link]\n');
    expect(all.stderr).toContain('hostile-org/manifest: 12 warnings (release notes 12)\n');
    expect(shown.filter((l) => l.includes('unknown category "Chore"'))).toHaveLength(10);
    expect(all.stderr).toContain(`... and 2 more release notes warnings of hostile-org/manifest in ${path.join(input.dir, 'out-all', 'build-report.json')}\n`);
    expect(shown.filter((l) => l.startsWith('warning: hostile-org/alpha/'))).toHaveLength(2);
    expect(report(path.join(input.dir, 'out-all')).warnings.total).toBe(16);
  });

  it('group the report by repository and category in a stable order', () => {
    const groups = groupWarnings(report(path.join(input.dir, 'out-all')));
    expect(groups.map((g) => [g.repo ?? null, g.category, g.items.length])).toEqual([
      ['hostile-org/alpha', 'links', 2],
      ['hostile-org/beta', 'links', 1],
      ['hostile-org/manifest', 'release notes', 12],
      [null, 'build', 1],
    ]);
  });
});

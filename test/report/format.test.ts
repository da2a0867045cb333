import type { Warning } from '../../src/core/warning.ts';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, githubAnnotations, summary, textWarnings } from '../../src/report/format.ts';
import { sortWarnings, type BuildReport } from '../../src/report/report.ts';
import { fetchSummary } from '../../src/cli.ts';
import type { GitHubStats } from '../../src/sources/github.ts';

function report(overrides: Partial<BuildReport> = {}): BuildReport {
  return {
    reportVersion: 1,
    bundleVersion: '1.0.0',
    generatedAt: '2026-01-01T00:00:00.000Z',
    published: true,
    strict: false,
    source: 'snapshot',
    pages: { total: 12, byKind: { readme: 2, doc: 6, guide: 2, release: 2, changes: 0, api: 0 } },
    repositories: {
      total: 3, fresh: 2, cached: 0, stale: 0, failed: 1,
      items: [
        { repo: 'o/a', role: 'service', status: 'fresh', commit: 'a'.repeat(40) },
        { repo: 'o/b', role: 'service', status: 'failed', message: 'HTTP 404: Not Found' },
        { repo: 'o/c', role: 'guides', status: 'fresh', commit: 'c'.repeat(40) },
      ],
    },
    warnings: {
      total: 2,
      items: [
        { file: 'o/a/docs/x.md', line: 3, message: 'broken link: y.md', ruleId: 'broken-link' },
        { file: 'o/a/docs/a,b:c.md', line: 7, column: 2, message: '100% wrong\r\nsecond line', ruleId: 'broken-anchor' },
      ],
    },
    links: { rewritten: 5, broken: 1 },
    markdownExport: null,
    github: null,
    durations: { load: 1.25, catalog: 0.01, api: 0, render: 2, compose: 0.5, export: 0.4, publish: 0.3, total: 4.46 },
    output: { files: 40, bytes: 1000 },
    ...overrides,
  };
}

describe('GitHub workflow command escaping', () => {
  it('escapes %, CR and LF in messages', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });
  it('also escapes : and , in properties', () => {
    expect(escapeProperty('docs/a,b:c%.md\n')).toBe('docs/a%2Cb%3Ac%25.md%0A');
  });
});

describe('githubAnnotations', () => {
  it('prints one ::warning per warning with file and line, and one ::error per failed repository', () => {
    expect(githubAnnotations(report())).toEqual([
      '::warning file=o/a/docs/x.md,line=3,title=broken-link::broken link: y.md',
      '::warning file=o/a/docs/a%2Cb%3Ac.md,line=7,col=2,title=broken-anchor::100%25 wrong%0D%0Asecond line',
      '::error title=Repository o/b failed::HTTP 404: Not Found',
    ]);
  });

  it('drops the owner/name prefix when the workflow runs in that repository', () => {
    expect(githubAnnotations(report(), 'O/A')[0]).toBe('::warning file=docs/x.md,line=3,title=broken-link::broken link: y.md');
  });

  it('omits line when there is none and explains an unpublished build', () => {
    const r = report({
      published: false,
      reason: '--strict: 1 warnings, 0 failed repositories',
      warnings: { total: 1, items: [{ file: 'o/a/README.md', message: 'no title', ruleId: 'front-matter' }] },
      repositories: { total: 1, fresh: 1, cached: 0, stale: 0, failed: 0, items: [] },
    });
    expect(githubAnnotations(r)).toEqual([
      '::warning file=o/a/README.md,title=front-matter::no title',
      '::error title=Docs not published::--strict: 1 warnings, 0 failed repositories',
    ]);
  });
});

describe('console output', () => {
  it('groups text warnings by repository, caps each category and points at the report', () => {
    const lines = textWarnings(report(), { reportPath: 'out/build-report.json', perGroup: 1 });
    expect(lines).toEqual([
      'o/a: 2 warnings (links 2)',
      'warning: o/a/docs/x.md:3: broken link: y.md [broken-link]',
      '... and 1 more links warnings of o/a in out/build-report.json',
      'error: o/b: HTTP 404: Not Found',
    ]);
  });

  it('with --only, shows the named repositories and the build in full and counts the rest', () => {
    const items: Warning[] = [
      { file: 'o/a/README.md', line: 2, message: 'broken link "x.md": x.md is not in o/a at 1234567', ruleId: 'broken-link' },
      { file: 'o/c/docs/1.md', line: 1, message: 'anchor "#x" names no heading or id of this page; linked to the top', ruleId: 'broken-anchor' },
      { file: 'o/c/docs/2.md', line: 1, message: 'not rendered as Markdown, shown as plain text: too deep', ruleId: 'too-complex' },
      { file: 'sitemap.xml', message: 'not written', ruleId: 'sitemap-skipped' },
    ];
    const r = report({ warnings: { total: items.length, items } });
    expect(textWarnings(r, { reportPath: 'out/build-report.json', only: ['O/A'] })).toEqual([
      'o/a: 1 warning (links 1)',
      'warning: o/a/README.md:2: broken link "x.md": x.md is not in o/a at 1234567 [broken-link]',
      'the build: 1 warning',
      'warning: sitemap.xml: not written [sitemap-skipped]',
      '2 warnings of repositories outside --only, not shown: o/c 2 (links 1, pages 1); every warning is in out/build-report.json',
      'error: o/b: HTTP 404: Not Found',
    ]);
    expect(githubAnnotations(r, undefined, ['o/a'])).toEqual([
      '::warning file=o/a/README.md,line=2,title=broken-link::broken link "x.md": x.md is not in o/a at 1234567',
      '::warning file=sitemap.xml,title=sitemap-skipped::not written',
      '::notice title=Warnings outside --only::2 warnings of repositories outside --only, not shown: o/c 2 (links 1, pages 1); every warning is in build-report.json',
      '::error title=Repository o/b failed::HTTP 404: Not Found',
    ]);
  });

  it('keeps the summary to one short block', () => {
    const text = summary(report(), 'out', 'out/build-report.json');
    expect(text.split('\n')).toHaveLength(6);
    expect(text).toMatch(/^Built 12 pages from 2 repositories into out\n/);
    expect(text).toContain('repositories  3 (2 fresh, 1 failed)');
    expect(text).toContain('warnings      2, broken links 1');
    expect(text).toContain('time          4.5 s (load 1.3, render 2.0, compose 0.9, publish 0.3)');
    expect(text).toContain('report        out/build-report.json');
  });

  it('says when out/ was left as it was', () => {
    const text = summary(report({ published: false, reason: '--strict: 2 warnings, 1 failed repositories' }), 'out', 'out-build-report.json');
    expect(text.split('\n')[0]).toBe('Not published: --strict: 2 warnings, 1 failed repositories; out left as it was');
  });
});

describe('sortWarnings', () => {
  it('orders by file, then line, then message, whatever order rendering finished in', () => {
    const w: Warning[] = [
      { file: 'o/b.md', line: 2, message: 'x', ruleId: 'broken-link' },
      { file: 'o/a.md', line: 10, message: 'b', ruleId: 'broken-link' },
      { file: 'o/a.md', message: 'no line', ruleId: 'broken-link' },
      { file: 'o/a.md', line: 10, message: 'a', ruleId: 'broken-link' },
      { file: 'o/a.md', line: 9, message: 'z', ruleId: 'broken-link' },
    ];
    expect(sortWarnings(w).map((x) => `${x.file}:${x.line ?? 0}:${x.message}`)).toEqual([
      'o/a.md:0:no line', 'o/a.md:9:z', 'o/a.md:10:a', 'o/a.md:10:b', 'o/b.md:2:x',
    ]);
  });
});

describe('fetchSummary', () => {
  const stats = (rateLimit: GitHubStats['rateLimit']): GitHubStats => ({
    requests: 3,
    byStatus: { '200': 2, '304': 1 },
    byKind: { rest: 2, graphql: 1, conditional: 1, notModified: 1, blobs: 1, trees: 0, retries: 0, heldBack: 0 },
    bytes: 4096,
    rateLimit,
    repositories: { fresh: 1, cached: 1, stale: 0 },
  });
  const reset = Date.UTC(2026, 0, 1, 12) / 1000;

  it('counts requests by kind and shows the budget each kind of request drew on', () => {
    expect(fetchSummary(stats({ core: { limit: 5000, remaining: 4990, used: 10, reset } }))).toBe(
      'GitHub: 3 requests (2 REST, 1 GraphQL; 1 conditional, 1 not modified; 0 trees, 1 blobs; 0 retries), 4 KiB received; rate limit 4990/5000 left until 2026-01-01T12:00:00.000Z',
    );
    // A warm build with a token may send only its GraphQL query.
    expect(fetchSummary(stats({ graphql: { limit: 5000, remaining: 4999, used: 1, reset } }))).toMatch(/received; GraphQL rate limit 4999\/5000 left until 2026-01-01T12:00:00.000Z$/);
    expect(fetchSummary(stats({}))).toMatch(/KiB received$/);
  });
});

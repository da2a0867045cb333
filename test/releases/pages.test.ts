/**
 * Release notes as pages, on the demo snapshot: release pages, the releases table, breaking changes, each
 * service's changes by release, releases/index.json and the Atom feed; and the release page of hostile notes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { ApiRelease, ContentSource } from '../../src/sources/types.ts';
import { demoteHeadings } from '../../src/releases/pages.ts';
import { xmlText } from '../../src/publish/release-files.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { makeHostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';

const DEMO = path.join(PROJECT_ROOT, 'examples/snapshot');

/** What a visitor reads: tags dropped, entities of the serializer decoded. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x3C;|&lt;/g, '<')
    .replace(/&#x3E;|&gt;/g, '>')
    .replace(/&#x26;|&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function body(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

const GITHUB_RELEASES: ApiRelease[] = [
  {
    tag_name: 'v3.1.0',
    name: 'file-index 3.1.0',
    body: '## Breaking Changes\n\n- `GET /index` pages with `start` only\n\n## Bug Fixes\n\n- Bulk loader keeps going after a bad row (#215)\n',
    published_at: '2026-07-02T10:00:00Z',
    html_url: 'https://github.com/gen3-demo/file-index/releases/tag/v3.1.0',
  },
  { tag_name: 'nightly', name: null, body: '- x', published_at: null, html_url: 'https://github.com/gen3-demo/file-index/releases/tag/nightly' },
];

async function buildDemo(options: { githubReleases?: boolean; origin?: string } = {}): Promise<{ out: string; result: BuildResult; config: Config }> {
  const config = loadConfig(path.join(PROJECT_ROOT, 'examples/sources.json'));
  if (options.origin) config.site = { ...config.site, origin: options.origin, baseUrl: '/docs/' };
  const snapshot = createSnapshotSource(DEMO);
  let source: ContentSource = snapshot;
  if (options.githubReleases) {
    config.releaseNotes = { ...config.releaseNotes!, githubReleases: ['gen3-demo/file-index'] };
    source = { kind: 'snapshot', loadRepository: snapshot.loadRepository, readBlob: snapshot.readBlob, listReleases: async () => GITHUB_RELEASES };
  }
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'release-pages-')), 'out');
  const result = await build({ config, source, outDir: out, search: false });
  return { out, result, config };
}

describe('release pages of the demo', () => {
  let out: string;
  let result: BuildResult;
  const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

  beforeAll(async () => {
    ({ out, result } = await buildDemo());
  }, 60_000);

  it('summarises a release under its title: version, codename, month, counts, breaking flag', () => {
    const html = body(read('releases/2026.05/index.html'));
    const h1 = html.indexOf('</h1>');
    const summary = html.indexOf('class="release-summary"');
    expect(h1).toBeGreaterThan(0);
    expect(summary).toBeGreaterThan(h1);
    const t = text(html.slice(summary, html.indexOf('</section>', summary)));
    expect(t).toContain('Version 2026.05');
    expect(t).toContain('Codename Hemimorphite');
    expect(t).toContain('Released May 2026');
    expect(t).toContain('Changes 11 in 4 services');
    for (const c of ['3 New Features', '1 Breaking Changes', '2 Bug Fixes', '3 Improvements', '2 Dependency Updates']) expect(t).toContain(c);
    expect(t).toContain('Breaking changes in gen3-demo/file-index');
    expect(html).toContain('<a href="#gen3-demofile-index">gen3-demo/file-index</a>');
    // 2026.06 has none: no flag.
    expect(read('releases/2026.06/index.html')).not.toContain('class="release-flag"');
  });

  it('keeps the heading ids of the notes as GitHub makes them, and adds sections only at the end', () => {
    const html = read('releases/2026.05/index.html');
    const ids = [...body(html).matchAll(/<h[1-6] id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'core-gen3-release-202605-hemimorphite',
      'gen3-demoauthz-gateway',
      'new-features',
      'bug-fixes',
      'gen3-demodemo-portal',
      'improvements',
      'dependency-updates',
      'gen3-demofile-index',
      'breaking-changes',
      'new-features-1',
      'bug-fixes-1',
      'gen3-demoquery-api',
      'improvements-1',
      'dependency-updates-1',
      'image-versions',
      'known-bugs',
    ]);
    const june = [...body(read('releases/2026.06/index.html')).matchAll(/<h[1-6] id="([^"]+)"/g)].map((m) => m[1]);
    expect(june.slice(0, 4)).toEqual(['core-gen3-release-202606-ilmenite', 'release-highlights-and-announcements', 'note-python-version-upgrade', 'note-new-filter-syntax-in-query-api']);
  });

  it('links service names to their service page in the bundle', () => {
    const html = read('releases/2026.05/index.html');
    expect(html).toContain('<h2 id="gen3-demofile-index"><a href="../../services/file-index/index.html">gen3-demo/file-index</a><a class="heading-anchor" href="#gen3-demofile-index"');
    expect(html).toContain('<a href="../../services/demo-portal/index.html">gen3-demo/demo-portal</a>');
  });

  it('shows the image versions and the known bugs', () => {
    const html = body(read('releases/2026.05/index.html'));
    const table = html.slice(html.indexOf('id="image-versions"'), html.indexOf('id="known-bugs"'));
    expect(text(table)).toContain('file-index quay.io/gen3-demo/file-index 2026.05');
    expect(text(table)).toContain('fluentd fluent/fluentd-kubernetes-daemonset v1.16-debian-cloudwatch-1');
    const bugs = text(html.slice(html.indexOf('id="known-bugs"')));
    expect(bugs).toContain('the 3.0 migration holds a table lock for its whole run');
    expect(bugs).toContain('Fixed in 2026.06');
    // 2026.06 has no knownbugs.md.
    expect(read('releases/2026.06/index.html')).not.toContain('id="known-bugs"');
  });

  it('renders through the normal pipeline: sanitized, source link to the notes file', () => {
    const html = read('releases/2026.05/index.html');
    expect(html).toContain('gen3-demo/demo-manifest/releases/2026/05/gen3_release_notes.md</a>');
    expect(html).not.toMatch(/<script(?![^>]*type="module")[^>]*>[^<]*alert/);
  });

  it('lists the releases newest first in a table with counts and a breaking flag', () => {
    const html = body(read('releases/index.html'));
    const rows = [...html.matchAll(/<tr( class="has-breaking")?>\s*<th scope="row"><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[2], version: m[3], breaking: Boolean(m[1]) }));
    expect(rows).toEqual([
      { href: '2026.06/index.html', version: '2026.06', breaking: false },
      { href: '2026.05/index.html', version: '2026.05', breaking: true },
    ]);
    expect(html).toContain('href="breaking-changes/index.html#v2026.05"');
    expect(text(html)).toContain('2026.05 Breaking Hemimorphite May 2026 4 3 1 2 3 2 0 0');
  });

  it('lists the breaking changes by release, then service', () => {
    const html = body(read('releases/breaking-changes/index.html'));
    expect(html).toContain('<h2 id="v2026.05"><a href="../2026.05/index.html">Gen3 2026.05 (Hemimorphite)</a><a class="heading-anchor"');
    expect(html).toContain('<h3 id="gen3-demofile-index"><a href="../2026.05/index.html#gen3-demofile-index">gen3-demo/file-index</a><a class="heading-anchor"');
    expect(text(html)).toContain('The deprecated acl field is removed from records');
    expect(text(html)).not.toContain('None recorded');
  });

  it("gives each service its changes by release, newest first, linked from the service's page and sidebar", () => {
    const html = body(read('services/file-index/changes/index.html'));
    const june = html.indexOf('2026.06 (Ilmenite)');
    const may = html.indexOf('2026.05 (Hemimorphite)');
    expect(june).toBeGreaterThan(0);
    expect(may).toBeGreaterThan(june);
    expect(html).toContain('<h2 id="2026">2026<a class="heading-anchor" href="#2026"');
    expect(html).toContain('href="../../../releases/2026.05/index.html#gen3-demofile-index"');
    expect(text(html)).toContain('Breaking Changes: The deprecated acl field is removed');
    expect(text(html)).toContain('Improvements: Upgrade to Python 3.13');
    expect(text(html)).toContain('5 changes to gen3-demo/file-index listed in the notes of 2 Gen3 releases');
    const readme = read('services/file-index/index.html');
    expect(readme).toContain('<p class="release-history-link" data-pagefind-ignore><a href="changes/index.html">Changes by release</a>');
    expect(readme).toMatch(/<nav id="sidebar-nav"[\s\S]*?<a href="changes\/index.html">Changes by release<\/a>/);
  });

  it('writes releases/index.json that validates against its schema', () => {
    const schema = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'docs/schemas/releases-index.schema.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    const index = JSON.parse(read('releases/index.json'));
    expect(validate(index), JSON.stringify(validate.errors)).toBe(true);
    expect(index.releases.map((r: { version: string }) => r.version)).toEqual(['2026.06', '2026.05']);
  });

  it('writes an Atom feed with the required elements, linked from every page', () => {
    const xml = read('releases/feed.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'link'].includes(name) }).parse(xml).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toMatch(/^tag:/);
    expect(feed.title).toBeTruthy();
    expect(feed.updated).toBe('2026-06-01T00:00:00Z');
    expect(feed.link.map((l: Record<string, string>) => [l['@_rel'], l['@_href']])).toEqual([
      ['self', 'feed.xml'],
      ['alternate', './'],
    ]);
    expect(feed.entry.length).toBe(2);
    const [june, may] = feed.entry;
    expect(may.title).toBe('Gen3 2026.05 (Hemimorphite)');
    expect(may.updated).toBe('2026-05-01T00:00:00Z');
    expect(may.id).toMatch(/^tag:[^\s]+2026\.05$/);
    expect(may.link[0]['@_href']).toBe('2026.05/');
    expect(may.summary).toContain('1 Breaking Changes');
    expect(may.content['@_type']).toBe('html');
    expect(may.content['#text']).toContain('gen3-demo/file-index');
    expect(june.id).not.toBe(may.id);
    expect(read('index.html')).toContain('<link rel="alternate" type="application/atom+xml" title="Gen3 releases" href="releases/feed.xml">');
  });

  it('reports parser warnings with file and line, none for the demo', () => {
    expect(result.warnings.filter((w) => w.file.includes('demo-manifest'))).toEqual([]);
  });
});

describe('release pages with an origin and GitHub releases', () => {
  let out: string;
  let result: BuildResult;
  const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

  beforeAll(async () => {
    ({ out, result } = await buildDemo({ githubReleases: true, origin: 'https://docs.example.org' }));
  }, 60_000);

  it('uses absolute links in the feed', () => {
    const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'link'].includes(name) }).parse(read('releases/feed.xml')).feed;
    expect(feed.link[0]['@_href']).toBe('https://docs.example.org/docs/releases/feed.xml');
    expect(feed.entry[0].link[0]['@_href']).toBe('https://docs.example.org/docs/releases/2026.06/');
    expect(feed.entry.length).toBe(2);
  });

  it("lists a service's GitHub releases with its changes and in index.json, not among the core releases", () => {
    const changes = body(read('services/file-index/changes/index.html'));
    expect(changes).toContain('href="https://github.com/gen3-demo/file-index/releases/tag/v3.1.0"');
    expect(text(changes)).toContain('file-index 3.1.0 · GitHub release, July 2026');
    expect(changes.indexOf('3.1.0')).toBeLessThan(changes.indexOf('2026.06'));
    const index = JSON.parse(read('releases/index.json'));
    expect(index.releases.map((r: { version: string }) => r.version)).toEqual(['3.1.0', '2026.06', '2026.05']);
    expect(body(read('releases/index.html'))).not.toContain('3.1.0');
    const breaking = text(body(read('releases/breaking-changes/index.html')));
    expect(breaking).toContain('gen3-demo/file-index 3.1.0');
    expect(breaking).toContain('GET /index pages with start only');
    // The undated one is left out, with a warning.
    expect(result.warnings.some((w) => w.message.includes('nightly') && w.message.includes('left out'))).toBe(true);
  });
});

describe('release pages of hostile notes', () => {
  const HUGE = '1000000000000000000000';
  let out: string;
  let result: BuildResult;
  const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

  beforeAll(async () => {
    const notes = [
      '# Core Gen3 Release 2030.01 (Hostile)',
      '',
      '## hostile-org/manifest',
      '',
      '### Bug Fixes',
      '',
      `- A ref past any real number (#${HUGE})`,
      `- A link to one [there](https://github.com/uc-cdis/fence/pull/${HUGE})`,
      '- An ordinary ref (#42)',
      '',
    ].join('\n');
    const manifest = JSON.stringify({ versions: { fence: 'quay.io/cdis/fence:1.0\n# Injected heading', portal: 'quay.io/cdis/portal:2.0 | `x` <img src=x onerror=alert(1)> [x](y) *e*' } }, null, 2);
    const snap = makeHostileSnapshot(
      [{ name: 'manifest', files: [{ path: 'README.md', content: '# Manifest\n' }, { path: 'releases/2030/01/gen3-release-notes.md', content: notes }, { path: 'releases/2030/01/manifest.json', content: manifest }] }],
      { releaseNotes: { repo: 'hostile-org/manifest', path: 'releases' } },
    );
    out = snap.out;
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: out, search: false });
  }, 60_000);
  afterAll(removeTemporaryFolders);

  it('keeps a PR number past nine digits as text: no link of its own, never written as 1e+21', () => {
    const html = body(read('releases/2030.01/index.html'));
    expect(text(html)).toContain(`A ref past any real number (#${HUGE})`);
    expect(html).not.toContain(`hostile-org/manifest/pull/${HUGE}`);
    expect(html).toContain(`href="https://github.com/uc-cdis/fence/pull/${HUGE}"`);
    expect(html).toContain('href="https://github.com/hostile-org/manifest/pull/42"');
    for (const file of ['releases/2030.01/index.html', 'releases/index.json', 'md/releases/2030.01.md']) expect(read(file)).not.toMatch(/e\+\d/);
    const index = JSON.parse(read('releases/index.json'));
    const items = index.releases[0].services[0].categories[0].items as { pullRequests: { number: number }[] }[];
    expect(items.map((i) => i.pullRequests.map((p) => p.number))).toEqual([[], [], [42]]);
  });

  it('shows image versions as one line of text each: no heading, link or markup from the manifest', () => {
    const html = body(read('releases/2030.01/index.html'));
    expect(html.match(/<h[1-6][^>]*>[^<]*Injected/g)).toBeNull();
    const table = html.slice(html.indexOf('id="image-versions"'));
    expect(text(table)).toContain('fence quay.io/cdis/fence 1.0 # Injected heading');
    expect(text(table)).toContain('portal quay.io/cdis/portal 2.0 | `x` <img src=x onerror=alert(1)> [x](y) *e*');
    expect(table).not.toMatch(/<img|href="y"|<em>/);
    expect(result.warnings).toContainEqual({
      file: 'hostile-org/manifest/releases/2030/01/manifest.json',
      line: 3,
      message: 'manifest.json: versions.fence holds line breaks or control characters; read as "quay.io/cdis/fence:1.0 # Injected heading"',
      ruleId: 'release-manifest',
    });
  });
});

describe('helpers', () => {
  it('moves headings down under a section, setext ones included', () => {
    expect(demoteHeadings('# A\n\ntext\n\n## B\n\nC\n=\n', 3)).toBe('### A\n\ntext\n\n#### B\n\n### C\n\n');
    expect(demoteHeadings('### A\n', 3)).toBe('### A\n');
  });

  it('escapes XML and drops characters XML cannot hold', () => {
    expect(xmlText('a < b & "c" \u0001\ud800')).toBe('a &lt; b &amp; &quot;c&quot; ');
  });
});

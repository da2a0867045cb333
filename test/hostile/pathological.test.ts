/**
 * Pathological Markdown: shapes on which remark is quadratic or recurses without bound. Each must finish in
 * bounded time, alone and inside a whole build, with the page either rendered or shown as escaped source
 * with a warning naming the file. A hostile mkdocs.yml (an alias loop, deep or huge navigation) is bounded the
 * same way: a warning naming it, and the guides still published.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { buildCatalog } from '../../src/catalog/catalog.ts';
import { MKDOCS_NAV_LIMITS, mkdocsNav, type NavItem } from '../../src/compose/nav.ts';
import { loadConfig } from '../../src/config/load.ts';
import { measureComplexity } from '../../src/render/complexity.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import type { Warning } from '../../src/core/warning.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { context, doc } from '../render/helpers.ts';
import { makeHostileSnapshot, type HostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

const N = 50_000;
const FALLBACK = 'not rendered as Markdown, shown as plain text: ';

interface Case {
  name: string;
  file: string;
  make: () => string;
  /** The warning the guard gives, or null when the page renders as Markdown. */
  warning: string | null;
}

const cases: Case[] = [
  { name: '50,000 nested brackets', file: 'docs/brackets.md', make: () => '['.repeat(N) + 'x' + ']'.repeat(N), warning: 'line 1: more than 64 unclosed brackets or parentheses' },
  { name: '50,000 unclosed link destinations', file: 'docs/links.md', make: () => '[a]('.repeat(N), warning: 'line 1: more than 64 unclosed brackets or parentheses' },
  { name: '50,000 nested list levels on one line', file: 'docs/list-inline.md', make: () => '- '.repeat(N) + 'x', warning: 'line 1: more than 32 nested blockquotes or lists' },
  {
    name: 'a list nested by indentation, 1,000 levels',
    file: 'docs/list-indent.md',
    make: () => Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n'),
    warning: /^line \d+: too complex to render \(estimated cost over 60000\)$/.source,
  },
  { name: '50,000 nested blockquotes', file: 'docs/quote.md', make: () => '>'.repeat(N) + ' x', warning: 'line 1: more than 32 nested blockquotes or lists' },
  {
    name: 'blockquotes deepening line by line',
    file: 'docs/quote-lines.md',
    make: () => Array.from({ length: 2000 }, (_, i) => `${'>'.repeat(i)} x`).join('\n'),
    warning: 'line 34: more than 32 nested blockquotes or lists',
  },
  { name: '50,000 emphasis delimiters in one paragraph', file: 'docs/emphasis.md', make: () => '*a'.repeat(N), warning: 'line 1: too complex to render (estimated cost over 60000)' },
  {
    name: 'a table with 5,000 columns',
    file: 'docs/table.md',
    make: () => '|a'.repeat(5000) + '|\n' + '|-'.repeat(5000) + '|\n' + ('|x'.repeat(5000) + '|\n').repeat(50),
    warning: /^line \d+: too complex to render \(estimated cost over 60000\)$/.source,
  },
  { name: 'a megabyte of links in one paragraph', file: 'docs/many-links.md', make: () => '[a](b) '.repeat(150_000), warning: 'line 1: too complex to render (estimated cost over 60000)' },
  { name: 'a 1.9 MB single line of words', file: 'docs/long-line.md', make: () => 'word '.repeat(380_000), warning: null },
];

function expectWarning(messages: string[], warning: string | null): void {
  if (warning === null) {
    expect(messages).toEqual([]);
    return;
  }
  expect(messages).toHaveLength(1);
  expect(messages[0]!.startsWith(FALLBACK)).toBe(true);
  const rest = messages[0]!.slice(FALLBACK.length);
  if (warning.startsWith('^')) expect(rest).toMatch(new RegExp(warning));
  else expect(rest).toBe(warning);
}

describe('pathological Markdown, page by page', () => {
  it.each(cases)('$name: finishes in bounded time', async ({ make, warning, file }) => {
    const text = make();
    const started = performance.now();
    const page = await renderMarkdown(doc(text, file), context(file));
    const seconds = (performance.now() - started) / 1000;
    console.log(`[pathological] ${file}: ${text.length} characters, ${seconds.toFixed(2)} s`);
    // A bound against runaway cost, not a speed target: the 1.9 MB line takes 4 s here on its own (GFM's
    // autolink and table scanning), 19 s on a loaded machine; what the guard stops would take far longer.
    expect(seconds).toBeLessThan(80);
    expectWarning(
      page.warnings.filter((w) => !w.message.startsWith('broken')).map((w) => w.message),
      warning,
    );
    if (warning !== null) {
      // The fallback is the escaped source in <pre>: a few characters of it prove the text is there.
      expect(page.html).toMatch(/^<h1>[^<]*<\/h1>\n<pre class="source-fallback">/);
      expect(page.html).toContain(text.slice(0, 200).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
  });

  it('the pre-check itself is linear: 2 MB of the worst shapes measured in well under a second', () => {
    for (const text of ['['.repeat(2e6), '*a'.repeat(1e6), '- x\n'.repeat(5e5), '> '.repeat(1e6)]) {
      const started = performance.now();
      measureComplexity(text);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('leaves every page of the Gen3 shape far below the limits', () => {
    const ordinary = ['# Title', '', 'Some *text* with a [link](docs/a.md) and `code`.', '', '- item', '  - nested', '', '> quote', '', '| a | b |', '|---|---|', '| 1 | 2 |'].join('\n');
    expect(measureComplexity(ordinary.repeat(100)).problem).toBeUndefined();
  });

  it('a page that is deep HTML overflowing the stack falls back with a warning instead of failing', async () => {
    const page = await renderMarkdown(doc('<div>'.repeat(5000), 'docs/divs.md'), context('docs/divs.md'));
    expect(page.warnings.map((w) => w.message)).toEqual(['could not render: Maximum call stack size exceeded']);
    expect(page.html).toContain('<pre class="source-fallback">&lt;div&gt;&lt;div&gt;');
  });
});

describe('pathological Markdown in a whole build', () => {
  let snap: HostileSnapshot;
  let result: BuildResult;
  let seconds: number;

  beforeAll(async () => {
    snap = makeHostileSnapshot([
      {
        name: 'pathos',
        files: [
          { path: 'README.md', content: `# Pathos\n\n${cases.map((c) => `- [${c.name}](${c.file})`).join('\n')}\n- [divs](docs/divs.md)\n- [huge](docs/huge-line.md)\n` },
          ...cases.map((c) => ({ path: c.file, content: c.make() })),
          { path: 'docs/divs.md', content: '<div>'.repeat(5000) },
          { path: 'docs/huge-line.md', content: 'word '.repeat(2_000_000) },
        ],
      },
    ]);
    const started = performance.now();
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false });
    seconds = (performance.now() - started) / 1000;
    console.log(`[pathological] whole build: ${seconds.toFixed(1)} s`);
  });

  it('completes in bounded time', () => {
    expect(result.repositories.failed).toEqual([]);
    // 6 s here on its own, 22-36 s on a loaded machine.
    expect(seconds).toBeLessThan(180);
  });

  it('writes a page for every pathological file, each linked from the README', () => {
    const readme = readFileSync(path.join(snap.out, 'services/pathos/index.html'), 'utf8');
    for (const c of cases) {
      const url = `services/pathos/${c.file.replace(/\.md$/, '')}/`;
      expect(existsSync(path.join(snap.out, url, 'index.html')), url).toBe(true);
      expect(readme).toContain(`href="${c.file.replace(/\.md$/, '')}/index.html"`);
    }
    expect(existsSync(path.join(snap.out, 'services/pathos/docs/divs/index.html'))).toBe(true);
  });

  it('warns about each page shown as source, naming the file', () => {
    for (const c of cases.filter((c) => c.warning !== null)) {
      const mine = result.warnings.filter((w) => w.file === `hostile-org/pathos/${c.file}`).map((w) => w.message);
      expectWarning(mine.filter((m) => !m.startsWith('broken')), c.warning);
    }
    expect(result.warnings).toContainEqual({ file: 'hostile-org/pathos/docs/divs.md', message: 'could not render: Maximum call stack size exceeded', ruleId: 'render-failed' });
  });

  it('skips the 10 MB single line with a warning: it is over the 2 MB cap', () => {
    expect(result.warnings).toContainEqual({ file: 'hostile-org/pathos/docs/huge-line.md', message: '9.5 MB is over the 2 MB limit for Markdown files; skipped', ruleId: 'large-file' });
    expect(existsSync(path.join(snap.out, 'services/pathos/docs/huge-line'))).toBe(false);
    // The README's link to it goes to GitHub: the file exists in the repository, just not in the bundle.
    const readme = readFileSync(path.join(snap.out, 'services/pathos/index.html'), 'utf8');
    expect(readme).toContain('href="https://github.com/hostile-org/pathos/blob/1111111111111111111111111111111111111111/docs/huge-line.md"');
  });
});

/** Guide pages of the hostile guides repository, under docs/. */
const GUIDES = ['index.md', 'start.md', 'deep/page.md'];
const NAV_LOOP = 'the guides are listed by path';
const LIST = Array.from({ length: 1000 }, (_, i) => `  - Page ${i}: start.md`).join('\n');

/** Hostile mkdocs.yml files; `expect`: the warnings about the file, and whether the nav is used at all. */
const navCases: { name: string; yml: string; warning: RegExp; fallback: boolean }[] = [
  { name: 'an alias that loops', yml: 'site_name: x\nnav: &a\n  - Home: index.md\n  - Again: *a\n', warning: /^`nav` contains itself through a YAML alias/, fallback: true },
  {
    name: 'a loop inside a section that opens with its page',
    yml: 'nav:\n  - Home: index.md\n  - Section: &s\n    - start.md\n    - Inner: *s\n',
    warning: /^`nav` contains itself through a YAML alias/,
    fallback: true,
  },
  { name: 'a section of the flow form nested 50 deep', yml: `nav: ${'[{Level: '.repeat(50)}start.md${'}]'.repeat(50)}\n`, warning: /^`nav` is nested deeper than 10 levels;/, fallback: false },
  {
    name: 'a section nested 5,000 deep',
    yml: `nav: ${'[{Level: '.repeat(5000)}start.md${'}]'.repeat(5000)}\n`,
    // Whether the YAML parser itself runs out of stack depends on the stack it is given; either way, a warning.
    warning: /^(`nav` is nested deeper than 10 levels;|cannot read the navigation: Maximum call stack size exceeded)/,
    fallback: false,
  },
  { name: '50 aliases of a 1,000-entry list', yml: `list: &l\n${LIST}\nnav:\n${Array.from({ length: 50 }, (_, i) => `  - Section ${i}: *l`).join('\n')}\n`, warning: /^`nav` has more than 1000 entries;/, fallback: false },
  { name: 'a 2.8 MB mkdocs.yml', yml: `nav:\n${'  - A very long title for a page: start.md\n'.repeat(68_500)}`, warning: /^2\.8 MB is over the 1 MB limit for the navigation file;/, fallback: true },
];

describe('a hostile mkdocs.yml', () => {
  const guidesRepo = (yml: string) => ({ name: 'guides', files: [{ path: 'mkdocs.yml', content: yml }, ...GUIDES.map((p) => ({ path: `docs/${p}`, content: `# Guide ${p}\n` }))] });

  it.each(navCases)('$name: the navigation is bounded, with a warning naming mkdocs.yml', async ({ yml, warning, fallback }) => {
    const snap = makeHostileSnapshot([guidesRepo(yml)]);
    const source = createSnapshotSource(snap.snapshot);
    const guides = await source.loadRepository({ repo: 'hostile-org/guides', include: ['docs/**/*.md', 'mkdocs.yml'], exclude: [], tags: false });
    const config = { ...loadConfig(snap.configFile), repositories: [], guides: { repo: 'hostile-org/guides', path: 'docs', nav: 'mkdocs.yml' } };
    const catalog = buildCatalog({ config, services: [], guides });
    const warnings: Warning[] = [];
    const started = performance.now();
    const nav = mkdocsNav({ text: yml, file: 'mkdocs.yml', repo: 'hostile-org/guides', docsDir: 'docs', catalog, guides: catalog.guides, rendered: new Map(), warnings });
    const seconds = (performance.now() - started) / 1000;
    // A bound against runaway cost: each case takes well under a second.
    expect(seconds).toBeLessThan(10);
    expect(warnings.map((w) => w.file)).toEqual(warnings.map(() => 'hostile-org/guides/mkdocs.yml'));
    expect(warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(warning));
    const entries = (items: NavItem[]): number => items.reduce((n, item) => n + 1 + entries(item.children), 0);
    expect(entries(nav)).toBeLessThanOrEqual(MKDOCS_NAV_LIMITS.entries + GUIDES.length);
    // Every guide stays reachable; a nav that is not used at all lists them by path.
    const urls = (items: NavItem[]): string[] => items.flatMap((item) => [...(item.url ? [item.url] : []), ...urls(item.children)]);
    expect(new Set(urls(nav))).toEqual(new Set(catalog.guides.map((p) => p.url)));
    if (fallback) expect(nav.map((i) => i.url)).toEqual(catalog.guides.map((p) => p.url));
    if (fallback) expect(warnings.find((w) => warning.test(w.message))!.message).toMatch(NAV_LOOP);
  });

  it.each(navCases.filter((c) => /loops|aliases/.test(c.name)))('$name: the build publishes every guide, each page of bounded size', async ({ yml, warning }) => {
    const snap = makeHostileSnapshot([guidesRepo(yml)], { guides: { repo: 'hostile-org/guides', path: 'docs', nav: 'mkdocs.yml' } });
    const result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false, markdown: false });
    expect(result.repositories.failed).toEqual([]);
    expect(result.warnings.filter((w) => w.file === 'hostile-org/guides/mkdocs.yml').map((w) => w.message)).toContainEqual(expect.stringMatching(warning));
    for (const [url, page] of [['guides/', 'index.md'], ['guides/start/', 'start.md'], ['guides/deep/page/', 'deep/page.md']]) {
      const file = path.join(snap.out, url!, 'index.html');
      expect(readFileSync(file, 'utf8')).toContain(`Guide ${page}`);
      // 1,000 entries of the nav, each a link of a few dozen bytes: far from the megabytes an unbounded nav made.
      expect(statSync(file).size).toBeLessThan(1024 * 1024);
    }
  }, 120_000);
});

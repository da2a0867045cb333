import { describe, expect, it } from 'vitest';
import type { Warning } from '../../src/core/warning.ts';
import { mkdocsPagePath, normalizeOldPath, oldSiteLookup, siteUrls, type SiteUrlsInput } from '../../src/catalog/site-urls.ts';
import { blogPostPath, postSlugify, readPostFrontMatter } from '../../src/catalog/blog-posts.ts';

/** A made-up MkDocs site: a home, a nested guide, a folder index and two blog posts. */
const YML = [
  'site_name: Widget docs',
  'site_url: https://docs.widget.test/',
  'plugins:',
  '  - search',
  '  - blog:',
  '      blog_dir: news',
  '      authors_file: "{blog}/authors.yml"',
  '  - redirects:',
  '      redirect_maps:',
  "        'old/setup.md': 'guide/setup.md#install'",
  "        'gone.md': 'https://elsewhere.test/'",
  "        'old/missing.md': 'guide/nothing.md'",
].join('\n');

const page = (path: string, url: string, text = '# Page\n') => ({ path, url, text });
const PAGES = [
  page('docs/index.md', 'guides/'),
  page('docs/guide/setup.md', 'guides/guide/setup/'),
  page('docs/guide/index.md', 'guides/guide/'),
  page('docs/news/index.md', 'guides/news/'),
  page('docs/news/posts/first.md', 'guides/news/posts/first/', '---\ndate: 2024-02-09\nslug: Hello World\nauthors: [ann]\ncategories: [Release news]\n---\n\n# First\n'),
  page('docs/news/posts/second.md', 'guides/news/posts/second/', '---\ntitle: "Second: the sequel!"\ndate:\n  created: 2025-11-30\nauthors:\n  - ann\n  - zed\ncategories: [Release news, How to]\n---\n\nText\n'),
  page('docs/news/posts/draft.md', 'guides/news/posts/draft/', '---\ndate: 2025-01-01\ndraft: true\n---\n# Draft\n'),
  page('docs/news/posts/undated.md', 'guides/news/posts/undated/', '---\ntitle: Undated\ndate: 2025-02-30\n---\n# Undated\n'),
];

function run(overrides: Partial<SiteUrlsInput> = {}) {
  const warnings: Warning[] = [];
  const result = siteUrls({
    repo: 'acme/docs',
    docsDir: 'docs',
    mkdocsYml: { file: 'acme/docs/mkdocs.yml', text: YML },
    pages: PAGES,
    fileText: (p) => (p === 'docs/news/authors.yml' ? 'authors:\n  ann:\n    name: Ann Example\n    description: Writer\n    avatar: https://pictures.test/ann.png\n' : undefined),
    configFile: 'sources.json',
    pageUrls: new Set([...PAGES.map((p) => p.url), 'services/widget/']),
    warnings,
    ...overrides,
  });
  return { ...result, warnings };
}

describe('old addresses of a MkDocs site', () => {
  it('follows use_directory_urls, with and without it', () => {
    expect(mkdocsPagePath('a/b.md')).toBe('a/b/');
    expect(mkdocsPagePath('a/index.md')).toBe('a/');
    expect(mkdocsPagePath('a/README.md')).toBe('a/');
    expect(mkdocsPagePath('index.md')).toBe('');
    expect(mkdocsPagePath('a/b.md', false)).toBe('a/b.html');
    expect(mkdocsPagePath('a/index.md', false)).toBe('a/index.html');
  });

  it('gives every page a redirect at its old path, blog posts at their dated slug, drafts none', () => {
    const { redirects, warnings } = run();
    expect(redirects).toEqual([
      { from: 'guide/setup/', to: 'guides/guide/setup/' },
      { from: 'guide/', to: 'guides/guide/' },
      { from: 'news/', to: 'guides/news/' },
      { from: 'news/2024/02/09/Hello World/', to: 'guides/news/posts/first/' },
      { from: 'news/2025/11/30/second-the-sequel/', to: 'guides/news/posts/second/' },
      { from: 'news/category/how-to/', to: 'guides/news/category/how-to/' },
      { from: 'news/category/release-news/', to: 'guides/news/category/release-news/' },
      { from: 'old/setup/', to: 'guides/guide/setup/', fragment: 'install' },
    ]);
    expect(warnings).toEqual([
      { file: 'acme/docs/docs/news/posts/second.md', line: 5, message: 'blog post: author "zed" is not in docs/news/authors.yml; shown by id', ruleId: 'blog' },
      { file: 'acme/docs/docs/news/posts/undated.md', line: 3, message: 'blog post: date "2025-02-30" is no day of the calendar; it is left out of the blog and gets no address under news/', ruleId: 'blog' },
      { file: 'acme/docs/mkdocs.yml', message: 'redirect_maps "gone.md -> https://elsewhere.test/": points outside the bundle; skipped', ruleId: 'redirect' },
      { file: 'acme/docs/mkdocs.yml', message: 'redirect_maps "old/missing.md -> guide/nothing.md": guide/nothing.md is no page of the guides; skipped', ruleId: 'redirect' },
    ]);
  });

  it('writes .html redirects when the site had no directory URLs', () => {
    const { redirects } = run({ mkdocsYml: { file: 'acme/docs/mkdocs.yml', text: 'use_directory_urls: false\n' } });
    expect(redirects.map((r) => r.from)).toEqual(['guide/setup.html', 'guide/index.html', 'news/index.html', 'news/posts/first.html', 'news/posts/second.html', 'news/posts/draft.html', 'news/posts/undated.html']);
  });

  it('takes configured redirects and warns about each bad one, naming the entry', () => {
    const { redirects, warnings } = run({
      configured: {
        'moved/page': 'guides/guide/setup/#usage',
        'evil/': 'javascript:alert(1)',
        'away/': 'https://elsewhere.test/x/',
        'nowhere/': 'guides/not-a-page/',
        'guide/setup/': 'guides/news/',
        'services/widget/': 'guides/guide/',
        '../escape/': 'guides/guide/',
      },
    });
    expect(redirects).toContainEqual({ from: 'moved/page/', to: 'guides/guide/setup/', fragment: 'usage' });
    expect(redirects.find((r) => r.from === 'guide/setup/')!.to).toBe('guides/guide/setup/');
    expect(redirects.some((r) => r.from.startsWith('services/') || r.from.includes('..'))).toBe(false);
    const messages = warnings.filter((w) => w.file === 'sources.json').map((w) => w.message);
    expect(messages).toEqual([
      'redirects "evil/ -> javascript:alert(1)": points outside the bundle; a redirect leads to a page of the bundle, e.g. "guides/a/b/"; skipped',
      'redirects "away/ -> https://elsewhere.test/x/": points outside the bundle; a redirect leads to a page of the bundle, e.g. "guides/a/b/"; skipped',
      'redirects "nowhere/ -> guides/not-a-page/": guides/not-a-page/ is no page of the bundle (give its URL, e.g. "guides/a/b/"); skipped',
      'redirects "guide/setup/ -> guides/news/": guide/setup/ already leads to guides/guide/setup/; this one is skipped',
      'redirects "../escape/ -> guides/guide/": "../escape/" is not a path the bundle can write; skipped',
      'redirects "services/widget/ -> guides/guide/": the bundle has a page at "services/widget/", which is kept',
    ]);
  });

  it('resolves links to the old site into the bundle, keeping or adding the fragment', () => {
    const { site } = run();
    expect(site?.prefix).toBe('https://docs.widget.test/');
    const lookup = oldSiteLookup(site);
    expect(lookup('https://docs.widget.test/guide/setup/')).toEqual({ targetUrl: 'guides/guide/setup/' });
    expect(lookup('http://www.docs.widget.test/guide/setup#step-1')).toEqual({ targetUrl: 'guides/guide/setup/', fragment: 'step-1' });
    expect(lookup('https://docs.widget.test/guide/setup/index.html')).toEqual({ targetUrl: 'guides/guide/setup/' });
    expect(lookup('https://docs.widget.test')).toEqual({ targetUrl: 'guides/' });
    expect(lookup('https://docs.widget.test/old/setup/')).toEqual({ targetUrl: 'guides/guide/setup/', fragment: 'install' });
    expect(lookup('https://docs.widget.test/news/2024/02/09/Hello%20World/')).toEqual({ targetUrl: 'guides/news/posts/first/' });
    expect(lookup('https://docs.widget.test/no/such/page/')).toBeUndefined();
    expect(lookup('https://docs.widget.test.evil.test/guide/setup/')).toBeUndefined();
    expect(lookup('https://other.test/guide/setup/')).toBeUndefined();
    expect(oldSiteLookup(undefined)('https://docs.widget.test/guide/setup/')).toBeUndefined();
  });

  it('normalises old paths as links write them', () => {
    expect(normalizeOldPath('/a/b')).toBe('a/b/');
    expect(normalizeOldPath('a/index.html')).toBe('a/');
    expect(normalizeOldPath('a/b.html')).toBe('a/b.html');
    expect(normalizeOldPath('')).toBe('');
  });
});

describe('blog posts', () => {
  it('make the blog: posts newest first without drafts, authors from the authors file, a page per category', () => {
    const { blog } = run();
    expect(blog).toEqual({
      dir: 'news',
      indexUrl: 'guides/news/',
      posts: [
        { url: 'guides/news/posts/second/', path: 'docs/news/posts/second.md', date: '2025-11-30', authors: ['ann', 'zed'], categories: ['Release news', 'How to'], oldPath: 'news/2025/11/30/second-the-sequel/' },
        { url: 'guides/news/posts/first/', path: 'docs/news/posts/first.md', date: '2024-02-09', authors: ['ann'], categories: ['Release news'], oldPath: 'news/2024/02/09/Hello World/' },
      ],
      authors: { ann: { name: 'Ann Example', description: 'Writer', avatar: 'https://pictures.test/ann.png' } },
      categories: [
        { name: 'How to', slug: 'how-to', url: 'guides/news/category/how-to/', oldPath: 'news/category/how-to/' },
        { name: 'Release news', slug: 'release-news', url: 'guides/news/category/release-news/', oldPath: 'news/category/release-news/' },
      ],
    });
  });

  it('warn about an authors file that cannot be read', () => {
    const { warnings } = run({ fileText: () => 'authors: [not, a, map]\n' });
    expect(warnings).toContainEqual({ file: 'acme/docs/docs/news/authors.yml', message: 'has no `authors:` map; posts show author ids only', ruleId: 'blog' });
  });

  it('slugify titles as Material does (pymdownx, lower case)', () => {
    expect(postSlugify('A new series: How does it work...')).toBe('a-new-series-how-does-it-work');
    expect(postSlugify('Café  <em>au</em> lait')).toBe('café--au-lait');
  });

  it('read dates, authors, categories and drafts from the front matter', () => {
    const post = readPostFrontMatter('---\ndraft: false\nauthors:\n  - ann\ndate: 2023-09-13\ncategories: [Ops, News]\n---\n# Title here\n');
    expect(post).toMatchObject({ authors: ['ann'], categories: ['Ops', 'News'], draft: false, heading: 'Title here', dateLine: 5 });
    expect(blogPostPath(post, { dir: 'blog', authorsFile: 'blog/.authors.yml', urlFormat: '{date}/{slug}', dateFormat: 'yyyy/MM/dd' })).toEqual({ path: 'blog/2023/09/13/title-here/' });
    expect(blogPostPath(readPostFrontMatter('# No date\n'), { dir: 'blog', authorsFile: 'blog/.authors.yml', urlFormat: '{date}/{slug}', dateFormat: 'yyyy/MM/dd' })).toEqual({ problem: 'no date in its front matter (date: YYYY-MM-DD)', line: undefined });
  });
});

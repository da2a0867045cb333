/**
 * Draft blog posts (front matter `draft: true`) as Material's blog plugin treats them by default: not built at
 * all. No page, no search entry, no place in the manifest, sitemap, old addresses, blog page, feed or sidebar;
 * a link to a draft leads to the file on GitHub. With the plugin's `draft: true`, drafts are built.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { fixtureConfig, fixtureSource, MKDOCS_YML, REPOS } from './fixture.ts';

const guides = REPOS['acme/guides']!;
const repos = (plugin: string) => ({
  ...REPOS,
  'acme/guides': {
    ...guides,
    files: {
      ...guides.files,
      'mkdocs.yml': `${MKDOCS_YML.replace('  - orphan.md\n', '  - orphan.md\n  - Blog:\n    - blog/index.md\n')}plugins:\n  - ${plugin}\n`,
      'docs/blog/index.md': '# Blog\n',
      'docs/blog/posts/live.md': '---\ndate: 2025-03-01\nslug: live-post\n---\n# Live post\n\nSee [the plan](wip.md#plan) too.\n',
      'docs/blog/posts/wip.md': '---\ndate: 2025-04-01\nslug: wip-post\ndraft: true\ncategories: [Unannounced]\n---\n# Work in progress\n\n## Plan\n\nNot yet.\n',
      'docs/contact.md': '# Contact us\n\nRead [the coming post](blog/posts/wip.md).\n',
    },
  },
});

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('blog drafts', () => {
  let root: string;
  let out: string;
  let result: Awaited<ReturnType<typeof build>>;
  const read = (p: string) => readFileSync(path.join(out, p), 'utf8');

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'blog-drafts-'));
    out = path.join(root, 'out');
    const config = fixtureConfig({ origin: 'https://docs.example.org', baseUrl: '/' });
    result = await build({ config, source: fixtureSource(repos('blog')), outDir: out, search: false });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('are not built: no page, no Markdown copy, no old address', () => {
    expect(existsSync(path.join(out, 'guides/blog/posts/live/index.html'))).toBe(true);
    const files = walk(out);
    expect(files.filter((f) => /wip|unannounced/i.test(f))).toEqual([]);
    expect(existsSync(path.join(out, 'blog/2025/03/01/live-post/index.html'))).toBe(true);
  });

  it('are in no list: manifest, sitemap, blog page, feed, sidebar, categories', () => {
    for (const file of ['manifest.json', 'sitemap.xml', 'guides/blog/index.html', 'guides/blog/feed.xml', 'guides/blog/posts/live/index.html', 'guides/index.html']) {
      const text = read(file);
      expect(text, file).not.toMatch(/posts\/wip\/|wip-post|Work in progress|Unannounced/i);
    }
    expect(read('guides/blog/index.html')).toContain('Live post');
    expect(read('guides/blog/feed.xml')).toContain('Live post');
  });

  it('are linked on GitHub, from a page and from another post, anchors kept', () => {
    const blob = 'https://github.com/acme/guides/blob/';
    expect(read('guides/contact/index.html')).toMatch(new RegExp(`href="${blob}[0-9a-f]{40}/docs/blog/posts/wip\\.md"`));
    expect(read('guides/blog/posts/live/index.html')).toMatch(new RegExp(`href="${blob}[0-9a-f]{40}/docs/blog/posts/wip\\.md#plan"`));
    expect(result.warnings.filter((w) => w.ruleId === 'broken-link' || w.ruleId === 'broken-anchor')).toEqual([]);
  });

  it('are built when the plugin says `draft: true`, still out of the blog', async () => {
    const drafted = path.join(root, 'out-drafts');
    await build({ config: fixtureConfig(), source: fixtureSource(repos('blog:\n      draft: true')), outDir: drafted, search: false, markdown: false });
    expect(readFileSync(path.join(drafted, 'guides/blog/posts/wip/index.html'), 'utf8')).toContain('Work in progress');
    expect(readFileSync(path.join(drafted, 'guides/blog/index.html'), 'utf8')).not.toContain('Work in progress');
    expect(readFileSync(path.join(drafted, 'guides/contact/index.html'), 'utf8')).toContain('href="../blog/posts/wip/index.html"');
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import type { Blog } from '../../src/catalog/blog-posts.ts';
import { blogPageBody, nestBlogPosts, postDateText, postExcerpt } from '../../src/compose/blog.ts';
import { splitTitle } from '../../src/compose/releases.ts';
import { createTemplateEngine } from '../../src/compose/templates.ts';
import type { RenderedPage } from '../../src/render/types.ts';

const blog: Blog = {
  dir: 'blog',
  indexUrl: 'guides/blog/',
  posts: [
    { url: 'guides/blog/posts/new/', path: 'docs/blog/posts/new.md', date: '2025-03-01', authors: ['ann', 'zed'], categories: ['News'], oldPath: 'blog/2025/03/01/new/' },
    { url: 'guides/blog/posts/old/', path: 'docs/blog/posts/old.md', date: '2023-12-31', authors: [], categories: [], oldPath: 'blog/2023/12/31/old/' },
  ],
  authors: { ann: { name: 'Ann Example', description: 'Writer', avatar: 'https://pictures.test/ann.png' } },
  categories: [{ name: 'News', slug: 'news', url: 'guides/blog/category/news/', oldPath: 'blog/category/news/' }],
};

const page = (html: string, title: string): RenderedPage =>
  ({ html, title, description: '', toc: [], frontMatter: {}, ids: [], crossLinks: [], warnings: [], stats: { linksRewritten: 0, linksBroken: 0 }, sourceUrl: '', commit: '' }) as RenderedPage;

const NEW = page('<h1 id="new">New</h1>\n<p id="x">First <a href="../../../setup/index.html">setup</a>.</p>\n<p>Second.</p>\n<p>Third.</p>', 'New');
const OLD = page('<h1>Old</h1>\n<ul><li>a</li></ul>\n<p>Only <a href="#later">later</a>.</p>', 'Old');
const TEXT: Record<string, string> = {
  'guides/blog/posts/new/': '---\ndate: 2025-03-01\n---\n# New\n\nFirst [setup](../../setup.md).\n\nSecond.\n\n<!-- more -->\n\nThird.\n',
  'guides/blog/posts/old/': '# Old\n\n- a\n\nOnly [later](#later).\n',
};
const input = {
  blog,
  renderedAt: (url: string) => ({ 'guides/blog/posts/new/': NEW, 'guides/blog/posts/old/': OLD })[url],
  textAt: (url: string) => TEXT[url],
  render: (t: string, c: Record<string, unknown>) => createTemplateEngine().render(t, c),
  splitTitle,
};

describe('the blog', () => {
  it('puts its posts under its own entry of the guides navigation, newest first, drafts out of it', () => {
    const items = [
      { title: 'Home', url: 'guides/', children: [] },
      { title: 'Blog', children: [{ title: 'Blog', url: 'guides/blog/', children: [] }] },
      { title: 'Old', url: 'guides/blog/posts/old/', children: [] },
      { title: 'Draft', url: 'guides/blog/posts/draft/', children: [] },
      { title: 'New', url: 'guides/blog/posts/new/', children: [] },
    ];
    const nested = nestBlogPosts(items, blog, (url) => (url.includes('new') ? 'New post' : 'Old post'));
    expect(nested.map((i) => i.title)).toEqual(['Home', 'Blog']);
    expect(nested[1]!.children[0]!.children.map((i) => [i.title, i.url])).toEqual([
      ['New post', 'guides/blog/posts/new/'],
      ['Old post', 'guides/blog/posts/old/'],
    ]);
  });

  it('takes excerpts up to <!-- more -->, else the first paragraph, with ids dropped and links made relative to the list', () => {
    expect(postExcerpt({ url: 'guides/blog/posts/new/', text: TEXT['guides/blog/posts/new/']! }, NEW, 'guides/blog/')).toBe('<p>First <a href="../setup/index.html">setup</a>.</p><p>Second.</p>');
    expect(postExcerpt({ url: 'guides/blog/posts/old/', text: TEXT['guides/blog/posts/old/']! }, OLD, 'guides/blog/category/news/')).toBe('<p>Only <a href="../../posts/old/index.html#later">later</a>.</p>');
  });

  it('lists the posts on the blog page with date, authors, categories and excerpt', () => {
    const html = blogPageBody(input, 'guides/blog/', '<h1>Blog</h1>');
    expect(html.indexOf('New</a></h2>')).toBeLessThan(html.indexOf('Old</a></h2>'));
    expect(html).toContain('<time datetime="2025-03-01">March 1, 2025</time>');
    expect(html).toContain('Ann Example <span class="muted">(Writer)</span> <a class="blog-avatar" href="https://pictures.test/ann.png"');
    expect(html).toContain('zed'); // an author the authors file does not know is shown by id
    expect(html).toContain('<a href="category/news/index.html">News</a>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('Third.');
  });

  it('shows date and authors under a post\'s title', () => {
    const html = blogPageBody(input, 'guides/blog/posts/new/', NEW.html);
    expect(html).toMatch(/^<h1 id="new">New<\/h1>\s*<p class="blog-meta">\s*<time datetime="2025-03-01">/);
    expect(blogPageBody(input, 'guides/other/', '<h1>Other</h1>')).toBe('<h1>Other</h1>');
    expect(postDateText('2023-12-31')).toBe('December 31, 2023');
  });
});

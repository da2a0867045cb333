import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import type { Blog } from '../../src/catalog/blog-posts.ts';
import type { CatalogPage } from '../../src/catalog/catalog.ts';
import { blogFeed } from '../../src/publish/blog-feed.ts';
import type { RenderedPage } from '../../src/render/types.ts';

const blog: Blog = {
  dir: 'blog',
  indexUrl: 'guides/blog/',
  posts: [
    { url: 'guides/blog/posts/b/', path: 'docs/blog/posts/b.md', date: '2025-03-01', authors: ['ann', 'zed'], categories: ['News & notes'], oldPath: 'blog/2025/03/01/b/' },
    { url: 'guides/blog/posts/a/', path: 'docs/blog/posts/a.md', date: '2023-12-31', authors: [], categories: [], oldPath: 'blog/2023/12/31/a/' },
  ],
  authors: { ann: { name: 'Ann <Example>' } },
  categories: [],
};
const guide = (p: string, url: string) => ({ kind: 'guide', url, doc: { repo: 'acme/docs', path: p, text: '', blobSha: 'x', commitSha: 'y', sourceUrl: '' } }) as CatalogPage;
const pages = [guide('docs/blog/posts/b.md', 'guides/blog/posts/b/'), guide('docs/blog/posts/a.md', 'guides/blog/posts/a/')];
const rendered = new Map(pages.map((p, i) => [p, { title: i ? 'A' : 'B & more', html: `<h1>T</h1>\n<p>Body ${i} <a href="../x/index.html">x</a></p>`, description: `Body ${i}` } as RenderedPage]));

describe('blog feed', () => {
  it('lists the posts newest first with their dates, authors and categories, links absolute with an origin', () => {
    const file = blogFeed(blog, { guides: pages }, rendered, { title: 'Docs', baseUrl: '/', origin: 'https://docs.widget.test' });
    expect(file.path).toBe('guides/blog/feed.xml');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(String(file.content)).feed;
    expect(feed.updated).toBe('2025-03-01T00:00:00Z');
    expect(feed.entry.map((e: { title: string }) => e.title)).toEqual(['B & more', 'A']);
    expect(feed.entry[0].author.map((a: { name: string }) => a.name)).toEqual(['Ann <Example>', 'zed']);
    expect(feed.entry[0].category['@_term']).toBe('News & notes');
    expect(feed.entry[0].link['@_href']).toBe('https://docs.widget.test/guides/blog/posts/b/');
    expect(feed.entry[0].id).toBe('tag:github.com,2008:acme/docs/docs/blog/posts/b.md');
    expect(feed.entry[0].content['#text']).toContain('<p>Body 0');
  });

  it('links relative to itself without an origin, and is the same bytes for the same input', () => {
    const site = { title: 'Docs', baseUrl: '/' };
    const a = String(blogFeed(blog, { guides: pages }, rendered, site).content);
    expect(a).toContain('<link rel="alternate" type="text/html" href="posts/b/"/>');
    expect(String(blogFeed(blog, { guides: pages }, rendered, site).content)).toBe(a);
  });
});

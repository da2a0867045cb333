/**
 * The guides' blog as Material's blog plugin shows it: the blog page lists the posts newest first (date,
 * authors, categories, excerpt), a page per category lists its posts, each post shows its date and authors
 * under its title, and the sidebar holds the posts under the blog's entry instead of flat at the end.
 */
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import type { Element, ElementContent, Root } from 'hast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Blog, BlogPost } from '../catalog/blog-posts.ts';
import { pageHref, relativeHref } from '../catalog/urls.ts';
import type { RenderedPage } from '../render/types.ts';
import type { NavItem } from './nav.ts';

const MORE = /<!--\s*more\s*-->/;

/** The posts under the blog's own entry of the navigation, newest first; other pages of posts/ (drafts) left out of it. */
export function nestBlogPosts(items: NavItem[], blog: Blog, titleOf: (url: string) => string): NavItem[] {
  const kept = items.filter((i) => !(i.url && isBlogPostUrl(blog, i.url) && !i.children.length));
  const posts: NavItem[] = blog.posts.map((p) => ({ title: titleOf(p.url), url: p.url, children: [] }));
  if (!posts.length) return kept;
  const find = (list: NavItem[]): NavItem | undefined => {
    for (const item of list) {
      if (item.url === blog.indexUrl) return item;
      const inner = find(item.children);
      if (inner) return inner;
    }
    return undefined;
  };
  const home = blog.indexUrl ? find(kept) : undefined;
  if (home) home.children.push(...posts);
  else kept.push({ title: 'Blog', url: blog.indexUrl, children: posts });
  return kept;
}

/** Whether a guide page is one of the blog's posts (or another page of its posts/ folder), which the blog lists itself. */
export function isBlogPostUrl(blog: Blog, url: string): boolean {
  return blog.posts.some((p) => p.url === url) || url.startsWith(`${blog.indexUrl ?? `guides/${blog.dir}/`}posts/`);
}

/** "2024-10-15" -> "October 15, 2024". */
export function postDateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** A relative href written on `fromUrl` made relative to `toUrl` instead; absolute and same-page ones as they were. */
function rebase(href: string, fromUrl: string, toUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) return href;
  if (href.startsWith('#')) return pageHref(toUrl, fromUrl, decodeURIComponent(href.slice(1)));
  const hash = href.indexOf('#');
  const [p, fragment] = hash === -1 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  const target = path.posix.normalize(path.posix.join(fromUrl, decodeURIComponent(p)));
  return `${relativeHref(toUrl, target)}${fragment}`;
}

/** The blocks of each post's excerpt, by its rendered page: a post is listed on the blog page and on its categories' pages. */
const excerpts = new WeakMap<RenderedPage, { text: string; blocks: Element[] }>();

function excerptBlocks(text: string, rendered: RenderedPage): Element[] {
  const known = excerpts.get(rendered);
  if (known?.text === text) return known.blocks;
  const tree = fromHtml(rendered.html, { fragment: true });
  const blocks = tree.children.filter((n): n is Element => n.type === 'element' && n.tagName !== 'h1');
  let taken: Element[];
  const marker = MORE.exec(text);
  if (marker) {
    const before = unified().use(remarkParse).parse(text.slice(0, marker.index).replace(/^---\r?\n[\s\S]*?\r?\n---[ \t]*\r?\n/, ''));
    const count = before.children.filter((n) => !(n.type === 'heading' && n.depth === 1) && n.type !== 'html' && n.type !== 'definition').length;
    taken = blocks.slice(0, count);
  } else {
    const first = blocks.find((b) => b.tagName === 'p');
    taken = first ? [first] : [];
  }
  excerpts.set(rendered, { text, blocks: taken });
  return taken;
}

/**
 * The post's excerpt as HTML for a page at `toUrl`: its blocks up to `<!-- more -->` (as many rendered blocks
 * as the Markdown has before the marker), else its first paragraph; title left out, ids dropped (the post's
 * page has them), links made relative to the listing page.
 */
export function postExcerpt(post: { url: string; text: string }, rendered: RenderedPage, toUrl: string): string {
  const root: Root = { type: 'root', children: structuredClone(excerptBlocks(post.text, rendered)) as ElementContent[] };
  const visit = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      delete child.properties.id;
      for (const key of ['href', 'src'] as const) {
        const value = child.properties[key];
        if (typeof value === 'string') child.properties[key] = rebase(value, post.url, toUrl);
      }
      visit(child);
    }
  };
  visit(root);
  return toHtml(root);
}

export interface PostSummary {
  url: string;
  title: string;
  date: string;
  dateText: string;
  authors: { name: string; description?: string; avatar?: string }[];
  categories: { name: string; url: string }[];
  excerpt?: string;
}

/** What the templates show of a post: date, authors as the authors file names them, categories with their pages. */
export function postSummary(blog: Blog, post: BlogPost, title: string): PostSummary {
  const categoryUrl = new Map(blog.categories.map((c) => [c.name, c.url]));
  return {
    url: post.url,
    title,
    date: post.date,
    dateText: postDateText(post.date),
    authors: post.authors.map((id) => blog.authors[id] ?? { name: id }),
    categories: post.categories.filter((c) => categoryUrl.has(c)).map((c) => ({ name: c, url: categoryUrl.get(c)! })),
  };
}

/** Pages the blog adds to the bundle: one per category. */
export function categoryPages(blog: Blog): { url: string; name: string; posts: BlogPost[] }[] {
  return blog.categories.map((c) => ({ url: c.url, name: c.name, posts: blog.posts.filter((p) => p.categories.includes(c.name)) }));
}


interface BlogComposeInput {
  blog: Blog;
  /** Rendered pages by URL, and the source text of each post. */
  renderedAt: (url: string) => RenderedPage | undefined;
  textAt: (url: string) => string | undefined;
  render: (template: string, context: Record<string, unknown>) => string;
  splitTitle: (html: string) => { title: string; rest: string };
}

function summaries(input: BlogComposeInput, posts: BlogPost[], pageUrl: string): PostSummary[] {
  return posts.flatMap((post) => {
    const rendered = input.renderedAt(post.url);
    if (!rendered) return [];
    const excerpt = postExcerpt({ url: post.url, text: input.textAt(post.url) ?? '' }, rendered, pageUrl);
    return [{ ...postSummary(input.blog, post, rendered.title), excerpt }];
  });
}

/** The body of a guide page with what the blog adds: the post list on the blog's page, date and authors on a post. */
export function blogPageBody(input: BlogComposeInput, pageUrl: string, html: string): string {
  const { blog } = input;
  if (pageUrl === blog.indexUrl) return `${html}\n${input.render('blog-posts.njk', { pageUrl, posts: summaries(input, blog.posts, pageUrl) })}`;
  const post = blog.posts.find((p) => p.url === pageUrl);
  if (!post) return html;
  const meta = input.render('blog-post-meta.njk', { pageUrl, post: postSummary(blog, post, '') });
  const { title, rest } = input.splitTitle(html);
  return title ? `${title}\n${meta}${rest}` : `${meta}${html}`;
}

/** Each category's page: its posts, newest first, as the blog page lists them. */
export function blogCategoryPages(input: BlogComposeInput): { url: string; title: string; posts: PostSummary[] }[] {
  return categoryPages(input.blog).map((c) => ({ url: c.url, title: c.name, posts: summaries(input, c.posts, c.url) }));
}

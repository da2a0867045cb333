/**
 * The guides' blog as an Atom 1.0 feed beside its page (<blog page>feed.xml), newest post first. Ids are tag:
 * URIs named after each post's file in the guides' repository, so they stay the same wherever the site is
 * hosted; `updated` is the post's date, so two builds of the same input are identical. Links are absolute with
 * site.origin, else relative to the feed.
 */
import type { Blog } from '../catalog/blog-posts.ts';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import { encodePath, relativeHref } from '../catalog/urls.ts';
import type { SiteConfig } from '../config/types.ts';
import type { OutputFile } from '../core/bundle.ts';
import { splitTitle } from '../compose/releases.ts';
import { github as forge } from '../forge/github.ts';
import type { RenderedPage } from '../render/types.ts';
import { xmlText } from './release-files.ts';

export const BLOG_FEED_ENTRIES = 20;

/** Where the blog's feed is written. */
export function blogFeedPath(blog: Blog): string {
  return `${blog.indexUrl ?? `guides/${blog.dir}/`}feed.xml`;
}

export function blogFeed(blog: Blog, catalog: Pick<Catalog, 'guides'>, rendered: Map<CatalogPage, RenderedPage>, site: SiteConfig): OutputFile {
  const file = blogFeedPath(blog);
  const base = site.origin ? `${site.origin.replace(/\/+$/, '')}${site.baseUrl.endsWith('/') ? site.baseUrl : `${site.baseUrl}/`}` : undefined;
  const href = (url: string) => (base ? `${base}${encodePath(url)}` : relativeHref(file, url) || './');
  const pages = new Map(catalog.guides.map((p) => [p.url, p]));
  const entries = blog.posts.slice(0, BLOG_FEED_ENTRIES).flatMap((post) => {
    const page = pages.get(post.url);
    const body = page && rendered.get(page);
    return page && body ? [{ post, page, body }] : [];
  });
  const repo = entries[0]?.page.doc.repo ?? catalog.guides[0]?.doc.repo ?? 'unknown/unknown';
  const tagBase = forge.feedTagUri(repo, `${blog.dir}`);
  const day = (date: string) => `${date}T00:00:00Z`;
  const blogUrl = blog.indexUrl ?? file.replace(/feed\.xml$/, '');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(tagBase)}</id>`,
    `  <title>${xmlText(`${site.title}: blog`)}</title>`,
    `  <updated>${entries[0] ? day(entries[0].post.date) : '1970-01-01T00:00:00Z'}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(base ? `${base}${encodePath(file)}` : 'feed.xml')}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(href(blogUrl))}"/>`,
    `  <author><name>${xmlText(site.title)}</name></author>`,
    '  <generator>gen3-docs-aggregator</generator>',
  ];
  for (const { post, page, body } of entries) {
    lines.push(
      '  <entry>',
      `    <id>${xmlText(forge.feedTagUri(page.doc.repo, page.doc.path))}</id>`,
      `    <title>${xmlText(body.title)}</title>`,
      `    <published>${day(post.date)}</published>`,
      `    <updated>${day(post.date)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(href(post.url))}"/>`,
      ...post.authors.map((id) => `    <author><name>${xmlText(blog.authors[id]?.name ?? id)}</name></author>`),
      ...post.categories.map((c) => `    <category term="${xmlText(c)}"/>`),
      ...(body.description ? [`    <summary>${xmlText(body.description)}</summary>`] : []),
      `    <content type="html" xml:base="${xmlText(href(post.url))}">${xmlText(splitTitle(body.html).rest.trim())}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return { path: file, content: lines.join('\n') };
}

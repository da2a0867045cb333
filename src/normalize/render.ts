/** Markdown -> sanitized HTML for one page. */
import path from 'node:path';
import matter from 'gray-matter';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import { visit } from 'unist-util-visit';
import { toString } from 'hast-util-to-string';
import GithubSlugger from 'github-slugger';
import type { Root, Element } from 'hast';
import type { SourceDocument } from '../sources/types.ts';
import type { FrontMatter, RenderContext, RenderedPage } from './types.ts';
import { githubBlobUrl, pageHref } from '../catalog/urls.ts';

export async function renderMarkdown(doc: SourceDocument, ctx: RenderContext): Promise<RenderedPage> {
  const parsed = matter(doc.text);
  const frontMatter = parsed.data as FrontMatter;
  let title = typeof frontMatter.title === 'string' ? frontMatter.title : '';
  const ids: string[] = [];
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeRaw)
    .use(rehypeSanitize)
    .use(() => (tree: Root) => {
      const slugger = new GithubSlugger();
      visit(tree, 'element', (node: Element) => {
        if (/^h[1-6]$/.test(node.tagName)) {
          const text = toString(node);
          if (node.tagName === 'h1' && !title) title = text;
          const id = slugger.slug(text);
          node.properties.id = id;
          ids.push(id);
        }
        if (node.tagName === 'a' && typeof node.properties.href === 'string') {
          const href = node.properties.href;
          if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) return;
          const [target = '', fragment] = href.split('#');
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc.path), decodeURIComponent(target)));
          const page = ctx.pageUrlForFile(doc.repo, resolved);
          node.properties.href = page ? pageHref(ctx.pageUrl, page, fragment) : githubBlobUrl(doc.repo, doc.commitSha, resolved);
        }
      });
    })
    .use(rehypeStringify);
  const html = String(await processor.process(parsed.content));
  return {
    html,
    title: title || path.posix.basename(doc.path).replace(/\.[^.]+$/, ''),
    description: '',
    toc: [],
    frontMatter,
    ids,
    crossLinks: [],
    warnings: [],
    stats: { linksRewritten: 0, linksBroken: 0 },
  };
}

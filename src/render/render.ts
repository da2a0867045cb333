/**
 * Markdown -> sanitized HTML for one page, the way GitHub shows it (or, for the guides, MkDocs: dialect.ts), with
 * links resolved into the bundle.
 *
 * A processor is built once per dialect and shared by every page of it; per-page input (RenderContext, front matter) and output
 * travel in the VFile's data (page-data.ts). Order matters:
 *   remark-parse, remark-gfm-lean, remark-gemoji, remark-alerts, remark-placeholders  Markdown as GitHub reads it
 *     (MkDocs pages: remark-mkdocs-dialect's plugins in place of remark-alerts, its schema additions, its handlers)
 *   remark-rehype, rehype-raw-if-needed, rehype-embeds                           raw HTML parsed, videos linked
 *   rehype-sanitize (sanitize-schema), rehype-safe-srcset                        nothing unsafe past this point
 *   rehype-scroll-focus                                                          wide tables and code reachable by keyboard
 *   rehype-headings, rehype-links, rehype-starry-night                              heading ids, links resolved, code highlighted
 *   rehype-ids, rehype-anchors                                                   ids checked, in-page links matched to them
 *   rehype-description, rehype-stringify                                         the meta description, then HTML
 * The plugins after the sanitizer only add safe things (ids, classes, relative or https URLs, text spans).
 */
import path from 'node:path';
import { unified } from 'unified';
import { VFile } from 'vfile';
import type { Root as MdastRoot } from 'mdast';
import remarkParse from 'remark-parse';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkGemojiIfNeeded from './remark-gemoji-if-needed.ts';
import remarkRehype from 'remark-rehype';
import rehypeRawIfNeeded from './rehype-raw-if-needed.ts';
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import type { SourceDocument } from '../sources/types.ts';
import type { RenderContext, RenderedPage } from './types.ts';
import { github as forge } from '../forge/github.ts';
import { parseFrontMatter } from './front-matter.ts';
import { copyTree } from './copy-tree.ts';
import { measureComplexity } from './complexity.ts';
import { pageData } from './page-data.ts';
import { warning, warningOf } from '../core/warning.ts';
import remarkAlerts from './remark-alerts.ts';
import remarkPlaceholders from './remark-placeholders.ts';
import rehypeEmbeds from './rehype-embeds.ts';
import { sanitizeSchema } from './sanitize-schema.ts';
import rehypeSafeSrcset from './rehype-safe-srcset.ts';
import rehypeScrollFocus from './rehype-scroll-focus.ts';
import rehypeHeadings from './rehype-headings.ts';
import rehypeLinks from './rehype-links.ts';
import rehypeHighlight from './rehype-starry-night.ts';
import rehypeIds from './rehype-ids.ts';
import rehypeAnchors from './rehype-anchors.ts';
import rehypeDescription from './rehype-description.ts';
import rehypeLongCells from './rehype-long-cells.ts';
import rehypeHeadingLinks from './rehype-heading-links.ts';
import { dialectKey, type Dialect } from './dialect.ts';
import { mkdocsDialectHastHandlers, mkdocsDialectSanitizeAdditions, remarkMkdocsDialect } from './remark-mkdocs-dialect.ts';
import { escapeHtml } from '../core/html.ts';
import { humanizeName } from './titles.ts';

/**
 * Title of a page with neither front matter title nor H1: the repository name for its top README, else the
 * file (or a README's folder) name as words.
 */
export function fallbackTitle(repo: string, filePath: string): string {
  const base = path.posix.basename(filePath).replace(/\.[^.]+$/, '');
  if (/^readme$/i.test(base)) {
    const dir = path.posix.dirname(filePath);
    return dir === '.' ? repo.split('/').pop()! : humanizeName(path.posix.basename(dir));
  }
  return humanizeName(base);
}

/** The GitHub dialect's remark plugins; a MkDocs page gets its dialect's instead of GitHub's alerts. */
function buildProcessor(dialect: Dialect) {
  const mkdocs = dialect ? remarkMkdocsDialect({ extensions: dialect.extensions }) : undefined;
  return (
    unified()
      .use(remarkParse)
      .use(remarkGfmLean)
      .use(remarkGemojiIfNeeded)
      .use(mkdocs ? mkdocs.plugins : [remarkAlerts])
      .use(remarkPlaceholders)
      // Footnote ids unprefixed here: the sanitizer prefixes every id once, rehype-anchors then fixes the links.
      .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: '', handlers: mkdocs ? mkdocsDialectHastHandlers : {} })
      .use(rehypeRawIfNeeded)
      .use(rehypeEmbeds)
      .use(rehypeSanitize, mkdocs ? mkdocsSanitizeSchema() : sanitizeSchema)
      .use(rehypeSafeSrcset)
      .use(rehypeScrollFocus)
      .use(rehypeLongCells)
      .use(rehypeHeadings, {
        slugs: mkdocs ? 'mkdocs' : 'github',
        fallbackTitle: (file) => {
          const ctx = file.data.renderContext;
          return ctx ? fallbackTitle(ctx.repo, ctx.path) : 'Untitled';
        },
      })
      .use(rehypeLinks)
      .use(rehypeHighlight)
      .use(rehypeIds)
      .use(rehypeAnchors)
      .use(rehypeHeadingLinks)
      .use(rehypeDescription)
      .use(rehypeStringify)
      .freeze()
  );
}

/** GitHub's dialect: every repository page. */
export const processor = buildProcessor(undefined);

/** One frozen processor per distinct dialect, built the first time a page asks for it. */
const processors = new Map<string, typeof processor>([[dialectKey(undefined), processor]]);

export function processorFor(dialect: Dialect): typeof processor {
  const key = dialectKey(dialect);
  let found = processors.get(key);
  if (!found) processors.set(key, (found = buildProcessor(dialect)));
  return found;
}

/** The site's schema with what the MkDocs dialect's markup needs (admonitions, details, mark, ...). */
function mkdocsSanitizeSchema(): Schema {
  const extra = mkdocsDialectSanitizeAdditions();
  const attributes = { ...sanitizeSchema.attributes };
  // hast-util-sanitize reads one definition per property: allowed class values are merged into the site's.
  for (const [tag, list] of Object.entries(extra.attributes)) {
    const merged = [...(attributes[tag] ?? [])];
    for (const entry of list) {
      const at = Array.isArray(entry) ? merged.findIndex((e) => Array.isArray(e) && e[0] === entry[0]) : -1;
      if (at === -1 || !Array.isArray(entry)) merged.push(entry);
      else merged[at] = [...(merged[at] as [string, ...Array<string | RegExp>]), ...entry.slice(1)] as [string, ...Array<string | RegExp>];
    }
    attributes[tag] = merged;
  }
  return { ...sanitizeSchema, tagNames: [...(sanitizeSchema.tagNames ?? []), ...extra.tagNames], attributes };
}

/**
 * `onParsed` receives the Markdown tree as parsed, before any plugin changed it, so that the Markdown export
 * can start from it instead of parsing the page a second time (parsing is most of the cost).
 */
export async function renderMarkdown(doc: SourceDocument, ctx: RenderContext, onParsed?: (tree: MdastRoot) => void): Promise<RenderedPage> {
  const fileName = `${doc.repo}/${doc.path}`;
  const front = parseFrontMatter(doc.text);
  const file = new VFile({ value: front.body, path: doc.path, data: { renderContext: ctx } });
  if (front.data.title) file.data.frontMatterTitle = front.data.title;
  if (front.data.description) file.data.frontMatterDescription = front.data.description;
  const data = pageData(file);
  if (front.error) data.warnings.push(warning(fileName, 'front-matter', front.error, { line: 1 }));
  let html: string;
  const complexity = measureComplexity(front.body);
  if (complexity.problem) {
    // Checked before parsing: remark would take minutes or overflow the stack on such a page.
    data.warnings.push(warning(fileName, 'too-complex', `not rendered as Markdown, shown as plain text: ${complexity.problem}`));
    html = fallbackHtml(data.title ?? fallbackTitle(doc.repo, doc.path), front.body);
  } else {
    try {
      const chosen = processorFor(ctx.dialect);
      const mdast = chosen.parse(file);
      onParsed?.(copyTree(mdast));
      html = hardenAttributes(chosen.stringify(await chosen.run(mdast, file), file));
    } catch (error) {
      // One unparsable page must not fail the build: its text is shown as is, escaped.
      data.warnings.push(warning(fileName, 'render-failed', `could not render: ${(error as Error).message}`));
      html = fallbackHtml(data.title ?? fallbackTitle(doc.repo, doc.path), front.body);
    }
  }
  const tree = ctx.treeOf(doc.repo);
  return {
    html,
    title: data.title ?? fallbackTitle(doc.repo, doc.path),
    description: data.description ?? '',
    toc: data.toc,
    frontMatter: front.data,
    ids: data.ids,
    ...(data.githubIds && { githubIds: data.githubIds }),
    crossLinks: data.crossLinks,
    warnings: [...data.warnings, ...file.messages.map((message) => warningOf(message, fileName))],
    stats: { linksRewritten: data.linksRewritten, linksBroken: data.linksBroken, highlightMs: data.highlightMs },
    sourceUrl: forge.blobUrl(doc.repo, doc.commitSha, doc.path),
    editUrl: tree?.defaultBranch ? forge.editUrl(doc.repo, tree.defaultBranch, doc.path) : undefined,
    commit: doc.commitSha,
  };
}

/**
 * hast-util-to-html leaves `<` and `>` raw inside quoted attribute values (valid HTML). They are escaped here so
 * that no tag-like text survives anywhere in the body, even if it ends up in a raw-text context (noscript) or is
 * scanned by naive tools. Relies on the serializer's output: text never holds a raw `<`, attribute values are
 * always double-quoted, and comments were removed by the sanitizer.
 */
export function hardenAttributes(html: string): string {
  // Whole runs are copied as slices and joined once: appending character by character left each page's HTML a
  // rope of about one string per four characters, which stayed alive (and large) until something flattened it.
  const parts: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    parts.push(html.slice(i, lt));
    let copied = lt;
    let quoted = false;
    let j = lt + 1;
    for (; j < html.length; j++) {
      const c = html.charCodeAt(j);
      if (c === 0x22) quoted = !quoted;
      else if (quoted && (c === 0x3c || c === 0x3e)) {
        parts.push(html.slice(copied, j), c === 0x3c ? '&#x3C;' : '&#x3E;');
        copied = j + 1;
      } else if (!quoted && c === 0x3e) {
        j++;
        break;
      }
    }
    parts.push(html.slice(copied, j));
    i = j;
  }
  parts.push(html.slice(i));
  return parts.join('');
}

/** The page as preformatted source, escaped: what a page gets when it cannot be rendered. */
export function fallbackHtml(title: string, source: string): string {
  return `<h1>${escapeHtml(title)}</h1>\n<pre class="source-fallback">${escapeHtml(source)}</pre>`;
}

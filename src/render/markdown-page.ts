/**
 * One page as normalised Markdown, for the Markdown export (out/md/): the page's source with its links and
 * images pointed at the other exported files, GitHub, or the copied images, and raw HTML kept only when it
 * cannot run code. It runs in the same render job as the HTML (and so in worker threads and from the cache),
 * asking the same RenderContext questions, which are recorded as the page's dependencies.
 *
 * - Page URL "services/fence/docs/setup/" is md/services/fence/docs/setup.md; a folder page (a README or index
 *   file) such as "services/fence/" is md/services/fence/index.md.
 * - Links between exported pages become relative .md links; links to other repository files go to GitHub at
 *   the commit (blob or tree URLs); images go to md/assets/, a copy of the bundle's assets/files/; an image
 *   whose file is not published and is named like no image (page.html) becomes a link to its GitHub page.
 * - Raw HTML follows the site's policy (markdown-html.ts): a node that could run code is dropped, the rest goes
 *   through the site's sanitizer schema tag by tag (no style, no handlers, no unsafe URLs, ids and names
 *   prefixed with `user-content-`), its src/href rewritten like Markdown links.
 * - A link to `#x` where the target page has `x` only as an anchor written in raw HTML (now `user-content-x`)
 *   follows the prefix: on the same page here, to other pages in the export's assembly (markdown-anchors.ts).
 */
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkStringify from 'remark-stringify';
import { visit } from 'unist-util-visit';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import type { Root, Link, Image, Definition, Html, Parent, RootContent, PhrasingContent } from 'mdast';
import type { SourceDocument } from '../sources/types.ts';
import { github as forge } from '../forge/github.ts';
import { parseFrontMatter } from './front-matter.ts';
import type { RenderContext } from './types.ts';
import { MD_ASSETS_DIR, markdownPathFor, relativeMarkdownLink } from '../catalog/markdown-paths.ts';
import { CLOBBER_PREFIX } from './sanitize-schema.ts';
import { SAFE_SCHEMES, anchorsOfHtml, rewriteHtml, type HtmlOutcome, type Resolution } from './markdown-html.ts';
import { IMAGE } from './resolve-link.ts';
import { applyEdits, definitionDestination, escapeInline, inContainer, inlineDestination, layoutEdits, spanOf, textEdits, writeDestination, type Edit } from './markdown-patch.ts';

/** Where the HTML bundle keeps published images; md/assets/ mirrors it. */
const BUNDLE_ASSETS_DIR = 'assets/files';

export interface MarkdownPageStats {
  links: { toExport: number; toGitHub: number; broken: number };
  images: { copied: number; toGitHub: number };
  html: { kept: number; dropped: number; asText: number };
}

export interface MarkdownPage {
  /** The page body as normalised Markdown, without front matter. */
  body: string;
  stats: MarkdownPageStats;
  /** Fragments that name an anchor written in raw HTML, which carries `user-content-`, and no heading. */
  rawAnchors?: string[];
  /** Links written to other exported pages with a fragment: `url` as written, `target` the md/ path. */
  fragmentLinks?: { url: string; target: string; fragment: string }[];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Splits "a/b.md?x#frag" into its path, query and fragment. */
function splitUrl(url: string): { pathPart: string; fragment?: string } {
  const hash = url.indexOf('#');
  const fragment = hash >= 0 ? url.slice(hash + 1) : undefined;
  let pathPart = hash >= 0 ? url.slice(0, hash) : url;
  const query = pathPart.indexOf('?');
  if (query >= 0) pathPart = pathPart.slice(0, query);
  return { pathPart, fragment };
}

function isBlockParent(parent: Parent): boolean {
  return parent.type === 'root' || parent.type === 'blockquote' || parent.type === 'listItem' || parent.type === 'footnoteDefinition';
}

/** A GitHub blob/tree URL (<ref>/<path>) of a loaded repository, as repo + path. */
function githubFileOf(ctx: RenderContext, url: URL): { repo: string; filePath: string } | undefined {
  const location = forge.parseWebUrl(url.href);
  if (!location || location.kind === 'raw' || location.segments.length < 2) return undefined;
  const { repo, segments } = location;
  const tree = ctx.treeOf(repo);
  if (!tree) return undefined;
  const ref = safeDecode(segments[0]!);
  // Only the ref the bundle was built from: another branch may hold other text.
  if (ref !== tree.defaultBranch && ref !== tree.commitSha) return undefined;
  return { repo, filePath: safeDecode(segments.slice(1).join('/')) };
}

// Unaligned tables: padding every cell to its column's widest grows Helm values tables to megabytes.
const processor = unified().use(remarkParse).use(remarkGfmLean, { tablePipeAlign: false }).use(remarkStringify, {
  bullet: '-',
  fence: '`',
  fences: true,
  emphasis: '_',
  strong: '*',
  rule: '-',
  // Four columns of list indentation: Python-Markdown (MkDocs) needs it for nested blocks.
  listItemIndent: 'tab',
});

/** `parsed`: the page's Markdown tree when the renderer already parsed it (it is changed in place). */
/** `githubIds`: the page's heading ids (MkDocs') that GitHub's differ from, for its links to its own headings. */
export async function markdownPage(doc: SourceDocument, ctx: RenderContext, parsed?: Root, githubIds?: Record<string, string>): Promise<MarkdownPage> {
  const stats: MarkdownPageStats = {
    links: { toExport: 0, toGitHub: 0, broken: 0 },
    images: { copied: 0, toGitHub: 0 },
    html: { kept: 0, dropped: 0, asText: 0 },
  };
  const fromFile = markdownPathFor({ url: ctx.pageUrl, doc });

  const pageFileFor = (repo: string, filePath: string): string | undefined => {
    const url = ctx.pageUrlForFile(repo, filePath);
    return url === undefined ? undefined : markdownPathFor({ url, doc: { path: filePath } });
  };

  /** The exported page of a repository folder: its README or index, if exported. */
  const folderPageFor = (repo: string, folder: string): string | undefined => {
    const tree = ctx.treeOf(repo);
    if (!tree) return undefined;
    const prefix = folder ? `${folder}/` : '';
    for (const name of ['README.md', 'readme.md', 'Readme.md', 'index.md', 'README.markdown']) {
      if (tree.entries.get(prefix + name)) {
        const found = pageFileFor(repo, prefix + name);
        if (found) return found;
      }
    }
    return undefined;
  };

  const copyImage = async (repo: string, filePath: string): Promise<string | undefined> => {
    const published = await ctx.publishAsset(repo, filePath);
    return published?.startsWith(`${BUNDLE_ASSETS_DIR}/`) ? `${MD_ASSETS_DIR}/${published.slice(BUNDLE_ASSETS_DIR.length + 1)}` : undefined;
  };

  /** Fragments of this page that reach their anchor only with the prefix (filled before links are resolved). */
  const rawAnchors = new Set<string>();
  const fragmentLinks: NonNullable<MarkdownPage['fragmentLinks']> = [];
  /** The URL of a link to another exported page, recorded when it has a fragment. */
  const toPage = (file: string, fragment: string | undefined): Resolution => {
    const url = relativeMarkdownLink(fromFile, file) + (fragment ? `#${fragment}` : '');
    if (fragment) fragmentLinks.push({ url, target: file, fragment: safeDecode(fragment) });
    return { action: 'rewrite', url, category: 'export' };
  };

  /** Where a link or image of the page should point in the export. */
  const resolve = async (raw: string, image: boolean): Promise<Resolution> => {
    const url = raw.trim();
    if (url.startsWith('#') && rawAnchors.has(safeDecode(url.slice(1)))) return { action: 'rewrite', url: `#${CLOBBER_PREFIX}${url.slice(1)}`, category: 'anchor' };
    const ownHeading = url.startsWith('#') && githubIds && Object.hasOwn(githubIds, safeDecode(url.slice(1))) ? githubIds[safeDecode(url.slice(1))] : undefined;
    if (ownHeading) return { action: 'rewrite', url: `#${encodeURIComponent(ownHeading)}`, category: 'anchor' };
    if (url === '' || url.startsWith('#')) return { action: 'keep' };
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (scheme || url.startsWith('//')) {
      if (scheme && !SAFE_SCHEMES.has(scheme) && !(image && /^data:image\/(png|gif|jpe?g|webp);/i.test(url))) return { action: 'unsafe' };
      if (scheme === 'https' || scheme === 'http') {
        let parsed: URL | undefined;
        try {
          parsed = new URL(url);
        } catch {
          return { action: 'keep' };
        }
        const target = githubFileOf(ctx, parsed);
        const file = target && !image ? pageFileFor(target.repo, target.filePath) ?? folderPageFor(target.repo, target.filePath) : undefined;
        if (file) return toPage(file, parsed.hash.slice(1) || undefined);
      }
      return { action: 'keep' };
    }

    const { repo, commitSha } = doc;
    const { pathPart, fragment } = splitUrl(url);
    const suffix = fragment !== undefined ? `#${fragment}` : '';
    if (pathPart === '') return { action: 'keep' };
    const decoded = safeDecode(pathPart);
    const joined = decoded.startsWith('/')
      ? path.posix.normalize(decoded.slice(1))
      : path.posix.normalize(path.posix.join(path.posix.dirname(doc.path), decoded));
    const target = joined.replace(/\/+$/, '').replace(/^\.$/, '');
    if (target.startsWith('../')) {
      return { action: 'rewrite', url: forge.treeUrl(repo, commitSha, ''), category: 'broken' };
    }
    const entry = target ? ctx.treeOf(repo)?.entries.get(target) : undefined;

    if (!image) {
      const file = pageFileFor(repo, target) ?? (entry?.type === 'tree' || target === '' ? folderPageFor(repo, target) : undefined);
      if (file) return toPage(file, fragment);
      if (target === '' || entry?.type === 'tree') return { action: 'rewrite', url: forge.treeUrl(repo, commitSha, target) + suffix, category: 'github' };
      return { action: 'rewrite', url: forge.blobUrl(repo, commitSha, target) + suffix, category: entry ? 'github' : 'broken' };
    }
    if (entry?.type === 'blob') {
      const copied = await copyImage(repo, target);
      if (copied) return { action: 'rewrite', url: relativeMarkdownLink(fromFile, copied), category: 'image' };
      if (!IMAGE.test(target)) return { action: 'link', url: forge.blobUrl(repo, commitSha, target), name: path.posix.basename(target) };
    }
    return { action: 'rewrite', url: forge.rawUrl(repo, commitSha, target), category: entry ? 'github' : 'broken' };
  };

  const count = (r: Resolution, image: boolean) => {
    if (r.action === 'link') stats.links.toGitHub++;
    if (r.action !== 'rewrite') return;
    if (r.category === 'export') stats.links.toExport++;
    else if (r.category === 'image') stats.images.copied++;
    else if (r.category === 'broken') stats.links.broken++;
    else if (r.category === 'anchor') return;
    else if (image) stats.images.toGitHub++;
    else stats.links.toGitHub++;
  };

  const source = parseFrontMatter(doc.text).body;
  const tree = parsed ?? (processor.parse(source) as Root);
  // One walk, in document order; a definition is an image's once every image reference is known.
  const jobs: Job[] = [];
  const htmlNodes: HtmlJob[] = [];
  const definitions: Job[] = [];
  const imageIds = new Set<string>();
  const walk = (parent: Parent) => {
    parent.children.forEach((node, index) => {
      if (node.type === 'link' || node.type === 'image') jobs.push({ node, image: node.type === 'image', parent, index });
      else if (node.type === 'definition') {
        const job: Job = { node, image: false };
        jobs.push(job);
        definitions.push(job);
      } else if (node.type === 'imageReference') imageIds.add(node.identifier);
      else if (node.type === 'html') htmlNodes.push({ node, parent, index });
      if ('children' in node) walk(node);
    });
  };
  walk(tree);
  for (const job of definitions) job.image = imageIds.has((job.node as Definition).identifier);
  for (const anchor of anchorsFor(tree, htmlNodes.map((h) => h.node.value))) rawAnchors.add(anchor);

  const resolutions: Resolution[] = [];
  for (const job of jobs) {
    const res = await resolve(job.node.url, job.image);
    count(res, job.image);
    resolutions.push(res);
  }

  // Raw HTML: decide in document order (a dropped <a ...> takes its </a> along).
  const outcomes = new Map<Html, HtmlOutcome | 'closing'>();
  for (const { node, parent } of htmlNodes) {
    if (outcomes.has(node)) continue;
    const outcome = await rewriteHtml(node.value, (url, image) => resolve(url, image), count);
    outcomes.set(node, outcome);
    const open = /^<([A-Za-z][A-Za-z0-9]*)\b[^<>]*>$/.exec(node.value.trim());
    if (outcome.kind === 'drop' && open && !isBlockParent(parent)) {
      const from = parent.children.indexOf(node as RootContent);
      const close = parent.children.slice(from + 1).find((c) => c.type === 'html' && c.value.trim().toLowerCase() === `</${open[1]!.toLowerCase()}>`);
      if (close) outcomes.set(close as Html, 'closing');
    }
  }
  for (const { node } of htmlNodes) {
    const outcome = outcomes.get(node);
    if (outcome === 'closing' || !outcome) continue;
    if (outcome.kind === 'keep') stats.html.kept++;
    else if (outcome.kind === 'text') stats.html.asText++;
    else stats.html.dropped++;
  }

  const body = patchSource(source, tree, jobs, resolutions, htmlNodes, outcomes) ?? serialise(tree, jobs, resolutions, htmlNodes, outcomes);
  const page: MarkdownPage = { body, stats };
  if (rawAnchors.size) page.rawAnchors = [...rawAnchors];
  if (fragmentLinks.length) page.fragmentLinks = fragmentLinks;
  return page;
}

type Job = { node: Link | Image | Definition; image: boolean; parent?: Parent; index?: number };
type HtmlJob = { node: Html; parent: Parent; index: number };
type Outcomes = Map<Html, HtmlOutcome | 'closing'>;

/** The page's source with the resolved links and sanitised HTML spliced in (markdown-patch.ts). */
function patchSource(source: string, tree: Root, jobs: Job[], resolutions: Resolution[], htmlNodes: HtmlJob[], outcomes: Outcomes): string | undefined {
  const layout = layoutEdits(tree, source);
  if (!layout) return undefined;
  const edits: Edit[] = [...layout, ...textEdits(tree, source)];
  for (let n = 0; n < jobs.length; n++) {
    const { node, parent } = jobs[n]!;
    const res = resolutions[n]!;
    const span = spanOf(node);
    if (!span) return undefined;
    if (res.action === 'keep') {
      // A bare URL (GFM's autolink literal) is no link for other parsers: it gets angle brackets or a label.
      if (node.type === 'link' && !'[<'.includes(source[span.from]!)) {
        const text = toString(node);
        edits.push({ ...span, text: text === node.url ? `<${node.url}>` : `[${escapeInline(text)}](${writeDestination(node.url)})` });
      }
      continue;
    }
    if (node.type === 'definition') {
      const dest = definitionDestination(source, span.from, span.to, node.url);
      if (!dest) return undefined;
      edits.push({ ...dest, text: writeDestination(res.action === 'unsafe' ? '#' : res.url) });
      continue;
    }
    const inline = source[span.from] === (node.type === 'image' ? '!' : '[') ? inlineDestination(source, span.from, span.to, node.url) : undefined;
    if (res.action === 'unsafe') {
      if (node.type === 'image') edits.push({ ...span, text: escapeInline(node.alt ?? '') });
      else if (inline) edits.push({ from: span.from, to: span.from + 1, text: '' }, { from: inline.labelEnd, to: span.to, text: '' });
      else edits.push({ ...span, text: escapeInline(toString(node)) });
    } else if (res.action === 'link' && node.type === 'image') {
      const text = escapeInline(node.alt?.trim() || res.name);
      // Inside a link only the text is left: links do not nest.
      edits.push({ ...span, text: parent?.type === 'link' ? text : `[${text}](${writeDestination(res.url)})` });
    } else if (inline) {
      edits.push({ from: inline.from, to: inline.to, text: writeDestination(res.url) });
    } else if (node.type === 'link') {
      // An autolink (<https://...> or a bare URL) whose address changes is written as a link.
      edits.push({ ...span, text: `[${escapeInline(toString(node))}](${writeDestination(res.url)})` });
    } else return undefined;
  }
  for (const { node } of htmlNodes) {
    const outcome = outcomes.get(node);
    const span = spanOf(node);
    if (!outcome || !span) continue;
    if (outcome !== 'closing' && outcome.kind === 'keep' && outcome.html === node.value) continue;
    // In a list item or block quote the node's value lacks each line's indent or `>`: they are kept.
    const written = source.slice(span.from, span.to);
    const replace = (next: string): boolean => {
      const made = inContainer(written, span.from, node.value, next);
      if (made) edits.push(...made);
      return made !== undefined;
    };
    if (outcome === 'closing') edits.push({ ...span, text: '' });
    else if (outcome.kind === 'keep') {
      if (!replace(outcome.html)) return undefined;
    } else if (outcome.kind === 'text') {
      if (!replace(node.value.replace(/[\\<]/g, '\\$&'))) return undefined;
    } else {
      const links = outcome.embeds.map((e) => `[${escapeInline(e.title)}](${writeDestination(e.url)})`).join(' ');
      edits.push({ ...span, text: links });
    }
  }
  const out = applyEdits(source, edits);
  return out === undefined ? undefined : `${out.replace(/\s+$/, '')}\n`;
}

/** The changed tree serialised: for text the patches cannot follow. */
function serialise(tree: Root, jobs: Job[], resolutions: Resolution[], htmlNodes: HtmlJob[], outcomes: Outcomes): string {
  const unwrap: { node: Link | Image; parent: Parent }[] = [];
  const asLinks: { node: Image; parent: Parent; url: string; name: string }[] = [];
  for (let n = 0; n < jobs.length; n++) {
    const job = jobs[n]!;
    const res = resolutions[n]!;
    if (res.action === 'rewrite') job.node.url = res.url;
    else if (res.action === 'link') {
      if (job.node.type === 'image' && job.parent) asLinks.push({ node: job.node, parent: job.parent, url: res.url, name: res.name });
      else job.node.url = res.url;
    } else if (res.action === 'unsafe') {
      if (job.node.type === 'definition') job.node.url = '#';
      else if (job.parent) unwrap.push({ node: job.node, parent: job.parent });
    }
  }
  for (const { node, parent, url, name } of asLinks) {
    const i = parent.children.indexOf(node as RootContent);
    const text: PhrasingContent = { type: 'text', value: node.alt?.trim() || name };
    // Inside a link only the text is left: links do not nest.
    if (i >= 0) parent.children.splice(i, 1, (parent.type === 'link' ? text : { type: 'link', url, children: [text] }) as RootContent);
  }
  for (const { node, parent } of unwrap) {
    const i = parent.children.indexOf(node as RootContent);
    if (i < 0) continue;
    const replacement: PhrasingContent[] = node.type === 'link' ? node.children : node.alt ? [{ type: 'text', value: node.alt }] : [];
    parent.children.splice(i, 1, ...(replacement as RootContent[]));
  }
  for (const { node, parent } of [...htmlNodes].reverse()) {
    const i = parent.children.indexOf(node as RootContent);
    const outcome = outcomes.get(node);
    if (i < 0 || !outcome) continue;
    if (outcome === 'closing') {
      parent.children.splice(i, 1);
    } else if (outcome.kind === 'keep') {
      node.value = outcome.html;
    } else if (outcome.kind === 'text') {
      const text = { type: 'text' as const, value: node.value };
      parent.children.splice(i, 1, (isBlockParent(parent) ? { type: 'paragraph', children: [text] } : text) as RootContent);
    } else {
      const links: PhrasingContent[] = outcome.embeds.map((e) => ({ type: 'link', url: e.url, children: [{ type: 'text', value: e.title }] }));
      const spaced = links.flatMap((l, n) => (n ? [{ type: 'text', value: ' ' } as PhrasingContent, l] : [l]));
      const replacement = !spaced.length ? [] : isBlockParent(parent) ? [{ type: 'paragraph', children: spaced }] : spaced;
      parent.children.splice(i, 1, ...(replacement as RootContent[]));
    }
  }
  return processor.stringify(tree) as string;
}

/** Names of the page's raw HTML anchors (without the prefix they get) that no heading slug takes first. */
function anchorsFor(tree: Root, htmlValues: string[]): string[] {
  const prefixed = htmlValues.flatMap(anchorsOfHtml);
  if (!prefixed.length) return [];
  const slugger = new GithubSlugger();
  const headings = new Set<string>();
  visit(tree, 'heading', (node) => {
    headings.add(slugger.slug(toString(node)));
  });
  return prefixed.map((id) => id.slice(CLOBBER_PREFIX.length)).filter((name) => !headings.has(name));
}

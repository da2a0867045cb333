/**
 * Links and images resolved against the repository trees (file.data.renderContext; without it, nothing
 * changes):
 *  - a relative or root-relative link to a Markdown file (or a folder with a README) that is a page of the
 *    bundle -> the relative URL of that page, fragment kept and recorded as a cross link for the final check;
 *  - to a file or folder of the repository that is not in the bundle -> its GitHub blob/tree URL at the commit;
 *  - to nothing in the tree -> a warning with file and line, and the GitHub blob URL at the commit;
 *  - a GitHub blob/tree URL of a loaded repository whose file is a page of the bundle -> that page
 *    (unless it points at source lines: `#L10`, `?plain=1`);
 *  - a URL of a page of the guides' old site (mkdocs.yml site_url) -> that page in the bundle;
 *  - images (img src, picture source srcset, and links to image files) -> published into the bundle with
 *    ctx.publishAsset, else the GitHub raw URL at the commit; GitHub blob URLs of images -> raw URLs;
 *  - an image whose file is not published and whose name is no image's (page.html, data.xml) -> the <img>
 *    becomes a link to the file's GitHub page (only its text inside another link); a srcset drops it;
 * Same-page `#fragment` links are left to rehype-anchors. Runs after rehype-sanitize. No options.
 */
import type { Root, Element, ElementContent } from 'hast';
import path from 'node:path';
import type { Plugin } from 'unified';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { eachElement } from './walk.ts';
import { relativeHref } from '../catalog/urls.ts';
import { github as forge } from '../forge/github.ts';
import { parseApiViewerUrl } from '../forge/api-viewers.ts';
import { operationAnchor, tagAnchor } from '../api/model.ts';
import type { RenderContext } from './types.ts';
import { pageData, warn } from './page-data.ts';
import { parseSrcSet } from './rehype-safe-srcset.ts';
import { IMAGE, githubUrl, pageLink, pageOf, parseGithubUrl, resolveRelative } from './resolve-link.ts';

const rehypeLinks: Plugin<[], Root> = () => async (tree, file) => {
  const ctx = file.data.renderContext;
  if (!ctx) return;
  const jobs: Promise<void>[] = [];
  const inLinks = new Set<Element>();
  eachElement(tree, (node) => {
    if (node.tagName === 'a') eachElement(node, (inner) => void inLinks.add(inner));
  });
  eachElement(tree, (node) => {
    const place = node.position;
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      const href = node.properties.href;
      // A link to an image opens the published copy, except SVG: opened as a document it could run scripts on
      // the site's origin, so it stays on GitHub (inside <img> an SVG cannot run anything).
      const target = href.replace(/[?#].*$/, '');
      const image = IMAGE.test(target) && !/\.svg$/i.test(target);
      jobs.push(rewrite(ctx, file, href, image, place).then((next) => set(file, node, 'href', href, urlOf(next))));
    } else if (node.tagName === 'img' && typeof node.properties.src === 'string') {
      const src = node.properties.src;
      jobs.push(
        rewrite(ctx, file, src, true, place).then((next) => {
          if (next instanceof NotAnImage) {
            replaceWithLink(node, next, inLinks.has(node));
            pageData(file).linksRewritten++;
          } else set(file, node, 'src', src, next);
        }),
      );
    }
    const rawSrcSet = node.properties.srcSet;
    if ((node.tagName === 'source' || node.tagName === 'img') && rawSrcSet !== undefined && rawSrcSet !== null) {
      const srcSet = Array.isArray(rawSrcSet) ? rawSrcSet.join(', ') : String(rawSrcSet);
      jobs.push(
        rewriteSrcSet(ctx, file, srcSet, place).then((next) => {
          if (node.tagName === 'source' || node.tagName === 'img') set(file, node, 'srcSet', srcSet, next); // not an <img> turned into a link
        }),
      );
    }
  });
  await Promise.all(jobs);
};

/** An image source naming a file that is no image the bundle publishes: shown as a link to it on GitHub. */
class NotAnImage {
  constructor(
    readonly href: string,
    readonly fileName: string,
  ) {}
}

const urlOf = (next: string | NotAnImage) => (next instanceof NotAnImage ? next.href : next);

/** <img src="page.html" alt="Diagram"> -> <a href="(the file on GitHub)">Diagram</a>; text alone inside a link. */
function replaceWithLink(node: Element, target: NotAnImage, insideLink: boolean): void {
  const alt = typeof node.properties.alt === 'string' && node.properties.alt.trim() ? node.properties.alt : target.fileName;
  const text: ElementContent = { type: 'text', value: alt };
  node.tagName = insideLink ? 'span' : 'a';
  node.properties = insideLink ? {} : { href: target.href };
  node.children = [text];
}

function set(file: VFile, node: Element, key: string, before: string, after: string | undefined): void {
  if (after === undefined) {
    delete node.properties[key];
    return;
  }
  if (after === before) return;
  node.properties[key] = after;
  pageData(file).linksRewritten++;
}

/** The new URL of one link or image source. */
async function rewrite(ctx: RenderContext, file: VFile, url: string, image: boolean, place: Position | undefined): Promise<string | NotAnImage> {
  if (/^https?:/i.test(url)) return rewriteGithub(ctx, file, url, image, place);
  const resolved = resolveRelative(ctx, url);
  switch (resolved.kind) {
    case 'keep':
      return url;
    case 'page': {
      const href = pageLink(ctx, resolved.targetUrl, resolved.fragment);
      if (resolved.target.caseFixed) warn(file, 'link-case', `link "${url}" differs in case from ${resolved.target.path}; GitHub would not resolve it`, place);
      if (resolved.fragment) pageData(file).crossLinks.push({ href, targetUrl: resolved.targetUrl, fragment: resolved.fragment, line: place?.start.line });
      return href;
    }
    case 'file': {
      const { target } = resolved;
      if (target.caseFixed) warn(file, 'link-case', `link "${url}" differs in case from ${target.path}; GitHub would not resolve it`, place);
      if (image && target.type === 'blob') {
        const published = await ctx.publishAsset(target.repo, target.path);
        if (published) return relativeHref(ctx.pageUrl, published);
        if (!IMAGE.test(target.path)) return new NotAnImage(forge.blobUrl(target.repo, resolved.sha, target.path), path.posix.basename(target.path));
      }
      return githubUrl(target.repo, resolved.sha, target.path, target.type, image, resolved.fragment);
    }
    case 'missing':
      pageData(file).linksBroken++;
      warn(file, 'broken-link', `broken ${image ? 'image' : 'link'} "${url}": ${resolved.path || '/'} is not in ${resolved.repo} at ${resolved.sha.slice(0, 7)}`, place);
      return githubUrl(resolved.repo, resolved.sha, resolved.path, 'missing', image, resolved.fragment);
  }
}

/**
 * A hosted viewer's link (petstore.swagger.io/?url=<the spec on GitHub>#/tag/operationId) to a document that
 * is an API reference page of the bundle -> that page, at the operation or tag the deep link names.
 */
function rewriteApiViewer(ctx: RenderContext, file: VFile, url: string, place: Position | undefined): string | undefined {
  const viewer = parseApiViewerUrl(url);
  const parsed = viewer && parseGithubUrl(ctx, viewer.specUrl, true);
  const page = parsed && pageOf(ctx, parsed.target);
  if (!viewer || page === undefined) return undefined;
  const fragment = viewer.operationId ? operationAnchor('', '', viewer.operationId) : viewer.tag ? tagAnchor(viewer.tag) : undefined;
  const href = pageLink(ctx, page, fragment);
  if (fragment) pageData(file).crossLinks.push({ href, targetUrl: page, fragment, line: place?.start.line });
  return href;
}

async function rewriteGithub(ctx: RenderContext, file: VFile, url: string, image: boolean, place: Position | undefined): Promise<string> {
  const viewer = image ? undefined : rewriteApiViewer(ctx, file, url, place);
  if (viewer) return viewer;
  const parsed = parseGithubUrl(ctx, url, !image && /\.(ya?ml|json)([?#]|$)/i.test(url));
  if (!parsed) {
    const old = image ? undefined : ctx.pageForOldSiteUrl?.(url);
    if (!old) return image ? blobImageToRaw(url) : url;
    // A link to the page's old address on the guides' former site: the page in the bundle.
    const href = pageLink(ctx, old.targetUrl, old.fragment);
    if (old.fragment) pageData(file).crossLinks.push({ href, targetUrl: old.targetUrl, fragment: old.fragment, line: place?.start.line });
    return href;
  }
  const { target, fragment } = parsed;
  if (image) return target.type === 'blob' ? forge.rawUrl(target.repo, parsed.ref, target.path) : url;
  // Line anchors (#L10-L20) and ?plain=1 point into the source view, which the bundle page does not have.
  if ((fragment && /^L\d+(-L\d+)?$/.test(fragment)) || /[?&]plain=1/.test(url)) return url;
  const page = pageOf(ctx, target);
  if (page === undefined) return url;
  const href = pageLink(ctx, page, fragment);
  if (fragment) pageData(file).crossLinks.push({ href, targetUrl: page, fragment, line: place?.start.line });
  return href;
}

/** A GitHub blob page of an image (of any repository) -> the image's raw URL. */
function blobImageToRaw(url: string): string {
  return forge.rawUrlOfWebUrl(url) ?? url;
}

async function rewriteSrcSet(ctx: RenderContext, file: VFile, srcSet: string, place: Position | undefined): Promise<string | undefined> {
  const out: string[] = [];
  for (const { url, descriptors } of parseSrcSet(srcSet)) {
    const next = await rewrite(ctx, file, url, true, place);
    if (next instanceof NotAnImage) continue;
    out.push([next, ...descriptors].join(' '));
  }
  return out.length ? out.join(', ') : undefined;
}

export default rehypeLinks;

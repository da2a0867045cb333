/**
 * Raw HTML of the Markdown export (markdown-page.ts), held to the policy of the site's own pages
 * (sanitize-schema.ts), so that neither out/md/ nor a site another generator builds from it carries what the
 * HTML pages would not.
 *
 * Each node's tags are read with parse5's tokenizer, as a browser reads them wherever the node lands: a tree
 * builder would drop `<body onload>` or a `<tr>` out of place, which a browser meeting them in a larger page
 * does not.
 *  - A node that holds anything that can run code or load another document is dropped whole: script, style,
 *    frames, object/embed, forms, base/meta/link, the elements the sanitizer strips with their content, on*
 *    handlers, srcdoc, URLs of schemes outside SAFE_SCHEMES, or a tag left open at its end (the text after it
 *    would become its attributes). An iframe becomes a plain link to what it embedded.
 *  - Otherwise every start tag goes through the sanitizer with the site's schema, after its href and src were
 *    rewritten like Markdown links: attributes it does not allow (style, class, ...) and unsafe URLs are
 *    removed, ids and names get the `user-content-` prefix, and a tag it does not allow (center, button, ...)
 *    is removed with its end tag, its content kept. A tag the sanitizer leaves unchanged stays as written.
 * A lone tag that is no HTML element, like the placeholder <your-commons>, becomes literal text.
 */
import { Tokenizer, html as parse5Html, type DefaultTreeAdapterTypes, type Token } from 'parse5';
import { fromParse5 } from 'hast-util-from-parse5';
import { sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Element, Root } from 'hast';
import { escapeHtml } from '../core/html.ts';
import { sanitizeSchema } from './sanitize-schema.ts';
import { filterSrcSet } from './rehype-safe-srcset.ts';

export const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'ftp', 'irc', 'ircs', 'xmpp']);

/** Where a link or image of the exported page points. */
export type Resolution =
  | { action: 'keep' }
  | { action: 'unsafe' }
  | { action: 'rewrite'; url: string; category: 'export' | 'github' | 'broken' | 'image' | 'anchor' }
  /** An image of a file that is no image (page.html): a link to its GitHub page instead. */
  | { action: 'link'; url: string; name: string };

export type HtmlOutcome = { kind: 'keep'; html: string } | { kind: 'text' } | { kind: 'drop'; embeds: { url: string; title: string }[] };

const HTML_ELEMENTS = new Set(
  ('a abbr address area article aside audio b bdi bdo blockquote body br button caption center cite code col colgroup ' +
    'data datalist dd del details dfn dialog div dl dt em fieldset figcaption figure font footer h1 h2 h3 h4 h5 h6 ' +
    'head header hgroup hr html i img input ins kbd label legend li main map mark menu meter nav ol optgroup option ' +
    'output p picture pre progress q rp rt ruby s samp section select small source span strike strong sub summary sup ' +
    'table tbody td textarea tfoot th thead time tr track tt u ul var video wbr ' +
    'script style iframe frame frameset object embed applet base link meta form noscript template svg math param')
    .split(' '),
);
const UNSAFE_ELEMENTS = new Set([
  ...'script style iframe frame frameset object embed applet base link meta form noscript template svg math param'.split(' '),
  ...(sanitizeSchema.strip ?? []),
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'cite', 'longdesc', 'background', 'data', 'xlink:href', 'srcset']);
const ALLOWED_TAGS = new Set(sanitizeSchema.tagNames ?? []);

interface Tag {
  end: boolean;
  name: string;
  attrs: { name: string; value: string }[];
  from: number;
  to: number;
  selfClosing: boolean;
  /** Offsets of each attribute, from its name to the end of its value. */
  attrAt: Record<string, { startOffset: number; endOffset: number }>;
}

/** The start and end tags of a piece of HTML as a browser's tokenizer sees them; `open`: a tag runs to the end. */
function tagsOf(html: string): { tags: Tag[]; open: boolean } {
  const tags: Tag[] = [];
  let open = false;
  const ignore = () => {};
  const push = (end: boolean) => (token: Token.TagToken) => {
    const at = token.location;
    if (at) tags.push({ end, name: token.tagName, attrs: token.attrs, from: at.startOffset, to: at.endOffset, selfClosing: token.selfClosing, attrAt: at.attrs ?? {} });
  };
  const tokenizer = new Tokenizer(
    { sourceCodeLocationInfo: true },
    {
      onStartTag: push(false),
      onEndTag: push(true),
      onComment: ignore,
      onDoctype: ignore,
      onEof: ignore,
      onCharacter: ignore,
      onNullCharacter: ignore,
      onWhitespaceCharacter: ignore,
      onParseError: (error) => {
        if (error.code === 'eof-in-tag') open = true;
      },
    },
  );
  tokenizer.write(html, true);
  return { tags, open };
}

/** The ids and names the sanitizer gives the elements of a piece of HTML (prefixed), for links to them. */
export function anchorsOfHtml(html: string): string[] {
  const out: string[] = [];
  for (const tag of tagsOf(html).tags) {
    for (const a of tag.attrs) if (!tag.end && (a.name === 'id' || a.name === 'name') && a.value) out.push(`${sanitizeSchema.clobberPrefix ?? ''}${a.value}`);
  }
  return out;
}

export async function rewriteHtml(
  html: string,
  resolveUrl: (url: string, image: boolean) => Promise<Resolution>,
  count: (r: Resolution, image: boolean) => void,
): Promise<HtmlOutcome> {
  const lone = /^<\/?([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>$/.exec(html.trim());
  if (lone && !HTML_ELEMENTS.has(lone[1]!.toLowerCase())) return { kind: 'text' };

  const { tags, open } = tagsOf(html);
  let unsafe = open;
  const embeds: { url: string; title: string }[] = [];
  for (const tag of tags) {
    if (tag.end) continue;
    if (UNSAFE_ELEMENTS.has(tag.name)) {
      unsafe = true;
      const src = tag.attrs.find((a) => a.name === 'src')?.value.trim();
      if (tag.name === 'iframe' && src && /^https?:\/\//i.test(src)) {
        embeds.push({ url: src, title: tag.attrs.find((a) => a.name === 'title')?.value.trim() || 'Embedded content' });
      }
    }
    for (const a of tag.attrs) {
      if (a.name.startsWith('on') || a.name === 'srcdoc' || a.name === 'formaction') unsafe = true;
      if (URL_ATTRIBUTES.has(a.name)) {
        // Browsers ignore control characters and whitespace inside a scheme: "java\tscript:".
        const squashed = a.value.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squashed)?.[1];
        if (scheme && !SAFE_SCHEMES.has(scheme) && !(tag.name === 'img' && a.name === 'src' && /^data:image\/(png|gif|jpe?g|webp);/.test(squashed))) unsafe = true;
      }
    }
  }
  if (unsafe) return { kind: 'drop', embeds };

  const edits: { from: number; to: number; text: string }[] = [];
  let linkDepth = 0;
  for (const tag of tags) {
    if (tag.name === 'a' && !tag.selfClosing) linkDepth = Math.max(0, linkDepth + (tag.end ? -1 : 1));
    if (tag.end) {
      if (!ALLOWED_TAGS.has(tag.name)) edits.push({ from: tag.from, to: tag.to, text: '' });
      continue;
    }
    edits.push(...(await sanitizedStartTag(tag, resolveUrl, count, linkDepth > 0)));
  }
  let out = html;
  for (const e of edits.sort((x, y) => y.from - x.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return { kind: 'keep', html: out };
}

/**
 * The edits that make a start tag what the site's sanitizer leaves of it: removed when it drops the tag,
 * written anew when it changes an attribute, else only the rewritten URLs spliced in (the author's spelling,
 * `<img ... />` included, stays: MDX needs it).
 */
async function sanitizedStartTag(
  tag: Tag,
  resolveUrl: (url: string, image: boolean) => Promise<Resolution>,
  count: (r: Resolution, image: boolean) => void,
  inLink: boolean,
): Promise<{ from: number; to: number; text: string }[]> {
  const p5: DefaultTreeAdapterTypes.Element = {
    nodeName: tag.name,
    tagName: tag.name,
    attrs: tag.attrs,
    namespaceURI: parse5Html.NS.HTML,
    childNodes: [],
    parentNode: null,
  };
  const element = fromParse5(p5) as Element;
  const urlEdits: { from: number; to: number; text: string }[] = [];
  for (const key of ['href', 'src'] as const) {
    const value = element.properties[key];
    const at = tag.attrAt[key];
    if (typeof value !== 'string') continue;
    const image = key === 'src' && ['img', 'source', 'video', 'audio'].includes(tag.name);
    const res = await resolveUrl(value, image);
    count(res, image);
    if (res.action === 'link' && tag.name === 'img') {
      // The <img> of a file that is no image becomes a link to it (its text alone inside a link: links do not nest).
      const alt = escapeHtml(tag.attrs.find((a) => a.name === 'alt')?.value.trim() || res.name);
      return [{ from: tag.from, to: tag.to, text: inLink ? alt : `<a href="${escapeHtml(res.url)}">${alt}</a>` }];
    }
    if (res.action !== 'rewrite' && res.action !== 'link') continue;
    element.properties[key] = res.url;
    if (at) urlEdits.push({ from: at.startOffset, to: at.endOffset, text: `${key}="${escapeHtml(res.url)}"` });
  }
  const written = startTag(element, tag.selfClosing);
  // Table parts are allowed only inside a table: give the element the parent the schema asks for.
  const parent = sanitizeSchema.ancestors?.[tag.name]?.[0];
  const tree: Root = { type: 'root', children: [parent ? { type: 'element', tagName: parent, properties: {}, children: [element] } : element] };
  const clean = sanitize(tree, sanitizeSchema) as Root;
  let kept = clean.children[0];
  if (parent && kept?.type === 'element') kept = kept.children[0];
  if (kept?.type !== 'element' || kept.tagName !== tag.name) return [{ from: tag.from, to: tag.to, text: '' }];
  if (kept.properties.srcSet !== undefined) {
    const srcSet = filterSrcSet(String(Array.isArray(kept.properties.srcSet) ? kept.properties.srcSet.join(', ') : kept.properties.srcSet));
    if (srcSet === undefined) delete kept.properties.srcSet;
    else kept.properties.srcSet = srcSet;
  }
  const next = startTag(kept, tag.selfClosing);
  return next === written ? urlEdits : [{ from: tag.from, to: tag.to, text: next }];
}

function startTag(element: Element, selfClosing: boolean): string {
  const html = toHtml({ ...element, children: [] }, { closeSelfClosing: selfClosing });
  const close = `</${element.tagName}>`;
  return html.endsWith(close) ? html.slice(0, -close.length) : html;
}

/**
 * Video embeds: an `<iframe>` whose src is a YouTube or Vimeo player, and mkdocs-video's `![type:video](url)`,
 * become a click-to-load placeholder of our own: a link to the video (what readers without script get) with
 * a play button, its title and its host. The site's script turns a click on it into a youtube-nocookie.com or
 * Vimeo player built from the link's video id; nothing is loaded from those hosts before. The author's iframe
 * itself never reaches the page (the sanitizer drops every iframe), nor does any other iframe, object or
 * embed. Runs after rehype-raw and before rehype-sanitize. No options.
 */
import type { Root, Element, ElementContent } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';

export function videoUrl(src: string): string | undefined {
  let url: URL;
  try {
    url = new URL(src.startsWith('//') ? `https:${src}` : src);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.replace(/^www\./, '');
  const id = (re: RegExp) => re.exec(url.pathname)?.[1];
  if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    const v = id(/^\/embed\/([\w-]{6,})/);
    if (v) return `https://www.youtube.com/watch?v=${v}`;
    const list = url.searchParams.get('list');
    if (url.pathname.startsWith('/embed/videoseries') && list && /^[\w-]+$/.test(list)) return `https://www.youtube.com/playlist?list=${list}`;
  }
  if (host === 'player.vimeo.com') {
    const v = id(/^\/video\/(\d+)/);
    if (v) return `https://vimeo.com/${v}`;
  }
  return undefined;
}

const span = (text?: string): Element => ({
  type: 'element',
  tagName: 'span',
  properties: text === undefined ? { ariaHidden: 'true' } : {},
  children: text === undefined ? [] : [{ type: 'text', value: text }],
});

/**
 * The placeholder: a link to the video holding a play button, its title and its host, in that order (the
 * stylesheet and the site's script find them by position: a class on a span would open the sanitizer to
 * every author's span).
 */
export function videoPlaceholder(href: string, title: string, position?: Element['position']): Element {
  return {
    type: 'element',
    tagName: 'a',
    properties: { href, className: ['video-embed'] },
    children: [span(), span(title), { type: 'text', value: ' ' }, span(href.includes('vimeo') ? 'Vimeo' : 'YouTube')],
    position,
  };
}

const rehypeEmbeds: Plugin<[], Root> = () => (tree) => {
  eachElement(tree, (node, index, parent) => {
    // mkdocs-video writes a video as an image whose alt text is "type:video".
    const isVideoImage = node.tagName === 'img' && node.properties.alt === 'type:video';
    if (node.tagName !== 'iframe' && !isVideoImage) return;
    const href = typeof node.properties.src === 'string' ? videoUrl(node.properties.src) : undefined;
    if (!href) return;
    const title = typeof node.properties.title === 'string' && node.properties.title.trim() ? node.properties.title.trim() : 'Video';
    parent.children.splice(index, 1, videoPlaceholder(href, title, node.position) as ElementContent);
  });
};

export default rehypeEmbeds;

/**
 * Video embeds: an `<iframe>` whose src is a YouTube or Vimeo player becomes a plain link to the video (the
 * sanitizer drops every iframe, which would leave a hole in the page). Any other iframe, object or embed is left
 * for the sanitizer to remove. Runs after rehype-raw and before rehype-sanitize. No options.
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

const rehypeEmbeds: Plugin<[], Root> = () => (tree) => {
  eachElement(tree, (node, index, parent) => {
    if (node.tagName !== 'iframe') return;
    const href = typeof node.properties.src === 'string' ? videoUrl(node.properties.src) : undefined;
    if (!href) return;
    const title = typeof node.properties.title === 'string' && node.properties.title.trim() ? node.properties.title.trim() : 'Video';
    const link: Element = {
      type: 'element',
      tagName: 'a',
      properties: { href },
      children: [{ type: 'text', value: `${title} (${href.includes('vimeo') ? 'Vimeo' : 'YouTube'})` }],
      position: node.position,
    };
    parent.children.splice(index, 1, link as ElementContent);
  });
};

export default rehypeEmbeds;

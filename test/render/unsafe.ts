/** The generic checker of the hostile-input tests: what in a rendered body could run or navigate by itself. */
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element, Root } from 'hast';

const DANGEROUS_TAGS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'form', 'textarea', 'button', 'select', 'template', 'noscript', 'svg', 'math', 'frame', 'frameset', 'xmp', 'noembed', 'portal', 'video', 'audio']);
const URL_ATTRS = ['href', 'src', 'srcSet', 'action', 'formAction', 'xLinkHref', 'poster', 'cite', 'background', 'longDesc', 'data', 'codeBase', 'dynsrc', 'lowsrc'];
const BAD_SCHEME = /^(javascript|vbscript|data|livescript|mocha|file):/;

/** Every problem found in the rendered HTML (empty when inert). */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  const tree: Root = fromHtml(html, { fragment: true });
  visit(tree, 'element', (node: Element) => {
    if (DANGEROUS_TAGS.has(node.tagName)) problems.push(`<${node.tagName}>`);
    if (node.tagName === 'input' && !(node.properties.type === 'checkbox' && node.properties.disabled === true)) problems.push('<input> other than a disabled checkbox');
    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on/i.test(key)) problems.push(`${node.tagName}[${key}]`);
      if (key === 'style' || key === 'formAction' || key === 'xLinkHref') problems.push(`${node.tagName}[${key}]`);
      if (!URL_ATTRS.includes(key) || value === null || value === undefined) continue;
      const values = Array.isArray(value) ? value.map(String) : String(value).split(',');
      for (const v of values) {
        const normalized = v.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if (BAD_SCHEME.test(normalized)) problems.push(`${node.tagName}[${key}=${v.slice(0, 30)}]`);
      }
    }
  });
  if (/<\s*script/i.test(html.replace(/&#x3C;|&lt;/g, ''))) problems.push('script tag text');
  return problems;
}


/**
 * Same-page anchors: every `href="#x"` must name an id of the page. When it does not, the fragment is matched
 * like GitHub users expect (see anchors.ts: `#x` to an anchor written in raw HTML, now `user-content-x`, slug,
 * case, MkDocs spellings); failing that, a warning with file and line, and the link points at the top of the page (`#`), its text kept. Runs last, after rehype-ids. No options.
 */
import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';
import { pageData, warn } from './page-data.ts';
import { matchFragment } from './anchors.ts';

const rehypeAnchors: Plugin<[], Root> = () => (tree, file) => {
  const data = pageData(file);
  const ids = new Set(data.ids);
  eachElement(tree, (node) => {
    const href = node.properties.href;
    if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#') || href === '#') return;
    let fragment = href.slice(1);
    try {
      fragment = decodeURIComponent(fragment);
    } catch {
      // keep as written
    }
    const id = matchFragment(fragment, ids);
    if (id === fragment) return;
    if (id !== undefined) {
      node.properties.href = `#${encodeURIComponent(id)}`;
      data.linksRewritten++;
      return;
    }
    data.linksBroken++;
    warn(file, 'broken-anchor', `anchor "${href}" names no heading or id of this page; linked to the top`, node.position);
    node.properties.href = '#';
  });
};

export default rehypeAnchors;

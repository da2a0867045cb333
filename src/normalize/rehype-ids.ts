/**
 * Ids: keeps the page's ids (headings, `<a name>`, raw HTML ids) out of the page template's namespace and
 * collects them. An id or name starting with the reserved prefix (`site-` by default) gets `user-content-`
 * put in front, as GitHub does for every id; anchors to the old spelling are matched again by rehype-anchors.
 * Duplicate ids are left as written (the first one wins in browsers, as on GitHub).
 * Every id and `<a name>` ends up in `file.data.page.ids`; the table of contents follows renames. Options: `reservedPrefix`.
 */
import type { Root, Element } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';
import { pageData } from './page-data.ts';

export interface IdsOptions {
  reservedPrefix?: string;
}

const rehypeIds: Plugin<[IdsOptions?], Root> = (options = {}) => {
  const reserved = (options.reservedPrefix ?? 'site-').toLowerCase();
  return (tree, file) => {
    const ids = new Set<string>();
    const renamed = new Map<string, string>();
    eachElement(tree, (node) => {
      for (const key of ['id', 'name'] as const) {
        if (key === 'name' && node.tagName !== 'a') continue;
        let value = node.properties[key];
        if (value === undefined || value === null || value === '') continue;
        value = String(value);
        if (value.toLowerCase().startsWith(reserved)) {
          renamed.set(value, `user-content-${value}`);
          value = `user-content-${value}`;
        }
        node.properties[key] = value;
        ids.add(value);
      }
    });
    const data = pageData(file);
    data.ids = [...ids];
    for (const entry of data.toc) entry.id = renamed.get(entry.id) ?? entry.id;
  };
};

export default rehypeIds;

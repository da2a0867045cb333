/**
 * Ids: makes sure no id or name of the page can shadow a property the page's scripts or the browser use, keeps
 * them out of the page template's namespace, and collects them.
 *
 * Ids and names written in raw HTML already carry `user-content-` (the sanitizer's clobber prefix). The others
 * are the renderer's own: heading slugs (github-slugger: lower case) and `{#custom}` heading ids. A named
 * element shows up as a property of `document` (names of img, form, iframe, embed, object and some of their
 * ids), where it shadows even document's own methods: such names and ids always get the prefix. Any other id,
 * and an `<a name>`, shows up on `window` only, where it can shadow only what window inherits (EventTarget and
 * Object: `addEventListener`, `__proto__`, ...) and globals the browser lacks, which are camelCase or
 * capitalised (`FinalizationRegistry`). So such an id without capital letters that names nothing of Object or
 * EventTarget stays as written, and links from GitHub and other sites still land on it; any other, and one
 * starting with the reserved prefix (`site-` by default), gets `user-content-` put in front as GitHub does.
 * Links to the old spelling are matched again by rehype-anchors and cross-links.
 *
 * Duplicate ids are left as written (the first one wins in browsers, as on GitHub). Every id and `<a name>`
 * ends up in `file.data.page.ids`; the table of contents follows renames. Options: `reservedPrefix`.
 */
import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';
import { pageData } from './page-data.ts';
import { CLOBBER_PREFIX } from './sanitize-schema.ts';

export interface IdsOptions {
  reservedPrefix?: string;
}

/** What `window` inherits below its named properties: an element with one of these ids would shadow it. */
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(EventTarget.prototype)]);
/** Elements whose name (and, for some, id) becomes a property of `document`. */
const ON_DOCUMENT = new Set(['img', 'form', 'iframe', 'embed', 'object']);

/** Whether an id the renderer made can stay unprefixed (see above). */
export function isInertId(id: string, reservedPrefix = 'site-'): boolean {
  return id === id.toLowerCase() && !INHERITED.has(id) && !id.startsWith(reservedPrefix.toLowerCase());
}

const rehypeIds: Plugin<[IdsOptions?], Root> = (options = {}) => {
  const reserved = options.reservedPrefix ?? 'site-';
  return (tree, file) => {
    const ids = new Set<string>();
    const renamed = new Map<string, string>();
    eachElement(tree, (node) => {
      for (const key of ['id', 'name'] as const) {
        let value = node.properties[key];
        if (value === undefined || value === null || value === '') continue;
        value = String(value);
        const windowOnly = !ON_DOCUMENT.has(node.tagName) && (key === 'id' || node.tagName === 'a');
        if (!value.startsWith(CLOBBER_PREFIX) && !(windowOnly && isInertId(value, reserved))) {
          renamed.set(value, CLOBBER_PREFIX + value);
          value = CLOBBER_PREFIX + value;
        }
        node.properties[key] = value;
        // Fragments find ids, and names of <a> only.
        if (key === 'id' || node.tagName === 'a') ids.add(value);
      }
    });
    const data = pageData(file);
    data.ids = [...ids];
    for (const entry of data.toc) entry.id = renamed.get(entry.id) ?? entry.id;
  };
};

export default rehypeIds;

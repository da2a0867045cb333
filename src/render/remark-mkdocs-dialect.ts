/**
 * The MkDocs dialect as one preset: the plugins matching the `markdown_extensions` of a mkdocs.yml, for pages
 * written for MkDocs (Material) rather than for GitHub.
 *
 *   const dialect = remarkMkdocsDialect({ extensions: mkdocsYml.markdown_extensions });
 *   unified().use(remarkParse).use(remarkGfm).use(dialect).use(remarkRehype, { handlers: mkdocsDialectHastHandlers })
 *   dialect.unsupported   // listed extensions this does not implement, to report once per source
 *
 * `extensions` takes the list as mkdocs.yml holds it: names, or one-key objects holding an extension's config
 * (`- pymdownx.tasklist: {custom_checkbox: true}`); `markdown.extensions.` prefixes are dropped. Implemented:
 *   admonition, pymdownx.details                   remark-mkdocs-admonitions
 *   pymdownx.caret, pymdownx.mark, pymdownx.tilde  remark-mkdocs-inline-marks (config: insert, superscript, subscript)
 *   pymdownx.smartsymbols                          remark-mkdocs-smartsymbols (config passed through)
 *   attr_list                                      remark-mkdocs-attr-list (allowlists: options.attrList)
 *   def_list                                       remark-mkdocs-def-list (micromark-extension-definition-list)
 *   md_in_html                                     remark-mkdocs-md-in-html
 * Covered by what the pipeline already does (CommonMark, remark-gfm, the site's anchors and highlighting), so not
 * reported: tables, fenced_code, toc, meta, pymdownx.superfences (fences nest in lists and admonitions as in
 * CommonMark; custom fences stay code), pymdownx.highlight, pymdownx.betterem, and, with differences:
 *   footnotes            GFM numbers notes in the order they are referenced, Python-Markdown 3.4 in the order
 *                        they are defined; ids are `user-content-fn-1`, not `fn:1`, so a hand-written `#fn:1` link
 *                        finds nothing
 *   pymdownx.tasklist    the same disabled checkboxes; `custom_checkbox`'s <label> and the class names differ
 *   pymdownx.magiclink   its defaults link bare URLs and e-mail addresses only (no @user, #123 shorthands), as
 *                        GFM autolink literals do, except `ftp://` and `ftps://` URLs, which stay text here
 * Anything else listed is returned in `unsupported` (pymdownx.emoji's icon shortcodes, inlinehilite, tabbed,
 * abbr, ...). Use after remark-gfm; the `~` of pymdownx tilde takes precedence over GFM's either way.
 */
import type { Handlers } from 'mdast-util-to-hast';
import type { PluggableList, Preset } from 'unified';
import remarkMkdocsAdmonitions from './remark-mkdocs-admonitions.ts';
import { admonitionToHast } from './mkdocs-admonition-mdast.ts';
import remarkMkdocsInlineMarks from './remark-mkdocs-inline-marks.ts';
import remarkMkdocsSmartsymbols from './remark-mkdocs-smartsymbols.ts';
import remarkMkdocsAttrList, { type RemarkMkdocsAttrListOptions } from './remark-mkdocs-attr-list.ts';
import remarkMkdocsDefList, { defListToHast } from './remark-mkdocs-def-list.ts';
import remarkMkdocsMdInHtml, { mdInHtmlToHast } from './remark-mkdocs-md-in-html.ts';

export type MkdocsExtensionEntry = string | Record<string, unknown>;

export interface MkdocsDialectOptions {
  /** mkdocs.yml `markdown_extensions`. */
  extensions: MkdocsExtensionEntry[];
  /** The classes and attributes an attribute list may set (the site's choice, not the page's). */
  attrList?: RemarkMkdocsAttrListOptions;
}

export interface MkdocsDialect extends Preset {
  plugins: PluggableList;
  /** Listed extensions that neither a plugin here nor the base pipeline implements, in the order listed. */
  unsupported: string[];
}

/** Extensions whose behaviour the base pipeline (CommonMark, GFM, the site's anchors) already gives. */
const COVERED = new Set([
  'tables',
  'fenced_code',
  'toc',
  'meta',
  'footnotes',
  'pymdownx.superfences',
  'pymdownx.highlight',
  'pymdownx.tasklist',
  'pymdownx.magiclink',
  'pymdownx.betterem',
]);

/** The admonition kinds MkDocs Material styles (its `admonition` reference), the classes a site can expect. */
export const MATERIAL_ADMONITION_KINDS = [
  'note', 'abstract', 'summary', 'tldr', 'info', 'todo', 'tip', 'hint', 'important', 'success', 'check', 'done',
  'question', 'help', 'faq', 'warning', 'caution', 'attention', 'failure', 'fail', 'missing', 'danger', 'error',
  'bug', 'example', 'quote', 'cite',
];

/**
 * What a sanitizer built on GitHub's schema (rehype-sanitize's defaultSchema) must allow for the dialect's markup
 * to survive it: <mark>, the admonition classes, the title class and `open`. Classes are limited to Material's
 * kinds (and `admonition`) so that a page cannot borrow the site's own class names; a block of another kind
 * (`!!! served`) keeps its structure and title but not its kind class unless the site adds it to `kinds`.
 * Everything else the dialect makes (ins, sub, sup, dl, details, summary, ids) the default schema keeps.
 */
export function mkdocsDialectSanitizeAdditions(kinds: string[] = MATERIAL_ADMONITION_KINDS) {
  const words = kinds.filter((k) => /^[a-z][a-z0-9_-]*$/.test(k));
  const kind = new RegExp(`^(?:${words.join('|')})$`);
  return {
    tagNames: ['mark'],
    attributes: {
      div: [['className', 'admonition', kind]] as Array<[string, ...Array<string | RegExp>]>,
      p: [['className', 'admonition-title']] as Array<[string, ...Array<string | RegExp>]>,
      details: [['className', kind], 'open'] as Array<[string, ...Array<string | RegExp>] | string>,
    },
  };
}

/** remark-rehype handlers for the dialect's nodes: the same elements as without them, with line breaks. */
export const mkdocsDialectHastHandlers: Handlers = {
  admonition: admonitionToHast as NonNullable<Handlers['admonition']>,
  ...defListToHast,
  mdInHtml: mdInHtmlToHast as NonNullable<Handlers['mdInHtml']>,
};

export function remarkMkdocsDialect(options: MkdocsDialectOptions): MkdocsDialect {
  const config = new Map<string, Record<string, unknown>>();
  for (const entry of options.extensions ?? []) {
    if (typeof entry === 'string') config.set(normalizeName(entry), {});
    else if (entry && typeof entry === 'object') {
      for (const [name, value] of Object.entries(entry)) config.set(normalizeName(name), value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
    }
  }
  const has = (name: string) => config.has(name);
  const plugins: PluggableList = [];
  const implemented = new Set<string>();
  const use = (names: string[], plugin: PluggableList[number]) => {
    names.forEach((n) => implemented.add(n));
    plugins.push(plugin);
  };

  // First of the transforms: the Markdown it parses out of HTML blocks then goes through the others.
  if (has('md_in_html')) use(['md_in_html'], remarkMkdocsMdInHtml);

  if (has('admonition') || has('pymdownx.details')) {
    use(['admonition', 'pymdownx.details'], [remarkMkdocsAdmonitions, { admonition: has('admonition'), details: has('pymdownx.details') }]);
  }

  if (has('def_list')) use(['def_list'], remarkMkdocsDefList);

  if (has('pymdownx.caret') || has('pymdownx.mark') || has('pymdownx.tilde')) {
    const caret = config.get('pymdownx.caret');
    const tilde = config.get('pymdownx.tilde');
    use(['pymdownx.caret', 'pymdownx.mark', 'pymdownx.tilde'], [
      remarkMkdocsInlineMarks,
      {
        insert: caret !== undefined && caret.insert !== false,
        superscript: caret !== undefined && caret.superscript !== false,
        mark: has('pymdownx.mark'),
        subscript: tilde !== undefined && tilde.subscript !== false,
      },
    ]);
  }

  // Before smartsymbols, as in MkDocs: `{ title="(c)" }` is read as written, and no symbol splits the list's text.
  if (has('attr_list')) use(['attr_list'], [remarkMkdocsAttrList, options.attrList ?? {}]);
  if (has('pymdownx.smartsymbols')) use(['pymdownx.smartsymbols'], [remarkMkdocsSmartsymbols, config.get('pymdownx.smartsymbols')]);

  const unsupported = [...config.keys()].filter((name) => !implemented.has(name) && !COVERED.has(name));
  return { plugins, unsupported };
}

function normalizeName(name: string): string {
  return name.trim().replace(/^markdown\.extensions\./, '');
}

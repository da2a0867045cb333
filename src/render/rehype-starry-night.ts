/**
 * Syntax highlighting at build time with GitHub's own grammars (@wooorm/starry-night, `common` set): a
 * `<pre><code class="language-x">` whose language starry-night knows gets `<span class="pl-...">` children,
 * styled by the theme; no highlighter runs in the browser. The `pre` gets `data-language` (the label shown by
 * the theme) whenever a language was given. Unknown languages stay plain text. `mermaid` blocks stay readable
 * code with the class `mermaid` on the `pre` (no diagram script).
 * starry-night (grammars and the oniguruma WASM) is loaded once per process, on the first page with a code
 * block. The time spent is added to `file.data.page.highlightMs`.
 * Options: `grammars` (default: starry-night's `common`).
 */
import type { Root, Element } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';
import { toString } from 'hast-util-to-string';
import type { createStarryNight, Grammar } from '@wooorm/starry-night';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pageData } from './page-data.ts';

type StarryNight = Awaited<ReturnType<typeof createStarryNight>>;
interface Highlighter {
  createStarryNight: typeof createStarryNight;
  common: ReadonlyArray<Grammar>;
}

/**
 * starry-night's entry module also imports every one of its ~600 grammars (`all`): about a second of module
 * loading in each process that renders, for grammars never used. Its engine and its `common` list are read
 * from their own modules instead; should a later version move them, the entry module is used.
 */
let highlighter: Promise<Highlighter> | undefined;
function loadHighlighter(): Promise<Highlighter> {
  const own = async (): Promise<Highlighter> => {
    const lib = path.join(path.dirname(createRequire(import.meta.url).resolve('@wooorm/starry-night')), 'lib');
    const [engine, list] = (await Promise.all([import(pathToFileURL(path.join(lib, 'index.js')).href), import(pathToFileURL(path.join(lib, 'common.js')).href)])) as [Partial<Highlighter>, { grammars?: ReadonlyArray<Grammar> }];
    if (typeof engine.createStarryNight !== 'function' || !Array.isArray(list.grammars)) throw new Error('starry-night has moved its modules');
    return { createStarryNight: engine.createStarryNight, common: list.grammars };
  };
  return (highlighter ??= own().catch(async () => {
    const entry = await import('@wooorm/starry-night');
    return { createStarryNight: entry.createStarryNight, common: entry.common };
  }));
}

export interface HighlightOptions {
  grammars?: ReadonlyArray<Grammar>;
}

const loaded = new Map<ReadonlyArray<Grammar> | undefined, Promise<StarryNight>>();
/** The highlighter for these grammars (undefined: `common`), made once per process. */
function starryNightFor(grammars: ReadonlyArray<Grammar> | undefined): Promise<StarryNight> {
  let promise = loaded.get(grammars);
  if (!promise) {
    promise = loadHighlighter().then((h) => h.createStarryNight(grammars ?? h.common));
    loaded.set(grammars, promise);
  }
  return promise;
}

// Fence names that starry-night's flags miss or that people use loosely.
const ALIASES: Record<string, string> = { zsh: 'sh', jsonc: 'json', golang: 'go', text: '', txt: '', plaintext: '', none: '' };

function languageOf(code: Element): string | undefined {
  const classes: unknown = code.properties.className;
  const list = Array.isArray(classes) ? (classes as unknown[]) : typeof classes === 'string' ? classes.split(/\s+/) : [];
  for (const c of list) {
    const name = String(c);
    if (name.startsWith('language-')) return name.slice('language-'.length).toLowerCase();
  }
  return undefined;
}

const rehypeHighlight: Plugin<[HighlightOptions?], Root> = (options = {}) => {
  const grammars = options.grammars;
  return async (tree, file) => {
    const blocks: { pre: Element; code: Element; lang: string }[] = [];
    eachElement(tree, (pre) => {
      if (pre.tagName !== 'pre') return;
      const code = pre.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code');
      const lang = code && languageOf(code);
      if (!code || !lang) return;
      pre.properties.dataLanguage = lang;
      if (lang === 'mermaid') pre.properties.className = ['mermaid'];
      else blocks.push({ pre, code, lang });
    });
    if (!blocks.length) return;
    const started = performance.now();
    const starryNight = await starryNightFor(grammars);
    for (const { code, lang } of blocks) {
      const flag = lang in ALIASES ? ALIASES[lang]! : lang;
      const scope = flag ? starryNight.flagToScope(flag) : undefined;
      if (!scope) continue;
      const highlighted = starryNight.highlight(toString(code), scope);
      code.children = highlighted.children as Element['children'];
    }
    pageData(file).highlightMs += performance.now() - started;
  };
};

export default rehypeHighlight;

/**
 * Syntax highlighting at build time with GitHub's own grammars (@wooorm/starry-night, `common` set): a
 * `<pre><code class="language-x">` whose language starry-night knows gets `<span class="pl-...">` children,
 * styled by the theme; no highlighter runs in the browser. The `pre` gets `data-language` (the label shown by
 * the theme) whenever a language was given. Unknown languages stay plain text. `mermaid` blocks stay readable
 * code with the class `mermaid` on the `pre` (no diagram script).
 * starry-night (grammars and the oniguruma WASM) is loaded once per process, on the first page with a code
 * block in a known language. The time spent is added to `file.data.page.highlightMs`.
 * Options: `grammars` (default: `common`).
 */
import type { Root, Element } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';
import { toString } from 'hast-util-to-string';
import { common, createStarryNight } from '@wooorm/starry-night';
import type { Grammar } from '@wooorm/starry-night';
import { pageData } from './page-data.ts';

type StarryNight = Awaited<ReturnType<typeof createStarryNight>>;

export interface HighlightOptions {
  grammars?: ReadonlyArray<Grammar>;
}

const loaded = new Map<ReadonlyArray<Grammar>, Promise<StarryNight>>();
function starryNightFor(grammars: ReadonlyArray<Grammar>): Promise<StarryNight> {
  let promise = loaded.get(grammars);
  if (!promise) {
    promise = createStarryNight(grammars);
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
  const grammars = options.grammars ?? common;
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

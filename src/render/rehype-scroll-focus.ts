/**
 * Keyboard access to regions that scroll sideways: the theme lets tables and code blocks scroll (as GitHub
 * does), and a scrolling region must be reachable by keyboard, so every table and pre gets tabindex="0".
 * Runs after the sanitizer, which does not let tabindex through from the source. No options.
 */
import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { eachElement } from './walk.ts';

const SCROLLING = new Set(['table', 'pre']);

const rehypeScrollFocus: Plugin<[], Root> = () => (tree) => {
  eachElement(tree, (node) => {
    if (SCROLLING.has(node.tagName)) node.properties.tabIndex = 0;
  });
};

export default rehypeScrollFocus;

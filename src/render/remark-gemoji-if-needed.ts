/**
 * remark-gemoji, run only on pages that have a shortcode it knows (`:tada:`). remark-gemoji walks every node
 * with ancestor tracking even when nothing matches, and all but a few pages have no emoji shortcode: a plain
 * walk over the text nodes finds out first. No options.
 */
import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import remarkGemoji from 'remark-gemoji';
import { nameToEmoji } from 'gemoji';
import { someText } from '../core/mdast-text.ts';

/** remark-gemoji's pattern: it retries one character later when a match is no emoji name, and so does this. */
const SHORTCODE = /:(\+1|[-\w]+):/g;

function hasShortcode(value: string): boolean {
  if (!value.includes(':')) return false;
  SHORTCODE.lastIndex = 0;
  for (let match = SHORTCODE.exec(value); match; match = SHORTCODE.exec(value)) {
    if (Object.hasOwn(nameToEmoji, match[1]!)) return true;
    SHORTCODE.lastIndex = match.index + 1;
  }
  return false;
}

const remarkGemojiIfNeeded: Plugin<[], Root> = function () {
  const gemoji = remarkGemoji.call(this) as (tree: Root) => undefined;
  return (tree) => {
    if (someText(tree, hasShortcode)) gemoji(tree);
  };
};

export default remarkGemojiIfNeeded;

/** remark-gemoji-if-needed renders exactly as remark-gemoji does: the check before it never skips a page it would change. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified, type Pluggable } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkGemoji from 'remark-gemoji';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import remarkGemojiIfNeeded from '../../src/render/remark-gemoji-if-needed.ts';

const render = (plugin: Pluggable, markdown: string) => String(unified().use(remarkParse).use(remarkGfm).use([plugin]).use(remarkRehype).use(rehypeStringify).processSync(markdown));

const fixtures = path.resolve('test/fixtures/plugins/remark-gemoji-if-needed');
const inputs = [
  ...readdirSync(fixtures).map((name) => readFileSync(path.join(fixtures, name, 'input.md'), 'utf8')),
  ':smile:',
  'no colon at all',
  'x:y:z:smile:',
  '**bold :sparkles:** and _:fire:_',
  '| a | b |\n| - | - |\n| :white_check_mark: | 1:2:3 |',
  '> [!NOTE]\n> :warning: careful',
  '12:00:00 and :smile',
];

describe('remark-gemoji-if-needed', () => {
  it.each(inputs.map((input) => [input.slice(0, 40), input]))('renders %j as remark-gemoji does', (_name, input) => {
    expect(render(remarkGemojiIfNeeded, input)).toBe(render(remarkGemoji, input));
  });

  it('changes the pages that have a known shortcode and no other', () => {
    expect(render(remarkGemojiIfNeeded, 'x:nothing-here:smile:')).toContain('😄');
    expect(render(remarkGemojiIfNeeded, 'at 12:30:45 :not-an-emoji-name:')).toBe(render(() => {}, 'at 12:30:45 :not-an-emoji-name:'));
  });
});

import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import remarkAlerts from '../../src/render/remark-alerts.ts';

const md = (s: string) => String(unified().use(remarkParse).use(remarkAlerts).use(remarkRehype).use(rehypeStringify).processSync(s));

describe('remark-alerts', () => {
  it.each(['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION'])('renders [!%s] as a titled alert', (kind) => {
    const html = md(`> [!${kind}]\n> Mind the gap.`);
    const lower = kind.toLowerCase();
    expect(html).toContain(`<div class="markdown-alert markdown-alert-${lower}">`);
    expect(html).toContain(`<p class="markdown-alert-title">${kind[0]}${lower.slice(1)}</p>`);
    expect(html).toContain('<p>Mind the gap.</p>');
    expect(html).not.toContain('[!');
  });

  it('accepts lower case markers and a marker alone in its paragraph', () => {
    expect(md('> [!note]\n>\n> Second paragraph.')).toMatch(/markdown-alert-note[\s\S]*<p>Second paragraph.<\/p>/);
  });

  it('leaves plain blockquotes, unknown kinds and markers not on their own line alone', () => {
    expect(md('> Just a quote')).toBe('<blockquote>\n<p>Just a quote</p>\n</blockquote>');
    expect(md('> [!DANGER]\n> no')).toContain('<blockquote>');
    expect(md('> [!NOTE] inline text')).toContain('<blockquote>');
  });

  it('ignores alerts nested in lists', () => {
    expect(md('- > [!NOTE]\n  > nested')).toContain('<blockquote>');
  });
});

import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkPlaceholders from '../../src/render/remark-placeholders.ts';

const md = (s: string) =>
  String(unified().use(remarkParse).use(remarkPlaceholders).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeSanitize).use(rehypeStringify).processSync(s));

describe('remark-placeholders', () => {
  it('keeps inline placeholders visible', () => {
    expect(md('Open https://<your-commons>/login as <username>.')).toContain('&#x3C;your-commons>');
    expect(md('Set <GUID> and </hostname> here')).toMatch(/&#x3C;GUID>.*&#x3C;\/hostname>/);
    expect(md('Use <profile name="x"> here')).toContain('&#x3C;profile name="x">');
  });

  it('keeps real inline HTML as HTML', () => {
    expect(md('Press <kbd>Ctrl</kbd> and <b>go</b>')).toBe('<p>Press <kbd>Ctrl</kbd> and <b>go</b></p>');
  });

  it('turns a block that starts with a placeholder into text', () => {
    expect(md('<hostname>\n\nafter')).toBe('<p>&#x3C;hostname></p>\n<p>after</p>');
  });

  it('escapes placeholders inside an HTML block and keeps the markup around them', () => {
    const html = md('<table><tr><td><bucket-name></td><td>x</td></tr></table>');
    expect(html).toContain('<td>&#x3C;bucket-name></td>');
    expect(html).toContain('<td>x</td>');
  });

  it('leaves code alone', () => {
    expect(md('`<hostname>`')).toBe('<p><code>&#x3C;hostname></code></p>');
  });

  it('treats extra known tags as HTML', () => {
    const html = String(unified().use(remarkParse).use(remarkPlaceholders, { knownTags: ['widget'] }).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeStringify, { allowDangerousHtml: true }).processSync('a <widget> b'));
    expect(html).toBe('<p>a <widget> b</p>');
  });
});

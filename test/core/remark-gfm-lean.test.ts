/**
 * remark-gfm-lean gives the trees remark-gfm gives: a construct it leaves out of a document's parse could not have
 * matched there, and its check before the literal-autolink pass never skips a tree the pass would change. Inputs:
 * every fixture of the project's plugins, and cases made around both checks (tables in containers and with
 * delimiter rows of every kind; the pass links what micromark leaves as text: addresses and URLs written with
 * character references or escapes). Every corpus page is compared too, in remark-gfm-lean-corpus.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unified, type Pluggable } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import type { Root } from 'mdast';
import remarkGfmLean, { mayHoldLiteralAutolink, mayHoldTable, unusableConstructs } from '../../src/core/remark-gfm-lean.ts';

/** CommonMark only: bare URLs stay text, as the pass finds them. */
const plain = (markdown: string) => unified().use(remarkParse).parse(markdown) as Root;
const tree = (plugin: Pluggable, markdown: string) => {
  const processor = unified().use(remarkParse).use([plugin]);
  return processor.runSync(processor.parse(markdown));
};

const fixtures = path.resolve('test/fixtures/plugins');
const fixtureInputs = readdirSync(fixtures).flatMap((plugin) =>
  readdirSync(path.join(fixtures, plugin), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => [`${plugin}/${entry.name}`, readFileSync(path.join(fixtures, plugin, entry.name, 'input.md'), 'utf8')] as const),
);

const made: [string, string][] = [
  ['no candidate', '# Fence\n\nPlain text, `code@example.org`, and [a link](https://example.org).'],
  ['bare URL', 'See https://github.com/uc-cdis/fence for more.'],
  ['upper-case scheme', 'See HTTPS://EXAMPLE.ORG/A and HTTP://x.org.'],
  ['www', 'Go to www.gen3.org, then www.example.com/path?q=1.'],
  ['e-mail', 'Write to support@gen3.org or to a.b+c@sub.example.org.'],
  ['mailto and xmpp', 'mailto:someone@example.org and xmpp:me@example.org/resource'],
  // What micromark leaves as text and only the pass links: one kind of candidate a case.
  ['an @ from a character reference', 'Write to user&#64;example.org.'],
  ['an escaped @', 'Write to foo\\@bar.org.'],
  ['a scheme from a character reference', 'See https&#58;//example.org/a.'],
  ['an upper-case scheme from a character reference', 'See HTTP&#58;//EXAMPLE.ORG.'],
  ['www from a character reference', 'See &#119;ww.example.org.'],
  ['inside a link', '[https://example.org](https://example.org) and [see www.example.org][ref]\n\n[ref]: https://example.org'],
  ['in a table', '| who | where |\n| - | - |\n| me@example.org | https://example.org |'],
  ['in a heading and emphasis', '## Contact: *admin@example.org*\n\n**www.example.org**'],
  ['image alt and code', '![https://example.org](a.png) `https://example.org` and\n\n    indented@example.org'],
  ['an @ that is no address', 'Use `@gen3/ui` or @mentions, 2@3, and npm i @scope/pkg.'],
  ['a scoped package in a list', '- Update @gen3/ui-component dependency\n- Bump x@1.2.3'],
  ['domains at the edge of the check', 'a&#64;localhost, b&#64;x_y.z, c&#64;x-y.z-, d&#64;.org, e&#64;x.'],
  ['a hyphen in the domain', 'Write to f&#64;my-host.org.'],
  ['a hyphen after the dot', 'Write to g&#64;x.-y.'],
  ['upper-case www', 'See WWW.EXAMPLE.ORG and Www.Example.org.'],
  ['a table in a blockquote', '> | a | b |\n> | - | - |\n> | 1 | 2 |'],
  ['a table in a list item', '- item\n\n  a | b\n  --|--\n  1 | 2'],
  ['a table in a blockquote in a list, with tabs', '1. > a\t|\tb\n   > --\t|\t:-\n   > 1\t|\t2'],
  ['a delimiter row of colons and hyphens only', 'a\n:-\n\nb\n-:'],
  ['a delimiter row with no outer pipes', 'a | b\n:-- | --:\nc | d'],
  ['a one-column table', '| a |\n| - |\n| b |'],
  ['CRLF line endings', 'a | b\r\n--|--\r\n1 | 2\r\n'],
  ['a CR line ending before the delimiter row', 'a | b\r--|--\r1 | 2'],
  ['pipes with no delimiter row', 'a | b\nc | d\n\n`x | y`'],
  ['a setext underline and thematic breaks under a row of pipes', 'a | b\n---\n\n***\n\n- - -'],
  ['a delimiter row in an indented code block', '    a | b\n    --|--'],
  ['a delimiter row with a letter', 'a | b\n--|-x'],
];

describe('remark-gfm-lean', () => {
  it.each([...fixtureInputs, ...made])('%s: the same tree as remark-gfm', (_name, input) => {
    expect(tree(remarkGfmLean, input)).toEqual(tree(remarkGfm, input));
  });

  it('gives the same trees placed before remark-parse, where it parses every document with all of GFM', () => {
    for (const [, input] of made) {
      const processor = unified().use(remarkGfmLean).use(remarkParse);
      expect(processor.runSync(processor.parse(input))).toEqual(tree(remarkGfm, input));
    }
  });

  it('leaves out of a parse the constructs a document has no mark for', () => {
    expect(unusableConstructs('# Fence\n\nPlain text, ---, a | b, `x`.')).toEqual(['table', 'emailAutolink', 'wwwAutolink', 'protocolAutolink']);
    expect(unusableConstructs('Write to me@example.org, see HTTP://x.org or wWw.x.org.\n\n|a|\n|-|')).toEqual([]);
    expect(mayHoldTable('a\n> \t :-')).toBe(true);
    expect(mayHoldTable('a | b\n---\n- - -\n--x|')).toBe(false);
    // A character reference is no mark: micromark reads the source, and the pass after parsing links these.
    expect(unusableConstructs('user&#64;example.org &#119;ww.x.org')).toEqual(['table', 'emailAutolink', 'wwwAutolink', 'protocolAutolink']);
  });

  it('reads a line of a million spaces before a letter in linear time', () => {
    const started = performance.now();
    expect(mayHoldTable(`${' '.repeat(1_000_000)}x\n${'>'.repeat(1_000_000)}y`)).toBe(false);
    // A guard against runaway cost only: linear is milliseconds, quadratic would be hours.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('writes Markdown as remark-gfm does (the same serialisation options)', () => {
    const table = '| a | b |\n| :- | -: |\n| ~~x~~ | [^1] |\n\n[^1]: note\n\n- [x] done';
    const write = (plugin: typeof remarkGfm) => String(unified().use(remarkParse).use(plugin, { tablePipeAlign: false }).use(remarkStringify).processSync(table));
    expect(write(remarkGfmLean)).toBe(write(remarkGfm));
  });

  it('skips the pass only where no text outside links has a candidate', () => {
    expect(mayHoldLiteralAutolink(plain(made[0]![1]))).toBe(false);
    expect(mayHoldLiteralAutolink(plain('[www.example.org](https://example.org) and [HTTP://x.org][r]\n\n[r]: /'))).toBe(false);
    expect(mayHoldLiteralAutolink(plain('Mail me@example.org'))).toBe(true);
    expect(mayHoldLiteralAutolink(plain('a&#64;b.org'))).toBe(true);
    expect(mayHoldLiteralAutolink(plain('Update @gen3/ui-component to 1.2, write to admin@localhost'))).toBe(false);
    expect(mayHoldLiteralAutolink(plain('*see WWW.example.org*'))).toBe(true);
    expect(tree(remarkGfmLean, 'Mail me@example.org')).toMatchObject({ children: [{ children: [{ type: 'text' }, { type: 'link', url: 'mailto:me@example.org' }] }] });
  });
});

/**
 * Descriptions of OpenAPI documents as Markdown trees: text in which no Markdown can start skips the parser, and
 * must come out as the parser would give it; the schema validator is made once for every document.
 */
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { apiValidator } from '../../src/api/parse.ts';
import { blockMarkdown, inlineMarkdown, parseDescription } from '../../src/api/text.ts';

const parser = unified().use(remarkParse).use(remarkGfm);
/** A tree without its positions (the parser's; the plain path gives none, and nothing after it reads them). */
const removePosition = (tree: unknown): unknown => JSON.parse(JSON.stringify(tree, (key, value: unknown) => (key === 'position' ? undefined : value)));
const parsed = (text: string) => removePosition(parser.parse(text));

describe('OpenAPI descriptions', () => {
  it('gives the parser\'s tree for plain and for Markdown text alike', () => {
    const texts = [
      '',
      'The user id.',
      "A user's id (a UUID), e.g. 0a1b.",
      'Returns 200 on success',
      '1. first',
      '- item',
      '+ item',
      '= not a heading',
      '    indented code',
      ' leading space',
      'trailing space ',
      'two\nlines',
      'Uses **bold** and `code`',
      'See https://example.org or www.example.org',
      'mail me@example.org',
      'a | b',
      '~~gone~~',
      'a &amp; b',
      '<b>html</b>',
      'tab\there',
      'Ends with a backslash \\',
      '# Heading',
      '> quote',
      'x'.repeat(30_000),
    ];
    for (const text of texts) {
      const expected = parsed(text.length > 20_000 ? `${text.slice(0, 20_000)}…` : text);
      expect(removePosition(parseDescription(text)), JSON.stringify(text.slice(0, 40))).toEqual(expected);
    }
  });

  it('hands out copies: changing one tree does not change the next', () => {
    const first = blockMarkdown('# Title\n\nSome *text*.', 3);
    expect(first[0]).toMatchObject({ type: 'heading', depth: 3 });
    const again = blockMarkdown('# Title\n\nSome *text*.', 5);
    expect(again[0]).toMatchObject({ type: 'heading', depth: 5 });
    const inline = inlineMarkdown('Some *text*.');
    (inline[0] as { value: string }).value = 'changed';
    expect(inlineMarkdown('Some *text*.')[0]).toMatchObject({ value: 'Some ' });
  });

  it('checks documents with one validator kept for the build, with the package\'s answers', async () => {
    const { kind, validate } = await apiValidator();
    expect(kind).toBe('shared');
    const { validate: packageValidate } = await import('@scalar/openapi-parser');
    const documents = [
      { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: {} },
      { openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } } },
      { openapi: '3.0.3', info: { title: 'x' }, paths: { '/a': { get: { responses: 'nope' } } } },
      { openapi: '3.1.0', paths: 3 },
    ];
    for (const document of documents) {
      const ours = await validate(structuredClone(document));
      const theirs = await packageValidate(structuredClone(document));
      expect({ valid: ours.valid, errors: ours.errors?.map((e) => [e.message, e.path]) }).toEqual({ valid: theirs.valid, errors: theirs.errors?.map((e) => [e.message, e.path]) });
    }
    expect((await validate(structuredClone(documents[2]!))).valid).toBe(false);
  });
});

/**
 * Hostile input: every vector is rendered through the whole stage and the output is parsed back into a tree;
 * a generic checker asserts that no dangerous element, attribute or URL survived, and each vector also states
 * what must (not) be left of it.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/render.ts';
import { context, doc } from './helpers.ts';
import { unsafeParts } from './unsafe.ts';
import { vectors } from './xss-vectors.ts';

describe('hostile markup is inert', () => {
  it('has at least 40 vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40);
  });

  it.each(vectors)('$name', async (vector) => {
    const page = await renderMarkdown(doc(`# Page\n\n${vector.input}\n`), context());
    expect(unsafeParts(page.html), page.html).toEqual([]);
    for (const bad of vector.drops ?? []) expect(page.html.toLowerCase(), page.html).not.toContain(bad.toLowerCase());
    if (vector.keeps) expect(page.html).toContain(vector.keeps);
  });

  it('front matter with HTML comes out as text in title and description, and escaped in the H1', async () => {
    const page = await renderMarkdown(doc('---\ntitle: "<img src=x onerror=alert(1)>Hi"\ndescription: "<script>alert(2)</script>"\n---\nBody.\n'), context());
    expect(page.title).toBe('<img src=x onerror=alert(1)>Hi');
    expect(page.description).toBe('<script>alert(2)</script>');
    expect(unsafeParts(page.html)).toEqual([]);
    expect(page.html).toContain('<h1>&#x3C;img src=x onerror=alert(1)>Hi</h1>');
  });

  it('a title taken from the H1 is plain text', async () => {
    const page = await renderMarkdown(doc('# A <b>bold</b> <img src=x onerror=alert(1)> title\n'), context());
    expect(page.title).toBe('A bold title');
  });

  it('the checker itself catches what it should', () => {
    expect(unsafeParts('<a href="java\tscript:x">x</a><img onerror="x"><iframe></iframe><source srcset="a.png, javascript:x">')).toHaveLength(4);
  });
});

import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import rehypeIds from '../../src/render/rehype-ids.ts';
import { pageData } from '../../src/render/page-data.ts';

describe('rehype-ids', () => {
  it('collects ids and anchor names and keeps them out of the template namespace', () => {
    const file = new VFile({ value: '<h2 id="site-header">x</h2><a name="top-link"></a><a name="Site-Nav"></a><p id="plain"></p>' });
    pageData(file).toc.push({ depth: 2, id: 'site-header', text: 'x' });
    const html = String(unified().use(rehypeParse, { fragment: true }).use(rehypeIds).use(rehypeStringify).processSync(file));
    expect(html).toBe('<h2 id="user-content-site-header">x</h2><a name="top-link"></a><a name="user-content-Site-Nav"></a><p id="plain"></p>');
    expect(pageData(file).ids).toEqual(['user-content-site-header', 'top-link', 'user-content-Site-Nav', 'plain']);
    expect(pageData(file).toc[0]!.id).toBe('user-content-site-header');
  });

  it('takes another reserved prefix', () => {
    const html = String(unified().use(rehypeParse, { fragment: true }).use(rehypeIds, { reservedPrefix: 'app-' }).use(rehypeStringify).processSync('<p id="app-x"></p><p id="site-y"></p>'));
    expect(html).toBe('<p id="user-content-app-x"></p><p id="site-y"></p>');
  });
});

describe('rehype-ids against clobbering', () => {
  const run = (html: string) => {
    const file = new VFile({ value: html });
    const out = String(unified().use(rehypeParse, { fragment: true }).use(rehypeIds).use(rehypeStringify).processSync(file));
    return { out, ids: pageData(file).ids };
  };

  it('prefixes renderer-made ids that name what window inherits from Object or EventTarget', () => {
    const { out } = run('<h2 id="__proto__">a</h2><h2 id="constructor">b</h2><h2 id="hasownproperty">c</h2><h2 id="addEventListener">d</h2>');
    expect(out).toBe('<h2 id="user-content-__proto__">a</h2><h2 id="user-content-constructor">b</h2><h2 id="hasownproperty">c</h2><h2 id="user-content-addEventListener">d</h2>');
  });

  it('prefixes renderer-made ids with capital letters, which could name a missing global', () => {
    const { out } = run('<h2 id="FinalizationRegistry">a</h2><h2 id="querySelector">b</h2><h2 id="getting-started">c</h2>');
    expect(out).toBe('<h2 id="user-content-FinalizationRegistry">a</h2><h2 id="user-content-querySelector">b</h2><h2 id="getting-started">c</h2>');
  });

  it('leaves ids and names that already carry user-content- as they are', () => {
    const { out, ids } = run('<a name="user-content-query"></a><img name="user-content-body"><p id="user-content-X"></p>');
    expect(out).toBe('<a name="user-content-query"></a><img name="user-content-body"><p id="user-content-X"></p>');
    // An <img name> is no fragment target; <a name> and ids are.
    expect(ids).toEqual(['user-content-query', 'user-content-X']);
  });

  it('prefixes a name on any element, not only on links', () => {
    expect(run('<img name="images"><a name="forms"></a>').out).toBe('<img name="user-content-images"><a name="forms"></a>');
  });
});

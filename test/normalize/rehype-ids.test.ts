import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import rehypeIds from '../../src/normalize/rehype-ids.ts';
import { pageData } from '../../src/normalize/page-data.ts';

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

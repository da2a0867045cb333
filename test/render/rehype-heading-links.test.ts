import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import rehypeHeadings from '../../src/render/rehype-headings.ts';
import rehypeHeadingLinks from '../../src/render/rehype-heading-links.ts';

const render = (md: string) => String(unified().use(remarkParse).use(remarkRehype).use(rehypeHeadings).use(rehypeHeadingLinks).use(rehypeStringify).processSync(md));

describe('rehype-heading-links', () => {
  it('gives every section heading an empty permalink named after it', () => {
    const html = render('# Title\n\n## Set *up* & run\n\n#### Deep\n');
    expect(html).toContain('<h2 id="set-up--run">Set <em>up</em> &#x26; run<a class="heading-anchor" href="#set-up--run" aria-label="Link to this section: Set up &#x26; run"></a></h2>');
    expect(html).toContain('<h4 id="deep">Deep<a class="heading-anchor" href="#deep" aria-label="Link to this section: Deep"></a></h4>');
    // The page title is not a section.
    expect(html).toContain('<h1 id="title">Title</h1>');
  });
});

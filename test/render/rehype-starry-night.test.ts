import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import rehypeHighlight from '../../src/render/rehype-starry-night.ts';
import { pageData } from '../../src/render/page-data.ts';

async function run(md: string) {
  const file = new VFile({ value: md });
  const html = String(await unified().use(remarkParse).use(remarkRehype).use(rehypeHighlight).use(rehypeStringify).process(file));
  return { html, ms: pageData(file).highlightMs };
}

describe('rehype-starry-night', () => {
  it('highlights known languages with pl-* classes and labels the block', async () => {
    const { html, ms } = await run('```python\ndef f(x):\n    return "s"\n```');
    expect(html).toContain('<pre data-language="python"><code class="language-python">');
    expect(html).toContain('<span class="pl-k">def</span>');
    expect(html).toContain('<span class="pl-s">');
    expect(ms).toBeGreaterThan(0);
  });

  it('knows the usual fence names', async () => {
    for (const lang of ['bash', 'sh', 'yaml', 'yml', 'json', 'js', 'go', 'sql']) {
      expect((await run(`\`\`\`${lang}\nx = 1 # "a"\n\`\`\``)).html).toContain('pl-');
    }
  });

  it('leaves unknown languages and unlabelled blocks plain', async () => {
    expect((await run('```nosuchlang\n<a> & b\n```')).html).toBe('<pre data-language="nosuchlang"><code class="language-nosuchlang">&#x3C;a> &#x26; b\n</code></pre>');
    expect((await run('```\nplain\n```')).html).toBe('<pre><code>plain\n</code></pre>');
  });

  it('keeps mermaid as readable code with a mermaid class', async () => {
    expect((await run('```mermaid\ngraph TD; A-->B\n```')).html).toBe('<pre data-language="mermaid" class="mermaid"><code class="language-mermaid">graph TD; A-->B\n</code></pre>');
  });

  it('escapes code text', async () => {
    const { html } = await run('```html\n<script>alert(1)</script>\n```');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#x3C;');
  });
});

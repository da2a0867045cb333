import { describe, expect, it } from 'vitest';
import { hardenAttributes, renderMarkdown, fallbackTitle } from '../../src/render/render.ts';
import { context, doc, SHA } from './helpers.ts';
import { collectGarbage } from '../support/gc.ts';

describe('renderMarkdown', () => {
  it('renders a page end to end', async () => {
    const page = await renderMarkdown(
      doc('---\ntitle: Setting up\norder: 2\n---\n\nIntro with :tada: and ~~old~~ text.\n\n> [!TIP]\n> Use <your-commons>.\n\n## Steps\n\n- [x] done\n- [ ] todo\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [install](guide/install.md#run) and www.example.org.\n\n```bash\necho "hi"\n```\n'),
      context(),
    );
    expect(page.title).toBe('Setting up');
    expect(page.frontMatter).toEqual({ title: 'Setting up', order: 2 });
    expect(page.description).toBe('Intro with 🎉 and old text.');
    expect(page.html).toMatch(/^<h1>Setting up<\/h1>/);
    expect(page.html).toContain('<del>old</del>');
    expect(page.html).toContain('<div class="markdown-alert markdown-alert-tip">');
    expect(page.html).toContain('&#x3C;your-commons>');
    expect(page.html).toContain('<input type="checkbox" checked disabled>');
    expect(page.html).toContain('<table tabindex="0">');
    expect(page.html).toContain('<a href="http://www.example.org">www.example.org</a>');
    expect(page.html).toContain('<a href="../guide/install/index.html#run">install</a>');
    expect(page.html).toContain('<pre tabindex="0" data-language="bash">');
    expect(page.toc).toEqual([{ depth: 2, id: 'steps', text: 'Steps' }]);
    expect(page.ids).toContain('steps');
    expect(page.crossLinks).toHaveLength(1);
    expect(page.sourceUrl).toBe(`https://github.com/acme/widget/blob/${SHA}/docs/setup.md`);
    expect(page.editUrl).toBe('https://github.com/acme/widget/edit/main/docs/setup.md');
    expect(page.commit).toBe(SHA);
    expect(page.warnings).toEqual([]);
  });

  it('keeps footnotes working', async () => {
    const page = await renderMarkdown(doc('# T\n\nText[^n].\n\n[^n]: The note.\n'), context());
    const refs = [...page.html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(1);
    for (const r of refs) expect(page.ids).toContain(r);
  });

  it('warns about malformed front matter, naming the file, and renders the body', async () => {
    const page = await renderMarkdown(doc('---\ntitle: [unclosed\n---\n# Body\n'), context());
    expect(page.warnings).toEqual([{ file: 'acme/widget/docs/setup.md', line: 1, message: expect.stringMatching(/malformed front matter/), ruleId: 'front-matter' }]);
    expect(page.title).toBe('Body');
  });

  it('titles pages without H1 from the file or the repository', async () => {
    expect((await renderMarkdown(doc('text', 'README.md'), context('README.md'))).title).toBe('widget');
    expect(fallbackTitle('acme/widget', 'docs/guide/install_notes.md')).toBe('Install notes');
    expect(fallbackTitle('acme/widget', 'docs/quickstart-helm.md')).toBe('Quickstart helm');
    expect(fallbackTitle('acme/widget', 'docs/README.md')).toBe('Docs');
  });

  it('escapes < and > inside attribute values only', () => {
    expect(hardenAttributes('<p title="a<b>c">x="<strong>y</strong>"</p>')).toBe('<p title="a&#x3C;b&#x3E;c">x="<strong>y</strong>"</p>');
    expect(hardenAttributes('no tags > here')).toBe('no tags > here');
    expect(hardenAttributes('<a href="x>y" title=\'<\'>t</a><br>')).toBe('<a href="x&#x3E;y" title=\'<\'>t</a><br>');
    expect(hardenAttributes('text <img alt="a>b" src="c')).toBe('text <img alt="a&#x3E;b" src="c');
  });

  it('returns the hardened HTML as one flat string, not a rope of its pieces kept alive with it', () => {
    const html = '<a title="x<y" href="/p">text</a>\n'.repeat(20_000);
    const gc = collectGarbage();
    gc();
    const before = process.memoryUsage().heapUsed;
    const hardened = hardenAttributes(html);
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    expect(hardened.length).toBe(html.length + 20_000 * 5);
    // One byte a character when flat; a rope of its slices and characters took over ten times that.
    expect(retained).toBeLessThan(hardened.length * 3);
  });
});

/** SVG made inert before it is published: what goes, what stays, and what is refused whole. */
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { sanitizeSvg } from '../../src/publish/svg-sanitize.ts';

const SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const clean = async (body: string, attrs = '') => (await sanitizeSvg(Buffer.from(`<svg ${SVG} ${attrs}>${body}</svg>`)))?.toString('utf8');

describe('sanitizeSvg', () => {
  it('removes scripts, event handlers and foreignObject', async () => {
    const out = await clean(
      '<script>window.__pwned=1</script><rect onclick="window.__pwned=2" width="1"/>' +
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="window.__pwned=3"/></div></foreignObject>' +
        '<set attributeName="onmouseover" to="window.__pwned=4"/><animate attributeName="href" to="javascript:alert(1)"/>',
      'onload="window.__pwned=5"',
    );
    expect(out).toBeDefined();
    expect(out).not.toMatch(/script|onclick|onload|onerror|foreignObject|__pwned|<set|<animate/i);
    expect(out).toContain('<rect width="1"/>');
  });

  it('keeps references inside the file and drops every other: javascript:, data:, remote URLs, CSS imports', async () => {
    const out = await clean(
      '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient><path id="glyph" d="M0 0"/></defs>' +
        '<rect fill="url(#g)" style="fill:url(\'#g\')" width="2"/><use xlink:href="#glyph"/><use href="#glyph"/>' +
        '<a xlink:href="javascript:alert(1)"><text>a</text></a><a href="https://example.org/"><text>b</text></a>' +
        '<image href="data:image/png;base64,AAAA"/><image xlink:href="https://tracker.example/p.png"/><use href="other.svg#x"/>' +
        '<rect fill="url(https://example.org/x.svg#p)"/><rect style="fill:url(//example.org/x)"/>' +
        '<style>@import url(https://example.org/x.css);</style><style>rect { fill: blue }</style><style>rect { background: u\\72l(x) }</style>',
    );
    expect(out).toContain('fill="url(#g)"');
    expect(out).toContain(`style="fill:url('#g')"`);
    expect(out).toContain('<use xlink:href="#glyph"/>');
    expect(out).toContain('<use href="#glyph"/>');
    expect(out).toContain('<style>rect { fill: blue }</style>');
    expect(out).not.toMatch(/javascript|data:|example\.org|tracker|other\.svg|@import|\\72/);
  });

  it('keeps ids that name document properties: markers and gradients are found by them', async () => {
    const out = await clean('<defs><marker id="head"><path d="M0 0"/></marker></defs><path d="M0 0" marker-end="url(#head)"/>');
    expect(out).toContain('id="head"');
    expect(out).toContain('marker-end="url(#head)"');
  });

  it('expands internal entities as text only and drops the doctype', async () => {
    const out = await sanitizeSvg(Buffer.from(`<!DOCTYPE svg [<!ENTITY x "<script>window.__pwned=1</script>">]><svg ${SVG}><text>&x;</text></svg>`));
    expect(out?.toString()).toBe(`<svg ${SVG}><text>&lt;script&gt;window.__pwned=1&lt;/script&gt;</text></svg>`);
  });

  it('refuses what is not a well-formed SVG document', async () => {
    expect(await sanitizeSvg(Buffer.from(`<svg ${SVG}><rect></svg>`))).toBeUndefined();
    expect(await sanitizeSvg(Buffer.from('<html xmlns="http://www.w3.org/1999/xhtml"><script>x</script></html>'))).toBeUndefined();
    expect(await sanitizeSvg(Buffer.from('<svg><rect/></svg>'))).toBeUndefined(); // no SVG namespace: an XML file
    expect(await sanitizeSvg(Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'))).toBeUndefined();
  });

  it('gives well-formed XML with the drawing as it was', async () => {
    const out = (await clean('<g transform="translate(1 2)"><text x="1">a &lt; b &amp; c</text><circle r="3"/></g>', 'viewBox="0 0 10 10"'))!;
    expect(XMLValidator.validate(out)).toBe(true);
    const svg = new XMLParser({ ignoreAttributes: false }).parse(out).svg;
    expect(svg['@_viewBox']).toBe('0 0 10 10');
    expect(svg.g['@_transform']).toBe('translate(1 2)');
    expect(svg.g.text['#text']).toBe('a < b & c');
    expect(svg.g.circle['@_r']).toBe('3');
  });
});

describe('sanitizeSvg with a cache folder', () => {
  it('keeps results and refusals in the cache, so that a later process takes them from there', async () => {
    const { mkdtempSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'svg-cache-'));
    try {
      // Inputs no other test uses, so that the process's own memory of results does not answer first.
      const good = Buffer.from(`<svg ${SVG}><rect id="cached-${Date.now()}" width="1" height="1"/><script>x()</script></svg>`);
      const bad = Buffer.from(`<svg ${SVG}><rect></svg><!-- ${Date.now()} -->`);
      const first = await sanitizeSvg(good, cacheDir);
      expect(first?.toString()).not.toContain('script');
      expect(await sanitizeSvg(bad, cacheDir)).toBeUndefined();
      const entries = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(entries).toHaveLength(2);
      // A new process (the module's memory reset) gets the same answers from the cache.
      const { sealEntry } = await import('../../src/cache/entry.ts');
      const { vi } = await import('vitest');
      vi.resetModules();
      const fresh = (await import('../../src/publish/svg-sanitize.ts')).sanitizeSvg;
      expect((await fresh(good, cacheDir))?.equals(first!)).toBe(true);
      expect(await fresh(bad, cacheDir)).toBeUndefined();
      // What the cache holds is what is given out, jsdom not asked again: entries rewritten (sealed) are returned.
      for (const e of entries) writeFileSync(path.join(e.parentPath, e.name), sealEntry(Buffer.concat([Buffer.from([1]), Buffer.from('<svg/>')])));
      vi.resetModules();
      const again = (await import('../../src/publish/svg-sanitize.ts')).sanitizeSvg;
      expect((await again(good, cacheDir))?.toString()).toBe('<svg/>');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

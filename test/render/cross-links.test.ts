import { describe, expect, it } from 'vitest';
import { resolveCrossLinks } from '../../src/render/cross-links.ts';
import type { RenderedPage } from '../../src/render/types.ts';

function page(html: string, ids: string[], crossLinks: RenderedPage['crossLinks'] = []): RenderedPage {
  return { html, title: 't', description: '', toc: [], frontMatter: {}, ids, crossLinks, warnings: [], stats: { linksRewritten: 0, linksBroken: 0 }, sourceUrl: '', commit: '' };
}

describe('resolveCrossLinks', () => {
  it('keeps existing fragments, matches near ones, drops unknown ones with a warning', () => {
    const target = page('<h2 id="install-steps">x</h2>', ['install-steps', 'oidc--oauth2']);
    const links = [
      { href: '../b/index.html#install-steps', targetUrl: 'b/', fragment: 'install-steps', line: 1 },
      { href: '../b/index.html#Install-Steps', targetUrl: 'b/', fragment: 'Install-Steps', line: 2 },
      { href: '../b/index.html#oidc-oauth2', targetUrl: 'b/', fragment: 'oidc-oauth2', line: 3 },
      { href: '../b/index.html#gone', targetUrl: 'b/', fragment: 'gone', line: 4 },
    ];
    const source = page(links.map((l) => `<a href="${l.href}">x</a>`).join(' ') + ' <a href="../b/index.html#gone">again</a>', [], links);
    const warnings = resolveCrossLinks([
      { url: 'a/', file: 'o/r/a.md', page: source },
      { url: 'b/', file: 'o/r/b.md', page: target },
    ]);
    expect(source.html).toBe(
      '<a href="../b/index.html#install-steps">x</a> <a href="../b/index.html#install-steps">x</a> <a href="../b/index.html#oidc--oauth2">x</a> <a href="../b/index.html">x</a> <a href="../b/index.html">again</a>',
    );
    expect(warnings).toEqual([{ file: 'o/r/a.md', line: 4, message: expect.stringContaining('#gone'), ruleId: 'broken-anchor' }]);
    expect(source.stats).toEqual({ linksRewritten: 2, linksBroken: 1 });
    expect(source.warnings).toHaveLength(1);
  });

  it('points a link to another page\'s raw HTML anchor at its user-content- name', () => {
    const target = page('<a name="user-content-filter"></a>', ['user-content-filter']);
    const link = { href: '../b/index.html#filter', targetUrl: 'b/', fragment: 'filter', line: 1 };
    const source = page(`<a href="${link.href}">x</a>`, [], [link]);
    expect(resolveCrossLinks([{ url: 'a/', file: 'o/r/a.md', page: source }, { url: 'b/', file: 'o/r/b.md', page: target }])).toEqual([]);
    expect(source.html).toBe('<a href="../b/index.html#user-content-filter">x</a>');
    expect(source.stats).toEqual({ linksRewritten: 1, linksBroken: 0 });
  });

  it('leaves links to pages it does not know alone', () => {
    const source = page('<a href="x/index.html#y">x</a>', [], [{ href: 'x/index.html#y', targetUrl: 'x/', fragment: 'y' }]);
    expect(resolveCrossLinks([{ url: 'a/', file: 'f', page: source }])).toEqual([]);
    expect(source.html).toBe('<a href="x/index.html#y">x</a>');
  });
});

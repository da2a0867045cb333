import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { redirectFile, redirectPage } from '../../src/publish/redirects.ts';

const site = { title: 'Docs', baseUrl: '/', origin: 'https://docs.widget.test' };
const attr = (html: string, re: RegExp) => re.exec(html)?.[1]?.replace(/&amp;/g, '&');

/** Runs the page's script with a location whose hash the reader arrived with; returns where it sends them. */
function scriptTarget(html: string, hash: string): string {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  let target = '';
  vm.runInNewContext(script, { location: { hash, replace: (to: string) => (target = to) } });
  return target;
}

describe('redirect pages', () => {
  it('send the reader from the old folder to the bundle page, with meta refresh, canonical link and script', () => {
    const file = redirectPage({ from: 'guide/setup/', to: 'guides/guide/setup/' }, 'Setup', site);
    expect(file.path).toBe('guide/setup/index.html');
    const html = String(file.content);
    const refresh = attr(html, /http-equiv="refresh" content="0; url=([^"]+)"/)!;
    expect(path.posix.join('guide/setup/', refresh)).toBe('guides/guide/setup/index.html');
    expect(attr(html, /rel="canonical" href="([^"]+)"/)).toBe('https://docs.widget.test/guides/guide/setup/');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(scriptTarget(html, '#step-2')).toBe(`${refresh}#step-2`);
    expect(scriptTarget(html, '')).toBe(refresh);
  });

  it("carry the redirect's own fragment unless the reader brought one", () => {
    const html = String(redirectPage({ from: 'old/', to: 'guides/a/', fragment: 'install it' }, 'A', site).content);
    expect(attr(html, /url=([^"]+)"/)).toBe('../guides/a/index.html#install%20it');
    expect(scriptTarget(html, '')).toBe('../guides/a/index.html#install%20it');
    expect(scriptTarget(html, '#other')).toBe('../guides/a/index.html#other');
  });

  it('escape titles and paths, and never let a path close the script', () => {
    const html = String(redirectPage({ from: 'blog/2024/01/02/a "b" </script>/', to: 'guides/x/' }, '<img src=x onerror=alert(1)>', { ...site, origin: undefined }).content);
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(attr(html, /rel="canonical" href="([^"]+)"/)).toBe('../../../../../../guides/x/index.html');
  });

  it('are written as files when the old site had no directory URLs', () => {
    expect(redirectFile('a/b.html')).toBe('a/b.html');
    expect(redirectFile('a/')).toBe('a/index.html');
    const html = String(redirectPage({ from: 'a/b.html', to: 'guides/a/b/' }, 'B', site).content);
    expect(path.posix.join('a/', attr(html, /url=([^"]+)"/)!)).toBe('guides/a/b/index.html');
  });
});

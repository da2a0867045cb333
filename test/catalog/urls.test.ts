import { describe, expect, it } from 'vitest';
import { boundedName, boundedPath, encodePath, MAX_NAME_BYTES, MAX_PATH_BYTES, pageHref, pagePathFor, relativeHref } from '../../src/catalog/urls.ts';

describe('pagePathFor', () => {
  it.each([
    ['README.md', ''],
    ['docs/setup.md', 'docs/setup/'],
    ['docs/README.md', 'docs/'],
    ['docs/index.md', 'docs/'],
    ['docs/readme.markdown', 'docs/'],
    ['doc/howto/quick_start.md', 'doc/howto/quick_start/'],
    ['packages/tools/localDev/docs/Setting Up Kind on OSX.md', 'packages/tools/localDev/docs/Setting Up Kind on OSX/'],
  ])('%s -> %j', (input, expected) => {
    expect(pagePathFor(input)).toBe(expected);
  });
});

describe('hrefs', () => {
  it('links pages relatively, naming index.html', () => {
    expect(pageHref('services/fence/docs/setup/', 'services/arborist/')).toBe('../../../arborist/index.html');
    expect(pageHref('services/fence/', 'services/fence/docs/setup/', 'oidc--oauth2')).toBe('docs/setup/index.html#oidc--oauth2');
    expect(pageHref('', 'services/')).toBe('services/index.html');
    expect(pageHref('services/fence/', 'services/fence/')).toBe('index.html');
  });

  it('percent-encodes awkward names', () => {
    expect(pageHref('services/x/', 'services/x/docs/Setting Up #1?/')).toBe('docs/Setting%20Up%20%231%3F/index.html');
    expect(encodePath('a b/ü%.md')).toBe('a%20b/%C3%BC%25.md');
    expect(relativeHref('services/x/docs/', 'assets/site.css')).toBe('../../../assets/site.css');
  });
});

describe('bounded output names', () => {
  const bytes = (s: string) => Buffer.byteLength(s);

  it('leaves ordinary names and paths as they are', () => {
    for (const p of ['services/fence/docs/setup/', 'assets/files/0123456789abcdef-logo.png', 'guides/été/日本語/', '', 'x']) expect(boundedPath(p)).toBe(p);
    expect(boundedName('a'.repeat(MAX_NAME_BYTES))).toBe('a'.repeat(MAX_NAME_BYTES));
  });

  it('shortens a long name to its start, a hash of the whole and its extension; names that start alike stay apart', () => {
    const a = boundedName(`${'i'.repeat(296)}.png`);
    const b = boundedName(`${'i'.repeat(295)}j.png`);
    expect(bytes(a)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(a).toMatch(/^i+-[0-9a-f]{12}\.png$/);
    expect(a).not.toBe(b);
  });

  it('cuts between characters, never inside one', () => {
    const name = boundedName('é'.repeat(150));
    expect(bytes(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name).toMatch(/^é+-[0-9a-f]{12}$/);
  });

  it('folds the folders of a path past the bound into one named by the last and a hash of the whole', () => {
    const deep = `services/x/docs/${'d/'.repeat(2500)}`;
    const bounded = boundedPath(deep);
    expect(bytes(bounded)).toBeLessThanOrEqual(MAX_PATH_BYTES);
    expect(bounded.startsWith('services/x/docs/d/d/')).toBe(true);
    expect(bounded).toMatch(/\/d-[0-9a-f]{12}\/$/);
    expect(boundedPath(`services/x/docs/${'d/'.repeat(2501)}`)).not.toBe(bounded);
    expect(boundedPath(`assets/files/${'a/'.repeat(600)}x.png`)).toMatch(/\/x-[0-9a-f]{12}\.png$/);
  });
});

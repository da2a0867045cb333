import { describe, expect, it } from 'vitest';
import { encodePath, githubBlobUrl, pageHref, pagePathFor, relativeHref } from '../../src/catalog/urls.ts';

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

  it('pins GitHub URLs to a commit', () => {
    expect(githubBlobUrl('uc-cdis/fence', 'abc', 'docs/a b.md')).toBe('https://github.com/uc-cdis/fence/blob/abc/docs/a%20b.md');
  });
});

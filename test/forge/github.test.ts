import { describe, expect, it } from 'vitest';
import { github, ownUrl, parseRawUrl, releaseUrl, repositoryUrl, webOriginOfApi } from '../../src/forge/github.ts';

describe('GitHub URLs built', () => {
  it('pins files and folders to a ref, encoding each path segment', () => {
    expect(github.blobUrl('uc-cdis/fence', 'abc', 'docs/a b.md')).toBe('https://github.com/uc-cdis/fence/blob/abc/docs/a%20b.md');
    expect(github.blobUrl('o/r', 'abc', 'a#b/c?d/ü%.md')).toBe('https://github.com/o/r/blob/abc/a%23b/c%3Fd/%C3%BC%25.md');
    expect(github.treeUrl('o/r', 'abc', 'docs/x y')).toBe('https://github.com/o/r/tree/abc/docs/x%20y');
    expect(github.treeUrl('o/r', 'abc', '')).toBe('https://github.com/o/r/tree/abc');
    expect(github.rawUrl('o/r', 'abc', 'img/a b.png')).toBe('https://raw.githubusercontent.com/o/r/abc/img/a%20b.png');
    expect(github.commitUrl('o/r', 'abc')).toBe('https://github.com/o/r/commit/abc');
    expect(github.repositoryUrl('o/r')).toBe('https://github.com/o/r');
  });

  it('links a line of a file', () => {
    expect(github.blobUrl('o/r', 'abc', 'src/x.ts', 12)).toBe('https://github.com/o/r/blob/abc/src/x.ts#L12');
  });

  it('encodes the branch of the editor URL segment by segment, slashes kept', () => {
    expect(github.editUrl('o/r', 'feat/x#1', 'docs/a b.md')).toBe('https://github.com/o/r/edit/feat/x%231/docs/a%20b.md');
  });

  it('builds pull request and release pages, on another host when given one', () => {
    expect(github.pullRequestUrl('o/r', 42)).toBe('https://github.com/o/r/pull/42');
    expect(github.releaseUrl('o/r', 'v1.0 #2')).toBe('https://github.com/o/r/releases/tag/v1.0%20%232');
    expect(releaseUrl('o/r', 'v1', 'https://ghe.example')).toBe('https://ghe.example/o/r/releases/tag/v1');
    expect(repositoryUrl('o/r', 'https://ghe.example')).toBe('https://ghe.example/o/r');
  });
});

describe('GitHub URLs read back', () => {
  it('round-trips blob, tree and raw pages, the ref and path segments still encoded', () => {
    const path = 'a b/#x/?y/ü.md';
    const blob = github.parseWebUrl(github.blobUrl('o/r', 'feat/x', path));
    expect(blob).toEqual({ repo: 'o/r', kind: 'blob', segments: ['feat', 'x', 'a%20b', '%23x', '%3Fy', '%C3%BC.md'] });
    expect(blob!.segments.slice(2).map(decodeURIComponent).join('/')).toBe(path);
    expect(github.parseWebUrl(github.treeUrl('o/r', 'abc', 'docs'))).toEqual({ repo: 'o/r', kind: 'tree', segments: ['abc', 'docs'] });
    expect(github.parseWebUrl('https://github.com/o/r/raw/main/x.png')?.kind).toBe('raw');
    expect(parseRawUrl(github.rawUrl('o/r', 'abc', 'img/a b.png'))).toEqual({ repo: 'o/r', kind: 'raw', segments: ['abc', 'img', 'a%20b.png'] });
  });

  it('reads the query, the fragment and the line it names', () => {
    expect(github.parseWebUrl(github.blobUrl('o/r', 'abc', 'x.ts', 7))).toMatchObject({ fragment: 'L7', line: 7 });
    expect(github.parseWebUrl('https://github.com/o/r/blob/abc/x.ts?plain=1#L10-L20')).toMatchObject({ query: '?plain=1', fragment: 'L10-L20', line: 10 });
    const heading = github.parseWebUrl('https://github.com/o/r/blob/abc/x.md#setup');
    expect(heading).toMatchObject({ fragment: 'setup' });
    expect(heading).not.toHaveProperty('line');
  });

  it('reads links authors write: www., http:, a trailing slash, a .git suffix', () => {
    expect(github.parseWebUrl('http://www.github.com/o/r.git/tree/main/docs/')).toEqual({ repo: 'o/r', kind: 'tree', segments: ['main', 'docs'] });
  });

  it('rejects look-alike hosts and other pages', () => {
    for (const url of [
      'https://github.com.evil.org/o/r/blob/main/x.md',
      'https://evilgithub.com/o/r/blob/main/x.md',
      'https://github.com@evil.org/o/r/blob/main/x.md',
      'https://gist.github.com/o/r/blob/main/x.md',
      'https://github.com/o/r/issues/1',
      'https://github.com/o/r',
      'ftp://github.com/o/r/blob/main/x.md',
    ]) {
      expect(github.parseWebUrl(url), url).toBeUndefined();
    }
    expect(parseRawUrl('https://raw.githubusercontent.com.evil.org/o/r/abc/x.png')).toBeUndefined();
    expect(parseRawUrl('http://raw.githubusercontent.com/o/r/abc/x.png')).toBeUndefined();
  });

  it('turns a file page into its raw URL, and nothing else', () => {
    expect(github.rawUrlOfWebUrl('https://github.com/o/r/blob/feat/x/img/a%20b.png?raw=true')).toBe('https://raw.githubusercontent.com/o/r/feat/x/img/a%20b.png');
    expect(github.rawUrlOfWebUrl('https://github.com/o/r/tree/main/img')).toBeUndefined();
    expect(github.rawUrlOfWebUrl('https://github.com.evil.org/o/r/blob/main/x.png')).toBeUndefined();
  });

  it('round-trips pull requests and finds them in text', () => {
    expect(github.parsePullRequestUrl(github.pullRequestUrl('uc-cdis/fence', 1234))).toEqual({ repo: 'uc-cdis/fence', number: 1234, digits: '1234' });
    expect(github.parsePullRequestUrl('https://github.com/o/r/pull/12/files#diff')).toMatchObject({ number: 12 });
    expect(github.parsePullRequestUrl('https://github.com/o/r/pull/0')).toBeUndefined();
    expect(github.parsePullRequestUrl('https://github.com.evil.org/o/r/pull/1')).toBeUndefined();
    const text = 'see https://github.com/o/r/pull/5 and https://github.com/o/s/pull/67, not https://github.com/o/r/issues/8';
    expect(github.pullRequestUrlsIn(text)).toEqual([
      { url: 'https://github.com/o/r/pull/5', index: 4 },
      { url: 'https://github.com/o/s/pull/67', index: 38 },
    ]);
  });

  it('reads a repository page', () => {
    expect(github.parseRepositoryUrl(github.repositoryUrl('uc-cdis/fence'))).toBe('uc-cdis/fence');
    expect(github.parseRepositoryUrl('https://github.com/uc-cdis/fence.git/')).toBe('uc-cdis/fence');
    expect(github.parseRepositoryUrl('https://github.com/uc-cdis/fence/pull/1')).toBeUndefined();
    expect(github.parseRepositoryUrl('https://github.com.evil.org/uc-cdis/fence')).toBeUndefined();
  });
});

describe('URLs a server gave', () => {
  it('are kept only when https: on the forge host without credentials', () => {
    expect(ownUrl('https://github.com/o/r')).toBe('https://github.com/o/r');
    expect(ownUrl('https://GitHub.com/o/r')).toBe('https://github.com/o/r');
    for (const url of ['http://github.com/o/r', 'https://github.com.evil.org/o/r', 'https://user:pw@github.com/o/r', '//github.com/o/r', 'javascript:alert(1)', 'not a url']) {
      expect(ownUrl(url), url).toBeUndefined();
    }
    expect(ownUrl('https://ghe.example/o/r', 'https://ghe.example')).toBe('https://ghe.example/o/r');
    expect(ownUrl('https://github.com/o/r', 'https://ghe.example')).toBeUndefined();
  });

  it('know the web host of a GitHub Enterprise API root', () => {
    expect(webOriginOfApi('https://api.github.com')).toBe('https://github.com');
    expect(webOriginOfApi('https://ghe.example/api/v3')).toBe('https://ghe.example');
    expect(webOriginOfApi('http://ghe.example/api/v3')).toBe('https://github.com');
    expect(webOriginOfApi('not a url')).toBe('https://github.com');
  });
});

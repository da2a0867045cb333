import { describe, expect, it } from 'vitest';
import { releaseFromGitHubRelease, type GitHubApiRelease } from '../../src/releases/github-releases.ts';

const pr = (repo: string, number: number) => ({ repo, number, url: `https://github.com/${repo}/pull/${number}` });

const apiRelease = (over: Partial<GitHubApiRelease>): GitHubApiRelease => ({
  tag_name: '2030.02',
  name: '2030.02',
  body: '',
  published_at: '2030-02-14T18:00:00Z',
  html_url: 'https://github.com/uc-cdis/fence/releases/tag/2030.02',
  ...over,
});

describe('releaseFromGitHubRelease', () => {
  it('takes categories from the body headings', () => {
    const body = [
      '### New Features',
      '- Client rotation endpoint (#1201)',
      '',
      '### Bug fixes',
      '- Token refresh no longer',
      '  drops scopes (#1202)',
      '',
      '### Dependency updates',
      '- authlib 1.3 ([#1203](https://github.com/uc-cdis/fence/pull/1203))',
    ].join('\r\n');
    const { release, warnings } = releaseFromGitHubRelease('uc-cdis/fence', apiRelease({ body }));
    expect(warnings).toEqual([]);
    expect(release).toEqual({
      version: '2030.02',
      codename: null,
      year: 2030,
      month: 2,
      title: '2030.02',
      sourcePath: 'https://github.com/uc-cdis/fence/releases/tag/2030.02',
      highlights: [],
      services: [
        {
          repo: 'uc-cdis/fence',
          categories: [
            {
              name: 'New Features',
              heading: 'New Features',
              items: [{ markdown: 'Client rotation endpoint ([#1201](https://github.com/uc-cdis/fence/pull/1201))', pullRequests: [pr('uc-cdis/fence', 1201)], line: 2 }],
            },
            {
              name: 'Bug Fixes',
              heading: 'Bug fixes',
              items: [{ markdown: 'Token refresh no longer drops scopes ([#1202](https://github.com/uc-cdis/fence/pull/1202))', pullRequests: [pr('uc-cdis/fence', 1202)], line: 5 }],
            },
            {
              name: 'Dependency Updates',
              heading: 'Dependency updates',
              items: [{ markdown: 'authlib 1.3 ([#1203](https://github.com/uc-cdis/fence/pull/1203))', pullRequests: [pr('uc-cdis/fence', 1203)], line: 9 }],
            },
          ],
        },
      ],
      knownBugs: null,
      imageVersions: [],
    });
  });

  it('puts list items under no heading in one "Changes" category, and other text in highlights', () => {
    const body = [
      'A small maintenance release.',
      '',
      '* Fix the export job by @someone in https://github.com/uc-cdis/guppy/pull/401',
      '* Bump lodash by @bot in https://github.com/uc-cdis/guppy/pull/402',
      '',
      '**Full Changelog**: https://github.com/uc-cdis/guppy/compare/v6.0.0...v6.1.0',
    ].join('\n');
    const { release, warnings } = releaseFromGitHubRelease(
      'uc-cdis/guppy',
      apiRelease({ tag_name: 'v6.1.0', name: null, body, published_at: '2030-03-31T23:30:00Z', html_url: 'https://github.com/uc-cdis/guppy/releases/tag/v6.1.0' }),
    );
    expect(warnings).toEqual([]);
    expect(release).toMatchObject({ version: '6.1.0', title: 'v6.1.0', year: 2030, month: 3, codename: null });
    expect(release.services).toEqual([
      {
        repo: 'uc-cdis/guppy',
        categories: [
          {
            name: 'Changes',
            heading: '',
            items: [
              { markdown: 'Fix the export job by @someone in https://github.com/uc-cdis/guppy/pull/401', pullRequests: [pr('uc-cdis/guppy', 401)], line: 3 },
              { markdown: 'Bump lodash by @bot in https://github.com/uc-cdis/guppy/pull/402', pullRequests: [pr('uc-cdis/guppy', 402)], line: 4 },
            ],
          },
        ],
      },
    ]);
    expect(release.highlights).toEqual([
      {
        title: '',
        markdown: 'A small maintenance release.\n\n**Full Changelog**: https://github.com/uc-cdis/guppy/compare/v6.0.0...v6.1.0',
      },
    ]);
  });

  it('keeps unknown headings as written and a heading without list as a free section', () => {
    const body = "## What's Changed\n- one (#1)\n\n## Notes\nRun the migration first.\n";
    const { release } = releaseFromGitHubRelease('uc-cdis/indexd', apiRelease({ body, name: 'Core Gen3 Release 2030.02 (Zoisite)' }));
    expect(release.codename).toBe('Zoisite');
    expect(release.services[0]?.categories.map((c) => [c.name, c.heading, c.items.length])).toEqual([["What's Changed", "What's Changed", 1]]);
    expect(release.highlights).toEqual([{ title: 'Notes', markdown: 'Run the migration first.' }]);
  });

  it('has no service for an empty body, and warns when no date can be found', () => {
    const { release, warnings } = releaseFromGitHubRelease('uc-cdis/sower', apiRelease({ tag_name: 'nightly', name: '', body: null, published_at: null }));
    expect(release).toMatchObject({ version: 'nightly', title: 'nightly', year: 0, month: 0, services: [], highlights: [] });
    expect(warnings).toEqual([
      { file: 'https://github.com/uc-cdis/fence/releases/tag/2030.02', line: 0, message: 'no date: the tag "nightly" is not YYYY.MM and there is no published_at' },
    ]);
  });
});

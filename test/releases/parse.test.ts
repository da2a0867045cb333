import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isReleaseNotesPath, parseReleaseNotes, parseTitle, versionFromPath } from '../../src/releases/parse.ts';
import type { Category, Release } from '../../src/releases/types.ts';

const fixture = (path: string): string => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');

const pr = (repo: string, number: number) => ({ repo, number, url: `https://github.com/${repo}/pull/${number}` });

function parse(text: string, path = 'releases/2030/01/gen3-release-notes.md', extra: { repo?: string } = {}) {
  return parseReleaseNotes({ path, text, ...extra });
}

function categories(release: Release, repo: string): Category[] {
  const service = release.services.find((s) => s.repo === repo);
  if (!service) throw new Error(`no service ${repo}`);
  return service.categories;
}

function messages(warnings: { message: string }[]): string[] {
  return warnings.map((w) => w.message);
}

describe('paths', () => {
  it.each([
    ['releases/2020/02/release_notes.md', true],
    ['releases/2021/08/gen3_release_notes.md', true],
    ['releases/2024/04/gen3-release-notes.md', true],
    ['some/prefix/releases/2024/04/GEN3-RELEASE-NOTES.md', true],
    ['releases\\2024\\04\\gen3-release-notes.md', true],
    ['releases/2020/02/knownbugs.md', false],
    ['releases/2020/02/manifest.json', false],
    ['releases/2020/13/release_notes.md', false],
    ['releases/2020/release_notes.md', false],
    ['docs/release_notes.md', false],
  ])('isReleaseNotesPath(%s) is %s', (path, expected) => {
    expect(isReleaseNotesPath(path)).toBe(expected);
  });

  it.each([
    ['releases/2021/08/gen3_release_notes.md', '2021.08'],
    ['2026/07/gen3-release-notes.md', '2026.07'],
    ['releases/2020/02/knownbugs.md', '2020.02'],
    ['releases/2020/00/release_notes.md', null],
    ['releases/2021/08', null],
    ['notes.md', null],
  ])('versionFromPath(%s) is %s', (path, expected) => {
    expect(versionFromPath(path)).toBe(expected);
  });
});

describe('titles', () => {
  it.each([
    ['Core Gen3 Release 2026.07 (Hambergite)', '2026.07', 'Hambergite'],
    ['Core Gen3 Release 202002 (Aurora)', '2020.02', 'Aurora'],
    ['Core Gen3 Release (Streeterville)', null, 'Streeterville'],
    ['Core Gen3 Release 202102 (Magnificent Mile) ', '2021.02', 'Magnificent Mile'],
    ['Core Gen3 Release 2030.05', '2030.05', null],
    ['Core Gen3 Release 203013 (Bad Month)', null, 'Bad Month'],
    ['', null, null],
  ])('parseTitle(%j)', (title, version, codename) => {
    expect(parseTitle(title)).toEqual({ version, codename });
  });
});

describe('an old-style release (2019/11 fixture)', () => {
  const path = 'releases/2019/11/release_notes.md';
  const { release, warnings } = parseReleaseNotes({
    path,
    text: fixture(path),
    knownBugs: fixture('releases/2019/11/knownbugs.md'),
    manifestJson: fixture('releases/2019/11/manifest.json'),
  });

  it('skips the empty "# " line and reads version and codename from the title', () => {
    expect(release.title).toBe('Core Gen3 Release 201911 (Zephyr)');
    expect(release.version).toBe('2019.11');
    expect(release).toMatchObject({ year: 2019, month: 11, codename: 'Zephyr', sourcePath: path });
    expect(release.highlights).toEqual([]);
  });

  it('normalises category headings and keeps their spelling', () => {
    expect(categories(release, 'uc-cdis/fence').map((c) => [c.name, c.heading])).toEqual([
      ['New Features', 'New Features'],
      ['Bug Fixes', 'Bug fixes'],
      ['Dependency Updates', 'Dependency Update'],
    ]);
    expect(categories(release, 'uc-cdis/indexd').map((c) => [c.name, c.heading])).toEqual([
      ['Improvements', 'Improvement'],
      ['Changes Included In This Pr', '# Changes Included In This Pr'],
      ['Config Changes', 'Config Changes'],
    ]);
  });

  it('joins wrapped lines, links bare refs to the service repo', () => {
    const [first, second] = categories(release, 'uc-cdis/fence')[0]?.items ?? [];
    expect(first).toEqual({
      markdown:
        'Let admins rename a client without recreating it; the old name keeps working for one more release ([#101](https://github.com/uc-cdis/fence/pull/101))',
      pullRequests: [pr('uc-cdis/fence', 101)],
      line: 7,
    });
    expect(second?.line).toBe(9);
  });

  it('keeps a nested list inside its parent item', () => {
    expect(categories(release, 'uc-cdis/indexd')[0]?.items).toEqual([
      {
        markdown: 'Faster listing of records by hash ([#55](https://github.com/uc-cdis/indexd/pull/55))\n- measured on a table of one million rows',
        pullRequests: [pr('uc-cdis/indexd', 55)],
        line: 20,
      },
    ]);
  });

  it('keeps items under a stray heading, with a warning', () => {
    expect(categories(release, 'uc-cdis/indexd')[1]?.items.map((i) => i.markdown)).toEqual([
      'the migration script ([#56](https://github.com/uc-cdis/indexd/pull/56))',
    ]);
    expect(warnings).toEqual([
      {
        file: path,
        line: 23,
        message: 'stray heading "#### # Changes Included In This Pr" under uc-cdis/indexd kept as category "Changes Included In This Pr"',
      },
      { file: path, line: 26, message: 'unknown category "Config Changes" under uc-cdis/indexd kept as written' },
    ]);
  });

  it('reads known bugs and image versions beside the notes', () => {
    expect(release.knownBugs).toBe('# Known bugs for Gen3 Core Release 201911\n\n- Logging out of one tab does not log out the others');
    expect(release.imageVersions).toEqual([
      { service: 'fence', image: 'quay.io/cdis/fence', version: '2019.11' },
      { service: 'indexd', image: 'quay.io/cdis/indexd', version: '2019.11' },
      { service: 'revproxy', image: 'quay.io/cdis/nginx', version: '1.15.5-ctds' },
    ]);
  });
});

describe('a recent release (2030/04 fixture)', () => {
  const path = 'releases/2030/04/gen3-release-notes.md';
  const { release, warnings } = parseReleaseNotes({ path, text: fixture(path) });

  it('has no warnings', () => {
    expect(warnings).toEqual([]);
  });

  it('puts text under the title and non-service sections into highlights, in order', () => {
    expect(release.highlights).toEqual([
      { title: '', markdown: 'Thanks to everyone who contributed.' },
      {
        title: 'Release Highlights and Announcements',
        markdown: '#### A new login page\n  - The login page was rebuilt; see the fence entry below.',
      },
      { title: 'Known Issues', markdown: 'The dashboard may show stale counts for an hour after an upgrade.' },
    ]);
  });

  it('lists services in order, including one after a free section', () => {
    expect(release.services.map((s) => s.repo)).toEqual(['uc-cdis/arborist', 'uc-cdis/cloud-automation', 'uc-cdis/fence']);
  });

  it('recognises existing PR links, keeping them, and links of other repos', () => {
    expect(categories(release, 'uc-cdis/arborist')[0]?.items[0]).toEqual({
      markdown: 'Smaller image ([#201](https://github.com/uc-cdis/arborist/pull/201))',
      pullRequests: [pr('uc-cdis/arborist', 201)],
      line: 13,
    });
    expect(categories(release, 'uc-cdis/cloud-automation')[0]?.items[0]?.pullRequests).toEqual([
      pr('uc-cdis/fence', 900),
      pr('uc-cdis/cloud-automation', 3001),
    ]);
  });

  it('has no known bugs nor image versions when the files are not given', () => {
    expect(release.knownBugs).toBeNull();
    expect(release.imageVersions).toEqual([]);
  });
});

describe('versions', () => {
  it('takes the version from the folder when the title has none', () => {
    const { release, warnings } = parse('# Core Gen3 Release (Maple)\n\n## uc-cdis/fence\n\n#### Bug Fixes\n  - x (#1)\n', 'releases/2021/08/gen3_release_notes.md');
    expect(release).toMatchObject({ version: '2021.08', year: 2021, month: 8, codename: 'Maple', title: 'Core Gen3 Release (Maple)' });
    expect(warnings).toEqual([]);
  });

  it('keeps the folder and warns when the title disagrees', () => {
    const { release, warnings } = parse('# Core Gen3 Release 2030.02 (Typo)\n', 'releases/2030/03/gen3-release-notes.md');
    expect(release.version).toBe('2030.03');
    expect(warnings).toEqual([
      { file: 'releases/2030/03/gen3-release-notes.md', line: 1, message: 'the title says 2030.02 but the folder says 2030.03; the folder is kept' },
    ]);
  });

  it('uses the title when the path has no YYYY/MM folder', () => {
    const { release, warnings } = parse('# Core Gen3 Release 2030.05 (Opal)\n', 'notes.md');
    expect(release).toMatchObject({ version: '2030.05', year: 2030, month: 5 });
    expect(warnings).toEqual([]);
  });

  it('warns when neither the title nor the path has a version', () => {
    const { release, warnings } = parse('# Core Gen3 Release (Nameless)\n', 'notes.md');
    expect(release).toMatchObject({ version: '', year: 0, month: 0, codename: 'Nameless' });
    expect(messages(warnings)).toEqual(['no version in the title nor in the path']);
  });

  it('warns when there is no title at all (only an empty "# ")', () => {
    const { release, warnings } = parse('# \n\n## uc-cdis/fence\n\n#### Bug Fixes\n  - x (#1)\n', 'releases/2030/06/gen3-release-notes.md');
    expect(release).toMatchObject({ version: '2030.06', title: '', codename: null });
    expect(release.services).toHaveLength(1);
    expect(warnings).toEqual([
      { file: 'releases/2030/06/gen3-release-notes.md', line: 1, message: 'no release title ("# Core Gen3 Release YYYY.MM (Name)")' },
    ]);
  });
});

describe('service headings', () => {
  const body = '#### Bug Fixes\n  - x (#7)\n';

  it.each([
    ['## uc-cdis/fence', 'uc-cdis/fence'],
    ['## uc-cdis/fence   ', 'uc-cdis/fence'],
    ['### uc-cdis/fence', 'uc-cdis/fence'],
    ['## uc-cdis/fence:', 'uc-cdis/fence'],
    ['## `uc-cdis/fence`', 'uc-cdis/fence'],
    ['## [uc-cdis/fence](https://github.com/uc-cdis/fence)', 'uc-cdis/fence'],
    ['## [fence](https://github.com/uc-cdis/fence)', 'uc-cdis/fence'],
    ['## https://github.com/uc-cdis/fence', 'uc-cdis/fence'],
    ['## UC-CDIS/Fence', 'UC-CDIS/Fence'],
  ])('%j names %s', (heading, repo) => {
    const { release, warnings } = parse(`# Core Gen3 Release 2030.01 (A)\n\n${heading}\n\n${body}`);
    expect(release.services.map((s) => s.repo)).toEqual([repo]);
    expect(release.services[0]?.categories[0]?.items[0]?.pullRequests).toEqual([pr(repo, 7)]);
    expect(warnings).toEqual([]);
  });

  it('completes a heading without owner with the owner of the notes repo, with a warning', () => {
    const { release, warnings } = parse(`# Core Gen3 Release 2030.01 (A)\n\n## fence\n\n${body}`);
    expect(release.services.map((s) => s.repo)).toEqual(['uc-cdis/fence']);
    expect(warnings).toEqual([
      { file: 'releases/2030/01/gen3-release-notes.md', line: 3, message: 'service heading "fence" has no owner; read as uc-cdis/fence' },
    ]);
    const other = parse(`# T 2030.01\n\n## fence\n\n${body}`, undefined, { repo: 'example-org/manifest' });
    expect(other.release.services.map((s) => s.repo)).toEqual(['example-org/fence']);
  });

  it('reads a repository followed by other words, when categories follow, with a warning', () => {
    const { release, warnings } = parse(`# T 2030.01\n\n## uc-cdis/fence (10.2.0)\n\n${body}\n## uc-cdis/fence and friends\n\nprose only\n`);
    expect(release.services.map((s) => s.repo)).toEqual(['uc-cdis/fence']);
    expect(release.highlights.map((h) => h.title)).toEqual(['uc-cdis/fence and friends']);
    expect(messages(warnings)).toEqual(['service heading "uc-cdis/fence (10.2.0)" has more than the repository; read as uc-cdis/fence']);
  });

  it('reads single words without category headings, and capitalised words, as free sections', () => {
    const { release } = parse('# T 2030.01\n\n## notes\n\nsome text\n\n## Announcements\n\n#### Bug Fixes\n  - not a service (#1)\n\n## CI/CD\n\nmore\n');
    expect(release.services).toEqual([]);
    expect(release.highlights.map((h) => h.title)).toEqual(['notes', 'Announcements', 'CI/CD']);
    expect(release.highlights[1]?.markdown).toBe('#### Bug Fixes\n  - not a service (#1)');
  });

  it('ends a service at a heading of its level or above', () => {
    const { release } = parse('# T 2030.01\n\n### uc-cdis/fence\n\n##### Bug Fixes\n  - a (#1)\n\n### Known Issues\n\nslow\n');
    expect(categories(release, 'uc-cdis/fence').map((c) => c.name)).toEqual(['Bug Fixes']);
    expect(release.highlights).toEqual([{ title: 'Known Issues', markdown: 'slow' }]);
  });

  it('merges a repeated service section, keeping every item, with a warning', () => {
    const text = '# T 2030.01\n\n## uc-cdis/fence\n\n#### Bug Fixes\n  - a (#1)\n\n## uc-cdis/indexd\n\n#### Bug Fixes\n  - b (#2)\n\n## uc-cdis/fence\n\n#### Bug Fixes\n  - a (#1)\n\n#### Improvements\n  - c (#3)\n';
    const { release, warnings } = parse(text);
    expect(release.services.map((s) => s.repo)).toEqual(['uc-cdis/fence', 'uc-cdis/indexd']);
    expect(categories(release, 'uc-cdis/fence').map((c) => [c.name, c.items.map((i) => i.line)])).toEqual([
      ['Bug Fixes', [6, 16]],
      ['Improvements', [19]],
    ]);
    expect(messages(warnings)).toEqual(['second section for uc-cdis/fence; merged into the first one (line 3)']);
  });
});

describe('category headings', () => {
  it('merges a repeated category, with a warning', () => {
    const text = '# T 2030.01\n\n## uc-cdis/guppy\n\n#### Dependency Update\n  - a (#1)\n\n#### Bug Fixes\n  - b (#2)\n\n#### Dependency Updates\n  - c (#3)\n';
    const { release, warnings } = parse(text);
    expect(categories(release, 'uc-cdis/guppy').map((c) => [c.name, c.heading, c.items.length])).toEqual([
      ['Dependency Updates', 'Dependency Update', 2],
      ['Bug Fixes', 'Bug Fixes', 1],
    ]);
    expect(warnings).toEqual([
      {
        file: 'releases/2030/01/gen3-release-notes.md',
        line: 11,
        message: 'category "Dependency Updates" appears again under uc-cdis/guppy; its items are merged into the first one (line 5)',
      },
    ]);
  });

  it('treats every heading deeper than the service as a category, whatever its level', () => {
    const text = '# T 2030.01\n\n## uc-cdis/sower\n\n### Features\n  - a (#1)\n\n##### Bugfix\n  - b (#2)\n';
    const { release, warnings } = parse(text);
    expect(categories(release, 'uc-cdis/sower').map((c) => c.name)).toEqual(['New Features', 'Bug Fixes']);
    expect(warnings).toEqual([]);
  });

  it('keeps every stray heading as a category and each item once', () => {
    const text = [
      '# T 2030.01',
      '',
      '## uc-cdis/data-portal',
      '',
      '#### Improvements',
      '  - Reworked the card grid (#5)',
      '',
      '#### ## Before',
      '  - ![before](https://example.org/before.png) (#5)',
      '',
      '#### ## After',
      '  - ![after](https://example.org/after.png) (#5)',
      '',
      '#### Bug Fixes',
      '  - Fixed the footer (#6)',
      '',
    ].join('\n');
    const { release, warnings } = parse(text);
    expect(categories(release, 'uc-cdis/data-portal').map((c) => [c.name, c.heading, c.items.length])).toEqual([
      ['Improvements', 'Improvements', 1],
      ['Before', '## Before', 1],
      ['After', '## After', 1],
      ['Bug Fixes', 'Bug Fixes', 1],
    ]);
    expect(warnings.map((w) => w.line)).toEqual([8, 11]);
  });
});

describe('items', () => {
  const wrap = (items: string, repo = 'uc-cdis/fence') => `# T 2030.01\n\n## ${repo}\n\n#### Improvements\n${items}`;
  const itemsOf = (text: string) => parse(text).release.services[0]?.categories[0]?.items ?? [];

  it('joins wrapped lines, drops trailing spaces, keeps a hard break', () => {
    expect(itemsOf(wrap('  - one \n    two \n    three (#1) \n  - four  \n    five (#2)\n')).map((i) => i.markdown)).toEqual([
      'one two three ([#1](https://github.com/uc-cdis/fence/pull/1))',
      'four  \nfive ([#2](https://github.com/uc-cdis/fence/pull/2))',
    ]);
  });

  it('keeps paragraphs and nested lists of an item, dedented', () => {
    const text = wrap('  - Summary line\n    continued (#3)\n\n    A second paragraph.\n    - nested one\n      wrapped\n    - nested two\n  - next (#4)\n');
    expect(itemsOf(text).map((i) => i.markdown)).toEqual([
      'Summary line continued ([#3](https://github.com/uc-cdis/fence/pull/3))\n\nA second paragraph.\n- nested one wrapped\n- nested two',
      'next ([#4](https://github.com/uc-cdis/fence/pull/4))',
    ]);
  });

  it('counts lists written with other markers and indentation', () => {
    const text = wrap('* star (#1)\n+ plus (#2)\n\n1. one (#3)\n2) two (#4)\n- dash, no indent (#5)\n');
    expect(itemsOf(text).map((i) => [i.line, i.pullRequests.map((p) => p.number)])).toEqual([
      [6, [1]],
      [7, [2]],
      [9, [3]],
      [10, [4]],
      [11, [5]],
    ]);
  });

  it('takes a lazy continuation line into the item', () => {
    expect(itemsOf(wrap('  - Moved these jobs to the new runner:\nexport, import (#9)\n')).map((i) => i.markdown)).toEqual([
      'Moved these jobs to the new runner: export, import ([#9](https://github.com/uc-cdis/fence/pull/9))',
    ]);
  });

  it('recognises refs and links them, but not in code, nor "#N" without parentheses', () => {
    const [item] = itemsOf(wrap('  - Merge of #12 and `(#13)` see uc-cdis/indexd#14 (#15, #16) [#17](https://github.com/uc-cdis/arborist/pull/17/files) (#15)\n'));
    expect(item?.pullRequests).toEqual([pr('uc-cdis/fence', 15), pr('uc-cdis/fence', 16), pr('uc-cdis/arborist', 17)]);
    expect(item?.markdown).toBe(
      'Merge of #12 and `(#13)` see uc-cdis/indexd#14 ([#15](https://github.com/uc-cdis/fence/pull/15), [#16](https://github.com/uc-cdis/fence/pull/16)) [#17](https://github.com/uc-cdis/arborist/pull/17/files) ([#15](https://github.com/uc-cdis/fence/pull/15))',
    );
  });

  it('recognises a bare PR URL (autolink) and a ref after it', () => {
    const [item] = itemsOf(wrap('  - Needs https://github.com/uc-cdis/guppy/pull/77 first (#700)\n', 'uc-cdis/data-portal'));
    expect(item?.pullRequests).toEqual([pr('uc-cdis/guppy', 77), pr('uc-cdis/data-portal', 700)]);
    expect(item?.markdown).toBe('Needs https://github.com/uc-cdis/guppy/pull/77 first ([#700](https://github.com/uc-cdis/data-portal/pull/700))');
  });

  it('splits items at an unclosed code fence, recognising the ref on the fence line without rewriting it', () => {
    const items = itemsOf(wrap('  - Example: (#10)\n  - ``` (#10)\n  - { "enabled": true } (#10)\n  - ``` (#10)\n'));
    expect(items.map((i) => [i.line, i.markdown])).toEqual([
      [6, 'Example: ([#10](https://github.com/uc-cdis/fence/pull/10))'],
      [7, '``` (#10)'],
      [8, '{ "enabled": true } ([#10](https://github.com/uc-cdis/fence/pull/10))'],
      [9, '``` (#10)'],
    ]);
    expect(items.every((i) => i.pullRequests.length === 1 && i.pullRequests[0]?.number === 10)).toBe(true);
  });

  it('warns about an item that is only a PR-template comment', () => {
    const { release, warnings } = parse(wrap('  - <!-- Only what devops should know \n    when updating. --> (#11)\n'));
    expect(release.services[0]?.categories[0]?.items).toEqual([
      { markdown: '<!-- Only what devops should know\nwhen updating. --> (#11)', pullRequests: [pr('uc-cdis/fence', 11)], line: 6 },
    ]);
    expect(messages(warnings)).toEqual(['item under uc-cdis/fence holds only an HTML comment (an unfilled PR template section)']);
  });

  it('takes refs at line ends of pasted HTML only', () => {
    const [item] = itemsOf(wrap('  - <li>Bump a library (#4321)</li> ([#12](https://github.com/uc-cdis/fence/pull/12))\n  - <details> (#13)\n'));
    expect(item?.pullRequests).toEqual([pr('uc-cdis/fence', 12)]);
    expect(itemsOf(wrap('  - <li>Bump a library (#4321)</li> (#12)\n'))[0]?.pullRequests).toEqual([pr('uc-cdis/fence', 12)]);
  });

  it('keeps text outside any category under "Other", with a warning', () => {
    const { release, warnings } = parse('# T 2030.01\n\n## uc-cdis/fence\n\nA loose note (#1)\n\n  - a loose item (#2)\n\n#### Bug Fixes\n  - fixed (#3)\n\nTrailing words.\n\n---\n');
    expect(categories(release, 'uc-cdis/fence').map((c) => [c.name, c.heading, c.items.map((i) => i.markdown)])).toEqual([
      ['Other', '', ['A loose note ([#1](https://github.com/uc-cdis/fence/pull/1))', 'a loose item ([#2](https://github.com/uc-cdis/fence/pull/2))']],
      ['Bug Fixes', 'Bug Fixes', ['fixed ([#3](https://github.com/uc-cdis/fence/pull/3))', 'Trailing words.']],
    ]);
    expect(warnings).toEqual([
      { file: 'releases/2030/01/gen3-release-notes.md', line: 5, message: 'text directly under uc-cdis/fence, outside any category, kept under "Other"' },
      { file: 'releases/2030/01/gen3-release-notes.md', line: 12, message: 'text outside a list (paragraph) under uc-cdis/fence / Bug Fixes kept as an item' },
    ]);
  });

  it('leaves a PR number of more than nine digits as text, and takes the digits of the others as written', () => {
    const huge = '1000000000000000000000';
    const [item] = itemsOf(wrap(`  - Huge (#${huge}), [link](https://github.com/uc-cdis/arborist/pull/${huge}) and (#999999999)\n`));
    expect(item?.pullRequests).toEqual([pr('uc-cdis/fence', 999999999)]);
    expect(item?.markdown).toBe(`Huge (#${huge}), [link](https://github.com/uc-cdis/arborist/pull/${huge}) and ([#999999999](https://github.com/uc-cdis/fence/pull/999999999))`);
    expect(JSON.stringify(item)).not.toMatch(/e\+/);
    // Written with leading zeros inside a URL, a ref is no PR: GitHub has no /pull/007.
    expect(itemsOf(wrap('  - see https://github.com/uc-cdis/guppy/pull/007\n'))[0]?.pullRequests).toEqual([]);
  });

  it('keeps an empty item, with a warning', () => {
    const { release, warnings } = parse(wrap('  - \n  - b (#1)\n'));
    expect(release.services[0]?.categories[0]?.items.map((i) => i.markdown)).toEqual(['', 'b ([#1](https://github.com/uc-cdis/fence/pull/1))']);
    expect(messages(warnings)).toEqual(['empty item under uc-cdis/fence']);
  });
});

describe('input robustness', () => {
  it('gives the same result for CRLF and a BOM', () => {
    const path = 'releases/2019/11/release_notes.md';
    const lf = parseReleaseNotes({ path, text: fixture(path) });
    const crlf = parseReleaseNotes({ path, text: `\uFEFF${fixture(path).replace(/\n/g, '\r\n')}` });
    expect(crlf).toEqual(lf);
  });

  it.each([
    '',
    '\n\n',
    '#',
    '## uc-cdis/fence',
    '#### Bug Fixes\n  - orphan (#1)',
    '- a\n- b',
    '```\nunclosed',
    '<details>\n- x',
    '# A\n# B\n## uc-cdis/fence\n# C\n#### Bug Fixes\n',
    '\u0000\u0001 binary-ish \uFFFD',
  ])('does not throw on %j', (text) => {
    expect(() => parse(text)).not.toThrow();
    expect(() => parse(text, 'weird.md', { repo: 'x' })).not.toThrow();
  });
});

describe('known bugs and manifest.json', () => {
  const path = 'releases/2030/01/gen3-release-notes.md';
  const withFiles = (knownBugs?: string, manifestJson?: string) => parseReleaseNotes({ path, text: '# T 2030.01\n', knownBugs, manifestJson });

  it('keeps known bugs as written, without surrounding blank lines; blank is null', () => {
    expect(withFiles('\n# Known bugs\n\n- one\r\n\n').release.knownBugs).toBe('# Known bugs\n\n- one');
    expect(withFiles('  \n').release.knownBugs).toBeNull();
  });

  it('splits image references into image and tag', () => {
    const json = JSON.stringify({
      versions: {
        a: 'quay.io/cdis/fence:2030.01',
        b: 'registry.local:5000/team/app:1.2',
        c: 'quay.io/cdis/x@sha256:abc123',
        d: 'fluent/fluentd-kubernetes-daemonset:v1.2-debian-cloudwatch',
        e: 'nginx',
        f: 12,
      },
    }, null, 2);
    const { release, warnings } = withFiles(undefined, json);
    expect(release.imageVersions).toEqual([
      { service: 'a', image: 'quay.io/cdis/fence', version: '2030.01' },
      { service: 'b', image: 'registry.local:5000/team/app', version: '1.2' },
      { service: 'c', image: 'quay.io/cdis/x', version: 'sha256:abc123' },
      { service: 'd', image: 'fluent/fluentd-kubernetes-daemonset', version: 'v1.2-debian-cloudwatch' },
      { service: 'e', image: 'nginx', version: 'latest' },
    ]);
    expect(warnings).toEqual([
      { file: 'releases/2030/01/manifest.json', line: 7, message: 'manifest.json: versions.e "nginx" has no tag; taken as "latest"', ruleId: 'release-manifest' },
      { file: 'releases/2030/01/manifest.json', line: 8, message: 'manifest.json: versions.f is not an image reference', ruleId: 'release-manifest' },
    ]);
  });

  it('reads a 100,000-key manifest.json in one pass, each warning on its line', () => {
    const keys = 100_000;
    const lines = Array.from({ length: keys }, (_, i) => `"s${i}":"q/s${i}:1"`);
    // Every 1,000th key has no tag, so that line numbers are checked across the whole file.
    for (let i = 999; i < keys; i += 1000) lines[i] = `"s${i}":"q/s${i}"`;
    const json = `{"versions":{\n${lines.join(',\n')}\n}}\n`;
    const started = process.cpuUsage();
    const { release, warnings } = withFiles(undefined, json);
    const used = process.cpuUsage(started);
    const seconds = (used.user + used.system) / 1e6;
    console.log(`[manifest] ${keys} keys, ${json.length} bytes: ${seconds.toFixed(2)} CPU s`);
    // A bound against runaway cost (the line lookup was quadratic: over ten minutes for this file), not a speed
    // target; CPU time, so that other work on the machine does not count.
    expect(seconds).toBeLessThan(30);
    expect(release.imageVersions).toHaveLength(keys);
    expect(release.imageVersions.at(-1)).toEqual({ service: `s${keys - 1}`, image: `q/s${keys - 1}`, version: 'latest' });
    expect(warnings).toHaveLength(keys / 1000);
    expect(warnings.map((w) => w.line)).toEqual(Array.from({ length: keys / 1000 }, (_, n) => (n + 1) * 1000 + 1));
  });

  it('leaves out a manifest.json over 4 MB, with a warning naming the file', () => {
    const json = JSON.stringify({ versions: Object.fromEntries(Array.from({ length: 120_000 }, (_, i) => [`service-${i}`, `quay.io/cdis/service-${i}:2030.01`])) });
    const started = performance.now();
    const { release, warnings } = withFiles(undefined, json);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(release.imageVersions).toEqual([]);
    expect(warnings).toEqual([{ file: 'releases/2030/01/manifest.json', line: 0, message: 'manifest.json is 6.1 MB, over the 4.0 MB limit; its image versions are left out', ruleId: 'release-manifest' }]);
  });

  it('keeps image versions and service names on one line: line breaks and control characters become a space, with a warning', () => {
    const json = JSON.stringify({ versions: { fence: 'quay.io/cdis/fence:1.0\n# Injected heading', 'in\ndexd': 'quay.io/cdis/indexd:2.0\t\u0000x', ok: ' quay.io/cdis/ok:3 ' } }, null, 2);
    const { release, warnings } = withFiles(undefined, json);
    expect(release.imageVersions).toEqual([
      { service: 'fence', image: 'quay.io/cdis/fence', version: '1.0 # Injected heading' },
      { service: 'in dexd', image: 'quay.io/cdis/indexd', version: '2.0 x' },
      { service: 'ok', image: 'quay.io/cdis/ok', version: '3' },
    ]);
    expect(warnings).toEqual([
      { file: 'releases/2030/01/manifest.json', line: 3, message: 'manifest.json: versions.fence holds line breaks or control characters; read as "quay.io/cdis/fence:1.0 # Injected heading"', ruleId: 'release-manifest' },
      { file: 'releases/2030/01/manifest.json', line: 4, message: 'manifest.json: the key "in\\ndexd" of versions holds line breaks or control characters; read as "in dexd"', ruleId: 'release-manifest' },
      { file: 'releases/2030/01/manifest.json', line: 4, message: 'manifest.json: versions.in dexd holds line breaks or control characters; read as "quay.io/cdis/indexd:2.0 x"', ruleId: 'release-manifest' },
    ]);
  });

  it('warns about invalid JSON and a missing versions map', () => {
    const invalid = withFiles(undefined, '{\n  "versions": {\n    "fence": "quay.io/cdis/fence:1"\n  \n');
    expect(invalid.release.imageVersions).toEqual([]);
    expect(invalid.warnings).toHaveLength(1);
    expect(invalid.warnings[0]?.file).toBe('releases/2030/01/manifest.json');
    expect(invalid.warnings[0]?.message).toMatch(/^manifest\.json is not valid JSON: /);
    expect(invalid.warnings[0]?.line).toBeGreaterThan(0);

    for (const json of ['{"notes": []}', '[]', '{"versions": ["a"]}', 'null']) {
      const { release, warnings } = withFiles(undefined, json);
      expect(release.imageVersions).toEqual([]);
      expect(messages(warnings)).toEqual(['manifest.json has no "versions" map']);
    }
  });
});

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReleasesIndex, compareNewestFirst } from '../../src/releases/index.ts';
import { releaseFromGitHubRelease } from '../../src/releases/github-releases.ts';
import { parseReleaseNotes } from '../../src/releases/parse.ts';
import type { Release } from '../../src/releases/types.ts';

const schema = JSON.parse(readFileSync(new URL('../../docs/schemas/releases-index.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);
const fixture = (path: string): string => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');

function fixtureReleases(): Release[] {
  const old = parseReleaseNotes({
    path: 'releases/2019/11/release_notes.md',
    text: fixture('releases/2019/11/release_notes.md'),
    knownBugs: fixture('releases/2019/11/knownbugs.md'),
    manifestJson: fixture('releases/2019/11/manifest.json'),
  }).release;
  const recent = parseReleaseNotes({ path: 'releases/2030/04/gen3-release-notes.md', text: fixture('releases/2030/04/gen3-release-notes.md') }).release;
  const github = releaseFromGitHubRelease('uc-cdis/fence', {
    tag_name: 'v10.1.0',
    name: 'v10.1.0',
    body: '### Bug Fixes\n- a (#1)\n',
    published_at: '2030-04-20T10:00:00Z',
    html_url: 'https://github.com/uc-cdis/fence/releases/tag/v10.1.0',
  }).release;
  return [old, github, recent];
}

describe('releases index schema', () => {
  it('is draft 2020-12 and documents every property', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const undocumented: string[] = [];
    const visit = (node: Record<string, unknown>, at: string): void => {
      const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, property] of Object.entries(properties)) {
        if (typeof property.description !== 'string' || property.description === '') undocumented.push(`${at}.${name}`);
      }
    };
    visit(schema, '#');
    for (const [name, def] of Object.entries(schema.$defs as Record<string, Record<string, unknown>>)) {
      if (typeof def.description !== 'string') undocumented.push(`#/$defs/${name}`);
      visit(def, `#/$defs/${name}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('accepts an index of parsed releases, newest first', () => {
    const index = buildReleasesIndex('0.1.0', fixtureReleases());
    expect(validate(index), ajv.errorsText(validate.errors)).toBe(true);
    expect(index.releases.map((r) => r.version)).toEqual(['2030.04', '10.1.0', '2019.11']);
  });

  it('rejects a release without a usable date or with extra fields', () => {
    const [release] = fixtureReleases();
    expect(validate({ bundleVersion: 'x', releases: [{ ...release, version: '', year: 0, month: 0 }] })).toBe(false);
    expect(validate({ bundleVersion: 'x', releases: [{ ...release, extra: true }] })).toBe(false);
    expect(validate({ bundleVersion: 'x' })).toBe(false);
  });

  it('orders by year, month, then version', () => {
    const r = (version: string, year: number, month: number) => ({ version, year, month }) as Release;
    const sorted = [r('2030.01', 2030, 1), r('9.0.0', 2030, 2), r('10.0.0', 2030, 2), r('2029.12', 2029, 12)].sort(compareNewestFirst);
    expect(sorted.map((x) => x.version)).toEqual(['10.0.0', '9.0.0', '2030.01', '2029.12']);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.ts';

const valid = {
  repositories: [{ repo: 'uc-cdis/fence', section: 'Core services' }],
  releaseNotes: { repo: 'uc-cdis/cdis-manifest', path: 'releases' },
  guides: { repo: 'uc-cdis/docs-gen3', path: 'docs', nav: 'mkdocs.yml' },
};

function errorOf(data: unknown): string {
  try {
    parseConfig(data, 'sources.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function writeTemp(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  const file = path.join(dir, 'sources.json');
  writeFileSync(file, text);
  return file;
}

describe('sources.schema.json', () => {
  it('is a valid JSON Schema (2020-12), which the loader does not check at run time', () => {
    const ajv = new Ajv2020({ strict: true });
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../sources.schema.json'), 'utf8')) as object;
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(ajv.validateSchema({ type: 'object', properties: { repo: { type: 'strin' } } })).toBe(false);
  });
});

describe('parseConfig', () => {
  it('accepts the minimal shape and fills site defaults', () => {
    const config = parseConfig(valid, 'sources.json');
    expect(config.repositories[0]!.repo).toBe('uc-cdis/fence');
    expect(config.site).toEqual({ title: 'Gen3 Documentation', baseUrl: '/', origin: undefined });
    expect(config.guides?.nav).toBe('mkdocs.yml');
  });

  it('names an unknown key with its JSON path', () => {
    const message = errorOf({ ...valid, repositories: [{ repo: 'uc-cdis/fence', section: 'x', titel: 'Fence' }] });
    expect(message).toContain('sources.json');
    expect(message).toContain('repositories[0].titel: unknown key "titel"');
  });

  it('takes a repository\'s API documents as a path, a list of paths, or false', () => {
    for (const api of ['openapis/swagger.yaml', ['docs/openapi.yaml', 'docs/admin.json'], false]) {
      expect(parseConfig({ repositories: [{ repo: 'uc-cdis/fence', section: 'x', api }] }, 'sources.json').repositories[0]!.api).toEqual(api);
    }
  });

  it.each([true, 3, [], ['../up.yaml'], ['docs/*.yaml'], 'README.md', '/abs.yaml'])('rejects api %j, naming the field and the shapes it takes', (api) => {
    const message = errorOf({ repositories: [{ repo: 'uc-cdis/fence', section: 'x', api }] });
    expect(message).toContain('repositories[0].api: must be the path of an OpenAPI document, a list of such paths, or false to find none');
    expect(message).not.toContain('must be equal to constant');
    if (typeof api === 'string' || (Array.isArray(api) && api.length)) expect(message).toMatch(/api(\[0\])?: must be the path of a YAML or JSON file inside the repository/);
  });

  it('names a missing repo', () => {
    expect(errorOf({ repositories: [{ section: 'x' }] })).toContain('repositories[0].repo: required key "repo" is missing');
  });

  it.each(['fence', 'a/b/c', '../x', 'x?y/z', 'x#y/z', 'x?y', 'x#y', 'own er/name', 'owner/na me', 'owner/..', 'owner/.', '/a/b', 'a/b/', 'https://github.com/a/b', ''])(
    'rejects repo %j as not owner/name',
    (repo) => {
      expect(errorOf({ repositories: [{ repo, section: 'x' }] })).toContain(
        'repositories[0].repo: must be a GitHub repository as owner/name',
      );
    },
  );

  it.each(['../secrets/*.md', '/etc/*.md', 'docs/../../x.md', 'docs\\x.md'])('rejects glob %j escaping the repository', (glob) => {
    expect(errorOf({ repositories: [{ repo: 'a/b', section: 'x', include: [glob] }] })).toContain(
      'repositories[0].include[0]: must be a glob inside the repository',
    );
  });

  it.each([
    ['releaseNotes.path', { releaseNotes: { repo: 'a/b', path: '../notes' } }],
    ['guides.path', { guides: { repo: 'a/b', path: '/docs' } }],
    ['guides.nav', { guides: { repo: 'a/b', path: 'docs', nav: 'docs/../../mkdocs.yml' } }],
  ])('rejects %s outside the repository', (where, extra) => {
    expect(errorOf({ repositories: [], ...extra })).toContain(`${where}: must be a path inside the repository`);
  });

  it('names every wrong type at once', () => {
    const message = errorOf({ site: { title: 1 }, repositories: [{ repo: 'a/b', section: [], include: 'x' }] });
    expect(message).toContain('site.title: must be string');
    expect(message).toContain('repositories[0].section: must be string');
    expect(message).toContain('repositories[0].include: must be array');
  });

  it('reports a wrong type', () => {
    expect(errorOf({ repositories: { repo: 'a/b' } })).toContain('repositories: must be array');
  });

  it('rejects a repository listed twice', () => {
    const message = errorOf({ repositories: [{ repo: 'a/b', section: 'x' }, { repo: 'A/b', section: 'y' }] });
    expect(message).toContain('repositories[1].repo: "A/b" is already listed at repositories[0]');
  });
});

describe('loadConfig', () => {
  it('gives line and column of a JSON syntax error', () => {
    const file = writeTemp('{\n  "repositories": [\n    { "repo": "a/b", "section": "x" }\n    { "repo": "c/d" }\n  ]\n}\n');
    expect(() => loadConfig(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5: not valid JSON`));
  });

  it('names a missing file', () => {
    expect(() => loadConfig('/nonexistent/sources.json')).toThrow(/\/nonexistent\/sources.json: cannot read the configuration \(ENOENT\)/);
  });

  it('validates the project default sources.json', () => {
    const config = loadConfig(path.resolve(import.meta.dirname, '../../sources.json'));
    expect(config.repositories.length).toBeGreaterThanOrEqual(32);
    const sections = new Set(config.repositories.map((r) => r.section));
    expect([...sections]).toEqual(expect.arrayContaining(['Core services', 'Front end', 'Deployment', 'SDKs and tools', 'Libraries']));
  });
});

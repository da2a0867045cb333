import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadValidator, SCHEMA_FILE, writeCompiledValidator } from '../../src/config/validator.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

/** A folder inside the project, so that the written validator finds Ajv's run-time helpers in node_modules. */
function workDir(): string {
  mkdirSync(path.join(PROJECT_ROOT, 'test-artifacts'), { recursive: true });
  return mkdtempSync(path.join(PROJECT_ROOT, 'test-artifacts', 'validator-'));
}

const configs: unknown[] = [
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'sources.json'), 'utf8')),
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'examples/sources.json'), 'utf8')),
  { repositories: [] },
  {},
  { repositories: [{ repo: 'not a repo', sectoin: 'x', include: ['/abs/**'], api: 3 }], guides: { repo: 'a/b' } },
  { organizations: [{ org: 'uc-cdis', exclude: 7 }], site: { title: 1, baseUrl: 'docs' }, extra: true },
  { repositories: [{ repo: 'a/b', ref: '../x', api: ['docs/openapi.txt'] }], releaseNotes: { repo: 'a/c', path: '..' } },
];

describe('the validator of sources.json compiled ahead of time', () => {
  it('gives what the schema compiled at start gives, for valid and invalid configurations', () => {
    const file = path.join(workDir(), 'sources-validator.cjs');
    writeCompiledValidator(file);
    const ahead = loadValidator(SCHEMA_FILE, file);
    const atStart = loadValidator(SCHEMA_FILE, path.join(path.dirname(file), 'none.cjs'));
    expect('schemaSha256' in ahead).toBe(true);
    expect('schemaSha256' in atStart).toBe(false);
    const verdicts = configs.map((config) => {
      const [a, b] = [ahead(config), atStart(config)];
      expect(ahead.errors ?? null).toEqual(atStart.errors ?? null);
      expect(a).toBe(b);
      return a;
    });
    // Both kinds were checked.
    expect(verdicts).toEqual([true, true, true, false, false, false, false]);
  });

  it('is not used when it was made from another schema: the schema at hand is compiled instead', () => {
    const dir = workDir();
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { required?: string[] };
    const otherSchema = path.join(dir, 'other.schema.json');
    // Another schema: a site is required.
    writeFileSync(otherSchema, JSON.stringify({ ...schema, required: [...(schema.required ?? []), 'site'] }));
    const file = path.join(dir, 'sources-validator.cjs');
    writeCompiledValidator(file, otherSchema);
    expect(loadValidator(otherSchema, file)({ repositories: [] })).toBe(false);

    const validator = loadValidator(SCHEMA_FILE, file);
    expect('schemaSha256' in validator).toBe(false);
    expect(validator({ repositories: [] })).toBe(true);
  });
});

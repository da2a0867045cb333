import { describe, expect, it } from 'vitest';
import picomatch from 'picomatch';
import { apiDocuments, looksLikeApiDocument } from '../../src/catalog/api-docs.ts';
import { API_DISCOVERY_GLOBS, apiGlobs } from '../../src/config/types.ts';
import type { SourceDocument } from '../../src/sources/types.ts';

const doc = (path: string, text: string): SourceDocument => ({ repo: 'o/r', path, text, blobSha: 'b', commitSha: 'c', sourceUrl: '' });

describe('API document discovery', () => {
  it('tells a spec by its top-level openapi/swagger field, not by its name', () => {
    expect(looksLikeApiDocument('---\nopenapi: 3.0.0\ninfo: {}\n')).toBe(true);
    expect(looksLikeApiDocument("swagger: '2.0'\n")).toBe(true);
    expect(looksLikeApiDocument('\uFEFF{ "info": {}, "openapi": "3.1.0" }')).toBe(true);
    expect(looksLikeApiDocument('{ "name": "swagger-tools", "version": "1.0.0" }')).toBe(false);
    expect(looksLikeApiDocument('info:\n  openapi: 3.0.0\n')).toBe(false);
    expect(looksLikeApiDocument('# openapi: 3.0.0 is the version we use\n')).toBe(false);
  });

  it('finds specs where Gen3 services keep them, and not deep fixtures', () => {
    const match = picomatch(API_DISCOVERY_GLOBS);
    for (const p of ['docs/openapi.yaml', 'openapis/swagger.yaml', 'openapi/swagger.yml', 'doc/openapi.yaml', 'docs/swagger/swagger.yaml', 'openapi.json', 'api/OpenAPI.json']) expect(match(p), p).toBe(true);
    for (const p of ['docs/config.yaml', 'README.md', 'a/b/c/d/tests/openapi.yaml', 'openapis/package.json']) expect(match(p), p).toBe(false);
  });

  it('takes the named documents, the discovered ones, or none', () => {
    const docs = [doc('README.md', '# x'), doc('openapis/swagger.yaml', 'openapi: 3.0.0\n'), doc('openapis/package.json', '{"name":"x"}'), doc('api/v2.yml', 'swagger: "2.0"\n')];
    const base = { repo: 'o/r', section: 's' };
    expect(apiDocuments(base, docs).map((d) => d.path)).toEqual(['openapis/swagger.yaml', 'api/v2.yml']);
    expect(apiDocuments({ ...base, api: 'api/v2.yml' }, docs).map((d) => d.path)).toEqual(['api/v2.yml']);
    expect(apiDocuments({ ...base, api: false }, docs)).toEqual([]);
    expect(apiGlobs({ ...base, api: false })).toEqual([]);
    expect(apiGlobs({ ...base, api: ['a.yaml', 'b.json'] })).toEqual(['a.yaml', 'b.json']);
    expect(apiGlobs(base)).toEqual(API_DISCOVERY_GLOBS);
  });
});

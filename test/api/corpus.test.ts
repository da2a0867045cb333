/**
 * The corpus's OpenAPI and Swagger documents through the api stage and the renderer: each one found by
 * discovery gives a page whose operations are exactly the path x method pairs of its YAML (counted here with
 * the YAML library alone), and whose every in-page link lands on an id of the page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { looksLikeApiDocument } from '../../src/catalog/api-docs.ts';
import { API_DISCOVERY_GLOBS } from '../../src/config/types.ts';
import { readApiDocument } from '../../src/api/plan.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import type { RepoTree } from '../../src/catalog/catalog.ts';
import type { TreeEntry } from '../../src/sources/types.ts';
import { CORPUS_SNAPSHOT, HAS_CORPUS, noteCorpusSkip } from '../support/corpus.ts';

noteCorpusSkip('OpenAPI documents of the corpus');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function corpusSpecs(): { repo: string; path: string; text: string; tree: RepoTree }[] {
  if (!HAS_CORPUS) return [];
  const match = picomatch(API_DISCOVERY_GLOBS);
  const org = path.join(CORPUS_SNAPSHOT, 'uc-cdis');
  return readdirSync(org).flatMap((name) => {
    const dir = path.join(org, name);
    const listed = JSON.parse(readFileSync(path.join(dir, 'tree.json'), 'utf8')) as { sha: string; tree: TreeEntry[] };
    const tree: RepoTree = { commitSha: listed.sha, defaultBranch: 'master', entries: new Map(listed.tree.map((e) => [e.path, e])) };
    return listed.tree
      .filter((e) => e.type === 'blob' && match(e.path))
      .flatMap((e) => {
        try {
          const text = readFileSync(path.join(dir, 'files', e.path), 'utf8');
          return looksLikeApiDocument(text) ? [{ repo: `uc-cdis/${name}`, path: e.path, text, tree }] : [];
        } catch {
          return [];
        }
      });
  });
}

describe.skipIf(!HAS_CORPUS)('the corpus OpenAPI documents', () => {
  const specs = corpusSpecs();

  it('are all found: 17 repositories ship one', () => {
    expect(new Set(specs.map((s) => s.repo)).size).toBe(17);
  });

  it.each(specs.map((s) => [`${s.repo}/${s.path}`, s] as const))('%s: every path x method is on the page, and every in-page link lands', async (_name, spec) => {
    const yaml = parse(spec.text) as { paths?: Record<string, Record<string, unknown>> };
    const expected = Object.values(yaml.paths ?? {}).reduce((n, item) => n + Object.keys(item ?? {}).filter((k) => METHODS.includes(k)).length, 0);
    const doc = { repo: spec.repo, path: spec.path, text: spec.text, blobSha: 'b', commitSha: spec.tree.commitSha, sourceUrl: '' };
    const reading = await readApiDocument(doc);
    expect(reading.ok).toBe(true);
    expect(reading.operations).toHaveLength(expected);
    const page = await renderMarkdown(
      { ...doc, text: reading.markdown },
      { repo: spec.repo, path: spec.path, commitSha: spec.tree.commitSha, pageUrl: 'services/x/api/', pageUrlForFile: () => undefined, treeOf: (r) => (r.toLowerCase() === spec.repo ? spec.tree : undefined), publishAsset: async () => undefined },
    );
    const operationIds = page.ids.filter((id) => id.startsWith('user-content-op-'));
    expect(operationIds).toHaveLength(expected);
    const ids = new Set(page.ids);
    const local = [...page.html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1]!);
    expect(local.filter((id) => !ids.has(id))).toEqual([]);
    expect(local.some((id) => id.startsWith('user-content-op-'))).toBe(expected > 0);
  }, 60_000);
});

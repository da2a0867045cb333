/**
 * A rebuild with the cache does not parse an unchanged OpenAPI document again, nor render its page again: the
 * api stage reads what the document gave from <cache>/api/, and the page comes from the render cache.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { addSnapshotFile, editSnapshotFile } from '../support/snapshot-edit.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

const parsed = vi.hoisted(() => ({ files: [] as string[] }));
vi.mock('../../src/api/parse.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/api/parse.ts')>();
  return {
    ...actual,
    parseApiDocument: (doc: Parameters<typeof actual.parseApiDocument>[0]) => {
      parsed.files.push(`${doc.repo}/${doc.path}`);
      return actual.parseApiDocument(doc);
    },
  };
});

const SPEC = `openapi: 3.0.3
info: { title: Query API, version: 1.0.0, description: Finds **records**. }
paths:
  /records:
    get:
      operationId: listRecords
      summary: List records
      responses:
        '200': { description: The records }
`;

describe('API reference pages on a warm build', () => {
  it('neither parses an unchanged document again nor renders its page again', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'api-warm-'));
    try {
      const snapshot = path.join(root, 'snapshot');
      await cp(path.join(PROJECT_ROOT, 'examples/snapshot'), snapshot, { recursive: true });
      await addSnapshotFile(snapshot, 'gen3-demo/query-api', 'docs/openapi.yaml', SPEC);
      const config = loadConfig(path.join(PROJECT_ROOT, 'examples/sources.json'));
      const outDir = path.join(root, 'out');
      const run = () => build({ config, source: createSnapshotSource(snapshot), outDir, cacheDir: path.join(root, 'cache'), search: false, markdown: false, workers: 0 });

      const first = await run();
      expect(parsed.files).toEqual(['gen3-demo/query-api/docs/openapi.yaml']);
      const page = path.join(outDir, 'services/query-api/api/index.html');
      expect(await readFile(page, 'utf8')).toContain('id="user-content-op-listRecords"');

      // Another file of the same repository changes: a real build (not the "nothing changed" shortcut) that
      // renders that one page; the API page is reused as it was.
      await editSnapshotFile(snapshot, 'gen3-demo/query-api', 'docs/filters.md', (t) => `${t}\nOne more line.\n`);
      const second = await run();
      expect(second.unchanged).toBeUndefined();
      expect(parsed.files).toHaveLength(1);
      expect(second.render.rendered).toBe(1);
      expect(second.render.rendered).toBeLessThan(first.render.rendered);
      expect(await readFile(page, 'utf8')).toContain('id="user-content-op-listRecords"');

      // The document itself changes: it is parsed and its page rendered again.
      await editSnapshotFile(snapshot, 'gen3-demo/query-api', 'docs/openapi.yaml', (t) => t.replace('List records', 'List every record'));
      const third = await run();
      expect(parsed.files).toHaveLength(2);
      expect(third.render.rendered).toBe(1);
      expect(await readFile(page, 'utf8')).toContain('List every record');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});

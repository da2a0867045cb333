/** build-report.json: what it counts, and that the wall clock stays out of every other file. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import type { ContentSource } from '../../src/sources/types.ts';
import { STAGES } from '../../src/report/report.ts';
import { FIXTURE, hashTree, tempDir } from '../publish/helpers.ts';
import { errorsOf, validateReport } from './schemas.ts';

const NOW = new Date('2031-05-06T07:08:09.000Z');

describe('build report', () => {
  let dir: string;
  let result: BuildResult;
  beforeAll(async () => {
    dir = await tempDir('report');
    const snapshot = createSnapshotSource(FIXTURE.snapshot);
    // A source that counts requests and serves one repository from its cache, as the GitHub source will.
    const source: ContentSource = {
      kind: 'snapshot',
      readBlob: (repo, p) => snapshot.readBlob(repo, p),
      loadRepository: async (request) => {
        const content = await snapshot.loadRepository(request);
        return request.repo === 'fixture-docs/svc-beta' ? { ...content, freshness: 'cached' } : content;
      },
      stats: { requests: 7, byStatus: { '304': 1, '200': 5, timeout: 1 }, rateLimit: { core: { limit: 5000, remaining: 4993, reset: Date.parse('2031-05-06T08:00:00Z') / 1000 } } },
    };
    result = await build({ config: loadConfig(FIXTURE.config), source, outDir: path.join(dir, 'out'), now: () => NOW });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is written into out/ and matches its schema', async () => {
    const report = JSON.parse(await readFile(path.join(dir, 'out/build-report.json'), 'utf8'));
    expect(validateReport(report), errorsOf(validateReport.errors).join('\n')).toBe(true);
    expect(result.reportPath).toBe(path.join(dir, 'out/build-report.json'));
    expect(report.generatedAt).toBe('2031-05-06T07:08:09.000Z');
  });

  it('counts pages by kind, repositories by freshness, and GitHub requests', () => {
    const r = result.report;
    expect(r.pages).toMatchObject({ total: 11, byKind: { readme: 2, doc: 4, guide: 2, release: 2, changes: 1 } });
    expect(r.repositories).toMatchObject({ total: 4, fresh: 3, cached: 1, stale: 0, failed: 0 });
    expect(r.repositories.items.map((i) => `${i.repo}:${i.role}:${i.status}`)).toEqual([
      'fixture-docs/guides:guides:fresh',
      'fixture-docs/manifest:releases:fresh',
      'fixture-docs/svc-alpha:service:fresh',
      'fixture-docs/svc-beta:service:cached',
    ]);
    expect(r.github).toEqual({
      requests: 7,
      byStatus: { '200': 5, '304': 1, timeout: 1 },
      rateLimit: { limit: 5000, remaining: 4993, reset: '2031-05-06T08:00:00.000Z' },
    });
    expect(r.markdownExport?.pages).toBe(11);
    expect(r.output!.files).toBeGreaterThan(20);
  });

  it('times every stage, one after another', () => {
    const d = result.report.durations;
    expect(Object.keys(d).sort()).toEqual([...STAGES, 'total'].sort());
    const sum = STAGES.reduce((n, s) => n + d[s], 0);
    expect(sum).toBeLessThanOrEqual(d.total + 0.01);
    expect(d.total).toBeGreaterThan(0);
  });

  it('keeps the wall clock out of every other file', async () => {
    const files = await hashTree(path.join(dir, 'out'), ['build-report.json']);
    for (const file of files.keys()) {
      const text = await readFile(path.join(dir, 'out', file), 'latin1');
      expect(text, file).not.toContain('2031');
    }
  });
});

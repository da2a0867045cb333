/** Two builds of the same input are byte-identical; the corpus export passes MkDocs; the JSON matches its schemas. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownPathFor } from '../../src/catalog/markdown-paths.ts';
import type { BuildResult } from '../../src/build.ts';
import { errorsOf, validateManifest, validateReport } from '../report/schemas.ts';
import {
  CORPUS, CORPUS_SKIP_REASON, FIXTURE, MKDOCS, MKDOCS_SKIP_REASON, buildInto, danglingLinks, hashTree, mdFiles, mkdocsLinkWarnings, tempDir, type Input,
  announceSkips,
} from './helpers.ts';

announceSkips({ corpus: true, mkdocs: true });

const doc = (p: string) => ({ path: p }) as never;

function twoBuilds(name: string, input: () => Input) {
  let dir: string;
  let first: BuildResult;
  beforeAll(async () => {
    dir = await tempDir(name);
    first = await buildInto(input(), path.join(dir, 'a'));
    await buildInto(input(), path.join(dir, 'b'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives byte-identical trees (build-report.json aside)', async () => {
    const a = await hashTree(path.join(dir, 'a'), ['build-report.json']);
    const b = await hashTree(path.join(dir, 'b'), ['build-report.json']);
    expect(a.size).toBeGreaterThan(10);
    expect([...b.keys()]).toEqual([...a.keys()]);
    const differing = [...a].filter(([p, h]) => b.get(p) !== h).map(([p]) => p);
    expect(differing).toEqual([]);
  });

  it('writes manifest.json and build-report.json that match their schemas', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, 'a/manifest.json'), 'utf8'));
    expect(validateManifest(manifest), errorsOf(validateManifest.errors).join('\n')).toBe(true);
    const report = JSON.parse(await readFile(path.join(dir, 'a/build-report.json'), 'utf8'));
    expect(validateReport(report), errorsOf(validateReport.errors).join('\n')).toBe(true);
    // Redirect pages (old addresses) are listed in the manifest but are no pages of their own.
    expect(report.pages.total).toBe(manifest.pages.filter((p: { kind: string }) => p.kind !== 'redirect').length);
    expect(report).toEqual(JSON.parse(JSON.stringify(first.report)));
  });

  it('exports every page of the manifest to md/, with no dangling relative link and no script', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, 'a/manifest.json'), 'utf8'));
    const files = new Set(await mdFiles(path.join(dir, 'a/md')));
    const missing = manifest.pages.filter((p: { kind: string }) => p.kind !== 'redirect').map((p: { url: string; path: string }) => markdownPathFor({ url: p.url, doc: doc(p.path) }).slice(3)).filter((f: string) => !files.has(f));
    expect(missing).toEqual([]);
    expect(await danglingLinks(path.join(dir, 'a/md'))).toEqual([]);
    for (const f of files) expect(await readFile(path.join(dir, 'a/md', f), 'utf8')).not.toMatch(/<script|<iframe|javascript:/i);
  });

  it.skipIf(!MKDOCS)(`builds md/ with MkDocs --strict, no missing link${MKDOCS ? '' : ` (skipped: ${MKDOCS_SKIP_REASON})`}`, async () => {
    const result = await mkdocsLinkWarnings(path.join(dir, 'a/md'));
    expect(result.warnings).toEqual([]);
    expect(result.status, result.log.slice(-2000)).toBe(0);
  }, 300_000);
}

describe('the fixture, built twice', () => twoBuilds('fixture-twice', () => FIXTURE));

describe.skipIf(!CORPUS)(`the corpus, built twice${CORPUS ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => twoBuilds('corpus-twice', () => CORPUS!));

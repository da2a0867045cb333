/**
 * A rebuild after one changed page composes only the pages whose template context changed (the changed page,
 * the pages of its repository, whose commit moved, and the pages that list commits), and its out/ is the one a
 * build from scratch of the changed snapshot makes.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { editSnapshotFile } from '../support/snapshot-edit.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

/** Every file of a folder, by relative path, with its bytes. */
async function files(dir: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) found.set(path.relative(dir, path.join(e.parentPath, e.name)), await readFile(path.join(e.parentPath, e.name)));
  }
  return found;
}

describe('composing after one change', () => {
  it('renders only the pages whose context changed, and writes what a build from scratch writes', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'compose-memo-'));
    roots.push(root);
    const snapshot = path.join(root, 'snapshot');
    await cp(path.join(PROJECT_ROOT, 'examples/snapshot'), snapshot, { recursive: true });
    const config = loadConfig(path.join(PROJECT_ROOT, 'examples/sources.json'));
    const outDir = path.join(root, 'out');
    const cacheDir = path.join(root, 'cache');
    const run = (out = outDir, cache: string | undefined = cacheDir) => build({ config, source: createSnapshotSource(snapshot), outDir: out, cacheDir: cache, workers: 0 });
    const rendered = vi.spyOn(nunjucks.Environment.prototype, 'render');
    const pageRenders = () => rendered.mock.calls.filter(([name]) => name !== 'api-link.njk' && !/^(api-download|release-service-link|blog-|404)/.test(String(name))).length;

    const first = await run();
    const composedFirst = pageRenders();
    expect(composedFirst).toBeGreaterThan(10);

    await editSnapshotFile(snapshot, 'gen3-demo/query-api', 'docs/filters.md', (t) => `${t}\nOne more line.\n`);
    rendered.mockClear();
    const second = await run();
    expect(second.render.rendered).toBe(1);
    const manifest = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as { pages: { repo: string }[] };
    const repoPages = manifest.pages.filter((p) => p.repo === 'gen3-demo/query-api').length;
    const composedSecond = pageRenders();
    // The repository's pages (their commit moved) and the services page, which lists the commits; no other.
    expect(composedSecond).toBeGreaterThanOrEqual(2);
    expect(composedSecond).toBeLessThan(composedFirst / 2);
    expect(composedSecond).toBeLessThanOrEqual(repoPages + 1);
    expect(await readFile(path.join(outDir, 'services/query-api/docs/filters/index.html'), 'utf8')).toContain('One more line.');

    // A page changed by hand in out/ is composed again, not taken over.
    const other = path.join(outDir, 'services/file-index/index.html');
    const otherBytes = await readFile(other);
    await writeFile(other, 'changed by hand');
    await editSnapshotFile(snapshot, 'gen3-demo/query-api', 'docs/filters.md', (t) => `${t}\nAnd another.\n`);
    await run();
    expect((await readFile(other)).equals(otherBytes)).toBe(true);
    rendered.mockRestore();

    // The same bundle as a build from scratch, but for the report.
    const scratch = path.join(root, 'scratch');
    await run(scratch, undefined);
    const [incremental, cold] = [await files(outDir), await files(scratch)];
    incremental.delete('build-report.json');
    cold.delete('build-report.json');
    expect([...incremental.keys()].sort()).toEqual([...cold.keys()].sort());
    for (const [file, bytes] of cold) expect(incremental.get(file)!.equals(bytes), file).toBe(true);
    expect(first.pages).toBe(second.pages);
  }, 180_000);
});

import { cp, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { editSnapshotFile } from '../support/snapshot-edit.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

describe('a rebuild with nothing changed', () => {
  it('leaves out/ alone but for the report, and builds again as soon as anything differs', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'unchanged-'));
    const snapshot = path.join(root, 'snapshot');
    await cp(path.join(PROJECT_ROOT, 'examples/snapshot'), snapshot, { recursive: true });
    const config = loadConfig(path.join(PROJECT_ROOT, 'examples/sources.json'));
    const outDir = path.join(root, 'out');
    const cacheDir = path.join(root, 'cache');
    const run = () => build({ config, source: createSnapshotSource(snapshot), outDir, cacheDir, search: false });

    const first = await run();
    expect(first.unchanged).toBeUndefined();
    const page = path.join(outDir, 'services/file-index/index.html');
    const before = await stat(page);

    const second = await run();
    expect(second.unchanged).toBe(true);
    expect(second.report.pages).toMatchObject({ total: first.pages, rendered: 0, cached: first.pages });
    expect(second.warnings).toEqual(first.warnings);
    const after = await stat(page);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(JSON.parse(await readFile(path.join(outDir, 'build-report.json'), 'utf8')).generatedAt).toBe(second.report.generatedAt);

    // A file changed by hand in out/ is not trusted: the next build writes the bundle again.
    await writeFile(page, 'changed by hand');
    const third = await run();
    expect(third.unchanged).toBeUndefined();
    expect(third.render.rendered).toBe(0);
    expect(await readFile(page, 'utf8')).toContain('file-index');

    // A changed source file: a build, not a shortcut.
    await editSnapshotFile(snapshot, 'gen3-demo/query-api', 'docs/filters.md', (t) => `${t}\nOne more line.\n`);
    const fourth = await run();
    expect(fourth.unchanged).toBeUndefined();
    expect(fourth.render.rendered).toBeGreaterThanOrEqual(1);
    expect(await readFile(path.join(outDir, 'services/query-api/docs/filters/index.html'), 'utf8')).toContain('One more line.');
  }, 120_000);
});

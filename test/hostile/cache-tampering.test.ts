/**
 * Every cache entry is checked against the hash recorded when it was written: an entry edited by hand or
 * damaged is a miss with a warning, and what it held is made again, never published as it stands. One cold
 * build of the demo snapshot fills a cache; each test edits its own copy and builds into a new out/, as a CI
 * job with a restored cache does (the same out/ would be left as it was, without reading the cache at all).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { sealEntry, unsealEntry } from '../../src/cache/entry.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { openCache } from '../../src/sources/cache.ts';
import { gitBlobSha } from '../../src/sources/documents.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { INJECTED, editEntry, entryPayload, filesBelow, injectScript, renderEntry } from '../support/cache-entries.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const SNAPSHOT = path.join(PROJECT_ROOT, 'examples/snapshot');
const CONFIG = path.join(PROJECT_ROOT, 'examples/sources.json');
const DAMAGED = /^cache entry does not match the hash recorded when it was written \(damaged or edited\), not used: /;

let root: string;
let baseCache: string;
let cold: BuildResult;
let copies = 0;

const run = (outDir: string, cacheDir: string, search = true) =>
  build({ config: loadConfig(CONFIG), source: createSnapshotSource(SNAPSHOT), outDir, cacheDir, search });

/** A fresh copy of the cold build's cache and a new out/ beside it. */
function fresh(): { cache: string; out: string } {
  const n = ++copies;
  const cache = path.join(root, `cache-${n}`);
  cpSync(baseCache, cache, { recursive: true });
  return { cache, out: path.join(root, `out-${n}`) };
}

const cacheWarnings = (result: BuildResult) => result.warnings.filter((w) => DAMAGED.test(w.message));

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'cache-tampering-'));
  baseCache = path.join(root, 'cache');
  cold = await run(path.join(root, 'out-cold'), baseCache);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('sealed cache entries', () => {
  it('give back their bytes only while those hash to the recorded hash', () => {
    const sealed = sealEntry('{"a":1}');
    expect(sealed.toString()).toMatch(/^sha256 [0-9a-f]{64}\n\{"a":1\}$/);
    expect(unsealEntry(sealed)?.toString()).toBe('{"a":1}');
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 2] = '2'.charCodeAt(0);
    expect(unsealEntry(flipped)).toBeUndefined();
    expect(unsealEntry(sealed.subarray(0, sealed.length - 1))).toBeUndefined();
    expect(unsealEntry(Buffer.from('{"a":1}'))).toBeUndefined();
  });
});

describe('a cache entry edited or damaged since it was written is never published', () => {
  it('serves every page from an untouched copy (the edits below would otherwise be used)', async () => {
    const { cache, out } = fresh();
    const warm = await run(out, cache);
    expect(warm.render).toMatchObject({ rendered: 0, cached: cold.pages });
    expect(cacheWarnings(warm)).toEqual([]);
    expect(readFileSync(path.join(out, 'services/file-index/index.html'), 'utf8')).toBe(readFileSync(path.join(root, 'out-cold/services/file-index/index.html'), 'utf8'));
  }, 60_000);

  it('renders again a cached page edited to carry a script, and warns', async () => {
    const { cache, out } = fresh();
    const entry = renderEntry(cache, 'gen3-demo/file-index', 'README.md');
    injectScript(entry);
    expect(entryPayload<{ page: { html: string } }>(entry).page.html).toContain(INJECTED);

    const result = await run(out, cache);
    const page = readFileSync(path.join(out, 'services/file-index/index.html'), 'utf8');
    expect(page).not.toContain('__pwned');
    expect(page).toBe(readFileSync(path.join(root, 'out-cold/services/file-index/index.html'), 'utf8'));
    expect(result.render.rendered).toBe(1);
    expect(cacheWarnings(result)).toEqual([{ file: entry, message: expect.stringMatching(/gen3-demo\/file-index\/README\.md was rendered again$/), ruleId: 'cache-damaged' }]);
    expect(result.report.warnings.items).toContainEqual(cacheWarnings(result)[0]);

    // The page was stored again, sound: the next build uses it and has nothing to say.
    const next = await run(path.join(root, 'out-after-render'), cache);
    expect(next.render.rendered).toBe(0);
    expect(cacheWarnings(next)).toEqual([]);
  }, 60_000);

  it('makes the search index again when a cached Pagefind file was edited, and warns', async () => {
    const { cache, out } = fresh();
    const [folder, ...others] = readdirSync(path.join(cache, 'search'));
    expect(others).toEqual([]);
    const script = path.join(cache, 'search', folder!, 'files/pagefind.js');
    writeFileSync(script, `window.__pwned=1;${readFileSync(script, 'utf8')}`);
    const edited = statSync(script).mtimeMs;

    const result = await run(out, cache);
    const published = readFileSync(path.join(out, 'pagefind/pagefind.js'), 'utf8');
    expect(published).not.toContain('__pwned');
    expect(published).toBe(readFileSync(path.join(root, 'out-cold/pagefind/pagefind.js'), 'utf8'));
    expect(cacheWarnings(result)).toEqual([{ file: script, message: expect.stringMatching(/the search index was made again$/), ruleId: 'cache-damaged' }]);
    // Made again means stored again, in a folder of its own.
    expect(readdirSync(path.join(cache, 'search'))).toEqual([folder]);
    expect(statSync(script).mtimeMs).toBeGreaterThan(edited);
    expect(readFileSync(script, 'utf8')).not.toContain('__pwned');
  }, 60_000);

  it("makes the search index again when the cached index's list of files was edited to match an edited file, and warns", async () => {
    const { cache, out } = fresh();
    const [folder] = readdirSync(path.join(cache, 'search'));
    const list = path.join(cache, 'search', folder!, 'entry');
    const script = path.join(cache, 'search', folder!, 'files/pagefind.js');
    const injected = `window.__pwned=1;${readFileSync(script, 'utf8')}`;
    writeFileSync(script, injected);
    type Entry = { files: { path: string; sha256: string }[] };
    expect(entryPayload<Entry>(list).files.some((f) => f.path === 'pagefind.js')).toBe(true);
    // The list's seal (its first line) is left as it was: editing the list breaks it.
    const sha = createHash('sha256').update(injected).digest('hex');
    editEntry<Entry>(list, (entry) => ({ ...entry, files: entry.files.map((f) => (f.path === 'pagefind.js' ? { ...f, sha256: sha } : f)) }));

    const result = await run(out, cache);
    expect(readFileSync(path.join(out, 'pagefind/pagefind.js'), 'utf8')).not.toContain('__pwned');
    expect(cacheWarnings(result)).toEqual([{ file: list, message: expect.stringMatching(/the search index was made again$/), ruleId: 'cache-damaged' }]);
    expect(readFileSync(script, 'utf8')).not.toContain('__pwned');
  }, 60_000);

  it('parses again release notes edited in the cache, and warns', async () => {
    const { cache, out } = fresh();
    const entries = filesBelow(path.join(cache, 'releases')).filter((f) => readFileSync(f, 'utf8').includes('Python 3.13'));
    expect(entries.length).toBeGreaterThan(0);
    for (const file of entries) editEntry<Record<string, unknown>>(file, (parsed) => JSON.parse(JSON.stringify(parsed).replaceAll('Python 3.13', 'Python 2.7')));

    const result = await run(out, cache);
    const page = readFileSync(path.join(out, 'releases/2026.06/index.html'), 'utf8');
    expect(page).toContain('Python 3.13');
    expect(page).not.toContain('Python 2.7');
    expect(cacheWarnings(result).map((w) => w.file).sort()).toEqual(entries);
    expect(cacheWarnings(result)[0]!.message).toMatch(/the release notes releases\/2026\/06\/gen3_release_notes\.md were parsed again$/);
  }, 60_000);

  it('builds the bundle again when the record of the last build was edited, and warns', async () => {
    const { cache } = fresh();
    const out = path.join(root, 'out-state');
    const first = await run(out, cache, false);
    expect(first.unchanged).toBeUndefined();
    expect((await run(out, cache, false)).unchanged).toBe(true);
    // The copied cache also holds the record of the cold build, into another out/.
    const [state, ...others] = filesBelow(path.join(cache, 'builds')).filter((f) => entryPayload<{ outDir: string }>(f).outDir === out);
    expect(others).toEqual([]);
    // A forged report, which a build that changed nothing would otherwise hand on as its own.
    const forged = { file: 'gen3-demo/file-index/README.md', message: 'forged', ruleId: 'broken-link' };
    editEntry<{ report: { warnings: { items: unknown[] } } }>(state!, (s) => ({ ...s, report: { ...s.report, warnings: { ...s.report.warnings, items: [forged] } } }));

    const rebuilt = await run(out, cache, false);
    expect(rebuilt.unchanged).toBeUndefined();
    expect(rebuilt.warnings).not.toContainEqual(forged);
    expect(cacheWarnings(rebuilt)).toEqual([{ file: state, message: expect.stringMatching(/the bundle was built again$/), ruleId: 'cache-damaged' }]);
    // Not recorded after damage: the next build checks the cache again, finds it sound and records it.
    const checked = await run(out, cache, false);
    expect(checked.unchanged).toBeUndefined();
    expect(cacheWarnings(checked)).toEqual([]);
    expect((await run(out, cache, false)).unchanged).toBe(true);
  }, 120_000);
});

describe('the GitHub source cache', () => {
  const server = useGitHubServer({ snapshotDir: SNAPSHOT }, { reset: false });

  it('downloads again a damaged blob and asks again for an edited answer, warning of each', async () => {
    const cacheDir = path.join(root, 'github-cache');
    const through = async (name: string) => {
      const warnings: string[] = [];
      const github = createGitHubSource({ baseUrl: server.url, cache: openCache(cacheDir, { onWarning: (m) => warnings.push(m) }) });
      const result = await build({ config: loadConfig(CONFIG), source: github, outDir: path.join(root, name), cacheDir });
      return { result, github, warnings };
    };
    await through('github-cold');

    const readme = readFileSync(path.join(SNAPSHOT, 'gen3-demo/file-index/files/README.md'));
    const sha = gitBlobSha(readme);
    const blob = path.join(cacheDir, 'blobs', sha.slice(0, 2), sha);
    expect(readFileSync(blob)).toEqual(readme);
    writeFileSync(blob, Buffer.concat([readme, Buffer.from(INJECTED)]));
    const repoRecord = path.join(cacheDir, 'repos/gen3-demo/file-index/@default.json');
    editEntry<{ tree: { path: string; sha: string }[] }>(repoRecord, (r) => ({ ...r, tree: r.tree.filter((e) => e.path !== 'README.md') }));
    // The render cache would hide a changed blob: drop it, so the page is made from what the source gives.
    rmSync(path.join(cacheDir, 'render'), { recursive: true });

    const warm = await through('github-warm');
    expect(warm.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^cache .*: blobs/${sha.slice(0, 2)}/${sha} does not match the hash recorded when it was written \\(damaged or edited\\); not used, downloaded again$`)),
        expect.stringMatching(/^cache .*: repos\/gen3-demo\/file-index\/@default\.json does not match the hash recorded when it was written \(damaged or edited\); not used, asked of GitHub again$/),
      ]),
    );
    expect(warm.github.stats.byKind.blobs).toBeGreaterThanOrEqual(1);
    const page = readFileSync(path.join(root, 'github-warm/services/file-index/index.html'), 'utf8');
    expect(page).not.toContain('__pwned');
    expect(page).toBe(readFileSync(path.join(root, 'github-cold/services/file-index/index.html'), 'utf8'));
    expect(readFileSync(blob)).toEqual(readme);
  }, 120_000);
});

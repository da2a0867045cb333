/**
 * Whole builds through the GitHub-compatible server: warm rebuilds from the cache, injected faults, a
 * repository that never answers, a small anonymous rate limit, and the CLI's exits.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BuildError, build, type BuildResult } from '../../src/build.ts';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import { openCache } from '../../src/sources/cache.ts';
import { createGitHubSource, type GitHubSource, type GitHubSourceOptions } from '../../src/sources/github.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { startGitHubServer, type GitHubServer, type RequestLog } from '../support/github-server.ts';
import { runCliAsync } from '../support/cli.ts';
import { treeHashes } from '../support/site.ts';
import { tinyRepos, writeTinySnapshot } from '../support/tiny-repos.ts';
import { closedPort } from '../support/source-requests.ts';
import { useGitHubServer } from '../support/use-github-server.ts';

const DEMO_SNAPSHOT = path.join(PROJECT_ROOT, 'examples/snapshot');
const DEMO_CONFIG = path.join(PROJECT_ROOT, 'examples/sources.json');
const FAST = { retries: 3, retryBaseMs: 5, timeoutMs: 5000 } satisfies GitHubSourceOptions;

const temp = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

beforeEach(() => {
  vi.stubEnv('GITHUB_TOKEN', '');
  vi.stubEnv('GITHUB_API_URL', '');
  vi.stubEnv('GITHUB_GRAPHQL_URL', '');
});
afterEach(() => vi.unstubAllEnvs());

interface Run {
  result: BuildResult;
  github: GitHubSource;
  outDir: string;
  requests: RequestLog[];
  ms: number;
}

async function buildThrough(server: GitHubServer, config: Config, options: GitHubSourceOptions, extra: { strict?: boolean } = {}): Promise<Run> {
  server.requests.length = 0;
  const github = createGitHubSource({ baseUrl: server.url, ...FAST, ...options });
  const outDir = path.join(temp('gh-build-'), 'out');
  const started = Date.now();
  const result = await build({ config, source: github, outDir, ...extra });
  return { result, github, outDir, requests: [...server.requests], ms: Date.now() - started };
}

/** What a warm rebuild may send: GraphQL batches, and REST requests that were all conditional and all 304. */
function expectOnlyRevalidation(requests: RequestLog[]): void {
  const rest = requests.filter((r) => r.path !== '/graphql');
  expect(requests.filter((r) => r.path.includes('/git/blobs/'))).toEqual([]);
  expect(requests.filter((r) => r.path.includes('/git/trees/'))).toEqual([]);
  expect(rest.filter((r) => r.status === 200)).toEqual([]);
  expect(rest.every((r) => r.conditional && r.status === 304)).toBe(true);
}

function figures(label: string, run: Run): string {
  const k = run.github.stats.byKind;
  const bytes = run.requests.reduce((n, r) => n + r.bytes, 0);
  return `${label}: ${run.requests.length} requests (${k.rest} REST, ${k.graphql} GraphQL, ${k.notModified} x 304, ${k.trees} trees, ${k.blobs} blobs), ${(bytes / 1024).toFixed(0)} KiB, ${run.ms} ms`;
}

describe('warm rebuild of the demo snapshot through the GitHub API', () => {
  const server = useGitHubServer({ snapshotDir: DEMO_SNAPSHOT, token: 'demo-token', anonymousLimit: 5000 });
  let reference: Map<string, string>;
  const config = loadConfig(DEMO_CONFIG);

  beforeAll(async () => {
    const outDir = path.join(temp('demo-snapshot-'), 'out');
    await build({ config, source: createSnapshotSource(DEMO_SNAPSHOT), outDir });
    reference = treeHashes(outDir);
  });

  for (const token of [undefined, 'demo-token']) {
    it(`asks only what changed, ${token ? 'with a token (GraphQL)' : 'without a token'}, and builds the same site`, async () => {
      const cacheDir = temp('demo-cache-');
      const cold = await buildThrough(server, config, { token, cache: openCache(cacheDir) });
      const warm = await buildThrough(server, config, { token, cache: openCache(cacheDir) });
      console.log(`[figures] demo ${token ? 'token' : 'anonymous'} ${figures('cold', cold)}; ${figures('warm', warm)}`);

      expect(cold.result.repositories.failed).toEqual([]);
      expect(cold.github.stats.byKind.blobs).toBeGreaterThan(0);
      expect(treeHashes(cold.outDir)).toEqual(reference);
      expect(treeHashes(warm.outDir)).toEqual(reference);

      expectOnlyRevalidation(warm.requests);
      expect(warm.requests.filter((r) => r.path === '/graphql')).toHaveLength(token ? 1 : 0);
      expect(warm.result.repositories).toMatchObject({ fresh: 0, cached: 6, stale: [], failed: [] });
      expect(warm.github.stats.byKind).toMatchObject({ blobs: 0, trees: 0 });
      expect(warm.result.fetch).toBe(warm.github.stats);
    });
  }

  it('builds the same pages when 10% of the requests fail with 500 (retried)', async () => {
    server.setFault('/repos/**', { kind: 'status', status: 500, probability: 0.1 });
    server.setFault('/orgs/**', { kind: 'status', status: 500, probability: 0.1 });
    const run = await buildThrough(server, config, { retries: 5 });
    const injected = run.requests.filter((r) => r.fault === 'status').length;
    expect(injected).toBeGreaterThan(3);
    expect(run.github.stats.byKind.retries).toBeGreaterThanOrEqual(injected);
    expect(run.result.repositories.failed).toEqual([]);
    expect(treeHashes(run.outDir)).toEqual(reference);
  });

  it('finishes within the timeouts when one repository never answers, reporting it failed, or stale once cached', async () => {
    const cacheDir = temp('hang-cache-');
    await buildThrough(server, config, { cache: openCache(cacheDir) });
    server.setFault('/repos/gen3-demo/query-api{,/**}', 'hang');
    const bounded = { timeoutMs: 300, retries: 1 };

    const uncached = await buildThrough(server, config, bounded);
    // Each build takes 1-4 s here; without the timeouts the hanging repository would stop it for ever.
    expect(uncached.ms).toBeLessThan(30_000);
    expect(uncached.result.repositories.failed.map((f) => f.repo)).toEqual(['gen3-demo/query-api']);
    expect(uncached.result.repositories.failed[0]!.message).toContain('300 ms');
    expect(uncached.result.pages).toBeGreaterThan(0);

    const cached = await buildThrough(server, config, { ...bounded, cache: openCache(cacheDir) });
    expect(cached.ms).toBeLessThan(30_000);
    expect(cached.result.repositories.failed).toEqual([]);
    expect(cached.result.repositories.stale.map((s) => s.repo)).toEqual(['gen3-demo/query-api']);
    // The same site, but for the notice on the stale repository's pages (and the search index of them).
    const stalePage = readFileSync(path.join(cached.outDir, 'services/query-api/index.html'), 'utf8');
    expect(stalePage).toMatch(/class="stale-notice"[^>]*>This page comes from the last good copy of gen3-demo\/query-api/);
    const same = (hashes: Map<string, string>) => new Map([...hashes].filter(([file]) => !file.startsWith('services/query-api/') && !file.startsWith('pagefind/')));
    expect(same(treeHashes(cached.outDir))).toEqual(same(reference));
    expect([...same(treeHashes(cached.outDir)).keys()]).toEqual([...same(reference).keys()]);

    const strict = await buildThrough(server, config, { ...bounded, cache: openCache(cacheDir) }, { strict: true });
    expect(strict.result.published).toBe(false);
    expect(strict.result.report.reason).toMatch(/^--strict: \d+ warnings, 0 failed repositories, 1 stale/);
    expect(strict.result.report.repositories.items.find((r) => r.repo === 'gen3-demo/query-api')?.status).toBe('stale');
  });
});

describe('forty repositories against an anonymous limit of 60 requests', () => {
  let root: string;
  const config = parseConfig({ organizations: [{ org: 'tiny-org', section: 'Services' }] }, 'sources.json');

  beforeAll(() => {
    root = writeTinySnapshot('tiny-org', tinyRepos(40));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops with the rate-limit message when the reset is an hour away, without hanging', async () => {
    const server = await startGitHubServer({ snapshotDir: root, rateLimit: 60 });
    try {
      const started = Date.now();
      const error = await buildThrough(server, config, { maxRateLimitWaitSeconds: 5 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toBeInstanceOf(BuildError);
      expect((error as Error).message).toMatch(/rate limit exhausted until \d{4}-/);
      expect((error as Error).message).toContain('set GITHUB_TOKEN');
      expect(server.requests.filter((r) => r.status === 200).length).toBeLessThanOrEqual(60);
    } finally {
      await server.close();
    }
  });

  it('waits out short windows, and rebuilds within the limit from the cache', async () => {
    const cacheDir = temp('tiny-cache-');
    const shortWindows = await startGitHubServer({ snapshotDir: root, rateLimit: 60, rateLimitWindowSeconds: 1 });
    // The same address again, as GitHub's would be: cached answers are keyed by URL.
    const port = Number(new URL(shortWindows.url).port);
    try {
      const cold = await buildThrough(shortWindows, config, { maxRateLimitWaitSeconds: 5, cache: openCache(cacheDir) });
      expect(cold.result.repositories.loaded).toBe(40);
      expect(cold.github.warnings.join('\n')).toContain('waiting');
    } finally {
      await shortWindows.close();
    }
    const hourly = await startGitHubServer({ snapshotDir: root, rateLimit: 60, port });
    try {
      const warm = await buildThrough(hourly, config, { maxRateLimitWaitSeconds: 5, cache: openCache(cacheDir) });
      expect(warm.result.repositories).toMatchObject({ loaded: 40, cached: 40, failed: [] });
      expectOnlyRevalidation(warm.requests);
      expect(warm.github.stats.rateLimit.core?.remaining).toBe(60);
    } finally {
      await hourly.close();
    }
  });
});

describe('the command line', () => {
  const server = useGitHubServer({ snapshotDir: DEMO_SNAPSHOT, token: 'right-token', anonymousLimit: 5000 });
  const out = () => path.join(temp('cli-'), 'out');

  it('exits 1 with a clear message on a rejected token, after one request', async () => {
    const run = await runCliAsync(['--config', 'examples/sources.json', '--out', out(), '--no-cache'], { env: { GITHUB_API_URL: server.url, GITHUB_TOKEN: 'wrong-token' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('GitHub rejected GITHUB_TOKEN (401 Bad credentials)');
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['refuses connections', async () => `http://127.0.0.1:${await closedPort()}`],
    ['does not resolve', async () => 'http://nonexistent.invalid'],
  ])('fails within seconds, once, with one message naming the API URL, when the API host %s', async (_name, url) => {
    const apiUrl = await url();
    const outDir = out();
    const started = Date.now();
    const run = await runCliAsync(['--config', 'examples/sources.json', '--out', outDir, '--no-cache'], { env: { GITHUB_API_URL: apiUrl, GITHUB_TOKEN: '' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors, run.stderr).toHaveLength(1);
    expect(errors[0]).toContain(`GitHub API at ${apiUrl} cannot be reached`);
    expect(errors[0]).toContain('GITHUB_API_URL');
    expect(errors[0]).toContain('--snapshot');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(outDir)).toBe(false);
  });

  it('keeps a cache between runs, reports the requests, and --strict fails on a failed repository', async () => {
    const cacheDir = temp('cli-cache-');
    const env = { GITHUB_API_URL: server.url, GITHUB_TOKEN: '' };
    const first = await runCliAsync(['--config', 'examples/sources.json', '--out', out(), '--cache', cacheDir], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/GitHub: \d+ requests .* blobs/);
    server.reset();
    const second = await runCliAsync(['--config', 'examples/sources.json', '--out', out(), '--cache', cacheDir], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/repositories +6 \(0 fresh, 6 cached, 0 failed\)/);
    expectOnlyRevalidation(server.requests);

    server.setFault('/repos/gen3-demo/demo-portal{,/**}', 404);
    const lenient = await runCliAsync(['--config', 'examples/sources.json', '--out', out(), '--no-cache'], { env });
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('error: gen3-demo/demo-portal');
    const strict = await runCliAsync(['--config', 'examples/sources.json', '--out', out(), '--no-cache', '--strict'], { env });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^Not published: --strict: \d+ warnings, 1 failed repositories; .* left as it was$/m);
  }, 180_000); // four whole builds of the demo through the command line
});

/**
 * `npm run bench`: builds through the local GitHub-compatible server and prints, per scenario, wall time,
 * pages per second, peak RSS and GitHub requests, with ratios against MkDocs and MkDocs with Material measured in the same run.
 *
 *   corpus cold      the corpus snapshot, empty cache
 *   corpus warm      the same again, nothing changed
 *   one file changed a docs page of uc-cdis/fence edited (new blob, new head commit), warm cache
 *   without API      the corpus cold with `api: false` on every repository: what the API reference pages cost
 *                    (the cold build against it, target <= 1.15, and the api stage's own seconds)
 *   GitHub latency   the corpus cold again with every answer of the GitHub server 100 ms late (--latency MS;
 *                    0 leaves it out): what a cold build waits for when GitHub is a round trip away
 *   synthetic N      a generated organisation of N repositories x 20 pages, cold (two sizes, for growth)
 *   images           one repository of 200 PNG files of 5 MB shown on 20 pages, cold: peak memory must not
 *                    grow with the bytes of the images (they are streamed into out/, never held)
 *   one repository   a generated repository of 1,000 and of 20,000 pages (docs/ folders of 50), cold from a
 *                    snapshot: time and out/ bytes per page must not grow with the size of one section
 *   dev loop         `npm run dev` on the corpus with docs-gen3 as a --local checkout: seconds from saving a
 *                    guide page to the page reloaded with the edit (target <= 1 s)
 *   mkdocs           `mkdocs build` of the same corpus Markdown laid out as docs/<repo>/<path>, plain and (when
 *                    Debian's mkdocs-material is installed) with Material, search and the guides' extensions
 *
 * Options: --corpus DIR (default $CORPUS_DIR or ../shared/corpus), --repos N (default 400), --pages N
 * (default 20), --images N (default 200), --image-mb N (default 5), --repo-pages N,M (default 1000,20000),
 * --latency MS (default 100), --no-corpus, --no-synthetic, --no-images, --no-one-repo, --no-mkdocs, --no-dev.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startGitHubServer, type GitHubServer } from '../test/support/github-server.ts';
import { editSnapshotFile } from '../test/support/snapshot-edit.ts';
import { writeSyntheticImages, writeSyntheticOrg, writeSyntheticRepo } from './synthetic.ts';
import { measureDevLoop } from './dev-loop.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = 'bench-token';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: process.env.CORPUS_DIR ?? path.join(ROOT, '../shared/corpus') },
    repos: { type: 'string', default: '400' },
    pages: { type: 'string', default: '20' },
    images: { type: 'string', default: '200' },
    'image-mb': { type: 'string', default: '5' },
    'no-corpus': { type: 'boolean', default: false },
    'no-synthetic': { type: 'boolean', default: false },
    'no-images': { type: 'boolean', default: false },
    'repo-pages': { type: 'string', default: '1000,20000' },
    'no-one-repo': { type: 'boolean', default: false },
    'no-mkdocs': { type: 'boolean', default: false },
    'no-dev': { type: 'boolean', default: false },
    latency: { type: 'string', default: '100' },
  },
});

interface Row {
  scenario: string;
  seconds: number;
  pages: number;
  rendered?: number;
  rssMiB: number;
  /** CPU seconds (user + system) of the build and its child processes (Pagefind), from /usr/bin/time. */
  cpu?: number;
  /** A peer's MkDocs project folder. */
  work?: string;
  /** Seconds per stage from build-report.json: load, render, compose+export, publish. */
  stages?: string;
  /** Seconds of the api stage (OpenAPI documents parsed and written as pages) from build-report.json. */
  apiSeconds?: number;
  requests?: { total: number; ok: number; notModified: number; blobs: number; graphql: number };
  /** Against plain MkDocs, and against MkDocs with Material. */
  ratio?: number;
  ratioMaterial?: number;
  /** The same ratios of CPU seconds: steadier than wall time on a machine others use too. */
  cpuRatio?: number;
  cpuRatioMaterial?: number;
  target?: string;
  pass?: boolean;
}

/** The Node.js flags of `npm run build`; the synthetic runs add a heap cap (see the README's performance notes). */
const BUILD_FLAGS = ['--max-semi-space-size=32', '--heap-growing-percent=100'];
const CAPPED_FLAGS = ['--max-old-space-size=384', '--max-semi-space-size=16'];

/**
 * On a shared machine wall time follows the load of the moment; CPU time much less. Commands run under
 * /usr/bin/time, when installed, to also get the CPU seconds of a command and of the processes it waited for.
 */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function timed(command: string, args: string[], cpuFile: string): [string, string[]] {
  return TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, command, ...args]] : [command, args];
}

async function cpuSeconds(cpuFile: string): Promise<number | undefined> {
  if (!TIME) return undefined;
  const [user, system] = (await readFile(cpuFile, 'utf8')).trim().split(/\s+/).slice(-2).map(Number);
  return user! + system!;
}

/** Builds through the GitHub-compatible server, or straight from a snapshot folder (no requests to count). */
async function build(scenario: string, from: GitHubServer | { snapshot: string }, config: string, outDir: string, cacheDir: string, flags = BUILD_FLAGS): Promise<Row> {
  const server = 'snapshot' in from ? undefined : from;
  if (server) server.requests.length = 0;
  const resultFile = path.join(path.dirname(outDir), `${path.basename(outDir)}-measure.json`);
  const started = performance.now();
  const sourceArgs = 'snapshot' in from ? ['--snapshot', from.snapshot] : [];
  const githubEnv = server ? { GITHUB_API_URL: server.url, GITHUB_GRAPHQL_URL: server.graphqlUrl, GITHUB_TOKEN: TOKEN } : {};
  const cpuFile = `${resultFile}.cpu`;
  const [command, commandArgs] = timed(process.execPath, [...flags, path.join(ROOT, 'bench/measure.js'), '--', ...sourceArgs, '--config', config, '--out', outDir, '--cache', cacheDir], cpuFile);
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', ...githubEnv, BENCH_RESULT_FILE: resultFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${scenario}: the build exited with ${code}\n${stderr.slice(-2000)}`);
  const measured = JSON.parse(await readFile(resultFile, 'utf8')) as { maxRssKiB: number };
  const report = JSON.parse(await readFile(path.join(outDir, 'build-report.json'), 'utf8')) as {
    pages: { total: number; rendered?: number };
    durations: Record<string, number>;
  };
  const d = report.durations;
  const log = server?.requests;
  return {
    scenario,
    seconds,
    pages: report.pages.total,
    rendered: report.pages.rendered,
    rssMiB: measured.maxRssKiB / 1024,
    cpu: await cpuSeconds(cpuFile),
    stages: [d.load, d.catalog! + d.render!, d.compose! + d.export!, d.publish].map((n) => (n ?? 0).toFixed(1)).join(' / '),
    apiSeconds: d.api,
    requests: log && {
      total: log.length,
      ok: log.filter((r) => r.status === 200).length,
      notModified: log.filter((r) => r.status === 304).length,
      blobs: log.filter((r) => r.status === 200 && r.path.includes('/git/blobs/')).length,
      graphql: log.filter((r) => r.path === '/graphql').length,
    },
  };
}

/** The MkDocs peers, built from the same corpus Markdown in the same run. */
interface Peers {
  /** MkDocs with its default theme and no extensions. */
  mkdocs: Row;
  /** MkDocs with the Material theme, its search plugin and the guide site's `markdown_extensions`. */
  material?: Row;
}

/** The `markdown_extensions` block of a `mkdocs.yml`, as written (tags such as `!!python/name:` kept). */
function markdownExtensions(mkdocsYml: string): string {
  const lines = mkdocsYml.split('\n');
  const start = lines.findIndex((l) => /^markdown_extensions:/.test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^[^\s#-]/.test(l));
  return `${lines.slice(start, end < 0 ? undefined : end).join('\n')}\n`;
}

/** Wall and CPU seconds of one `mkdocs build` in `work`. */
async function mkdocsBuild(work: string): Promise<{ seconds: number; cpu?: number }> {
  const started = performance.now();
  const cpuFile = path.join(work, 'cpu.txt');
  const run = spawnSync(...timed('mkdocs', ['build', '-q', '-d', path.join(work, 'site')], cpuFile), { cwd: work, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mkdocs build in ${work} failed: ${run.stderr}`);
  return { seconds: (performance.now() - started) / 1000, cpu: await cpuSeconds(cpuFile) };
}

/**
 * Builds each peer again and keeps its faster run: once before the corpus builds and once after, so that a
 * burst of load from others on the machine weighs on both sides alike.
 */
async function rerunPeers(peers: Peers): Promise<void> {
  for (const row of [peers.mkdocs, peers.material]) {
    if (!row?.work) continue;
    const again = await mkdocsBuild(row.work);
    if (again.seconds < row.seconds) Object.assign(row, again);
  }
}

/** Whether MkDocs knows the Material theme (Debian's `mkdocs-material` installs it beside MkDocs). */
function hasMaterial(): boolean {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const run = spawnSync(python, ['-c', 'import mkdocs.utils; print(" ".join(mkdocs.utils.get_theme_names()))'], { encoding: 'utf8' });
  return run.status === 0 && run.stdout.split(/\s+/).includes('material');
}

/**
 * The corpus Markdown as MkDocs would take it (docs/<repo>/<path>), built by plain MkDocs and, when installed,
 * by MkDocs with Material as docs.gen3.org is: the guides' own `markdown_extensions`, the search plugin.
 */
async function mkdocs(snapshot: string, work: string): Promise<Peers | undefined> {
  if (args['no-mkdocs'] || spawnSync('mkdocs', ['--version']).status !== 0) return undefined;
  const plain = path.join(work, 'plain');
  const docs = path.join(plain, 'docs');
  let files = 0;
  for (const owner of await readdir(snapshot)) {
    for (const repo of await readdir(path.join(snapshot, owner))) {
      const from = path.join(snapshot, owner, repo, 'files');
      const walk = async (dir: string): Promise<void> => {
        for (const name of await readdir(dir)) {
          const full = path.join(dir, name);
          if ((await stat(full)).isDirectory()) await walk(full);
          else if (/\.(md|markdown|mdx)$/i.test(name)) {
            const target = path.join(docs, repo, path.relative(from, full));
            await mkdir(path.dirname(target), { recursive: true });
            await cp(full, target);
            files++;
          }
        }
      };
      if (existsSync(from)) await walk(from);
    }
  }
  await writeFile(path.join(plain, 'mkdocs.yml'), 'site_name: Gen3 corpus\n');
  const peers: Peers = { mkdocs: { scenario: `mkdocs build (${files} files)`, ...(await mkdocsBuild(plain)), pages: files, rssMiB: NaN, work: plain } };
  const guides = path.join(snapshot, 'uc-cdis/docs-gen3/files/mkdocs.yml');
  if (hasMaterial()) {
    const material = path.join(work, 'material');
    await mkdir(material, { recursive: true });
    await cp(docs, path.join(material, 'docs'), { recursive: true });
    const extensions = existsSync(guides) ? markdownExtensions(await readFile(guides, 'utf8')) : '';
    await writeFile(path.join(material, 'mkdocs.yml'), `site_name: Gen3 corpus\ntheme:\n  name: material\nplugins:\n  - search\n${extensions}`);
    const named = extensions ? 'docs.gen3.org\'s markdown_extensions' : 'no extensions: the corpus has no guides mkdocs.yml';
    peers.material = { scenario: `mkdocs build, Material theme, search, ${named} (${files} files)`, ...(await mkdocsBuild(material)), pages: files, rssMiB: NaN, work: material };
  }
  return peers;
}

function table(rows: Row[]): string {
  const head = ['scenario', 'wall s', 'CPU s', 'load / render / compose / publish s', 'pages', 'rendered', 'pages/s', 'peak RSS MiB', 'GitHub requests (200 / 304 / blobs / graphql)', 'x MkDocs', 'x Material', 'CPU x MkDocs', 'CPU x Material', 'target (wall)', 'met'];
  const body = rows.map((r) => [
    r.scenario,
    r.seconds.toFixed(2),
    r.cpu === undefined ? '' : r.cpu.toFixed(2),
    r.stages ?? '',
    String(r.pages),
    r.rendered === undefined ? '' : String(r.rendered),
    (r.pages / r.seconds).toFixed(0),
    Number.isNaN(r.rssMiB) ? '' : r.rssMiB.toFixed(0),
    r.requests ? `${r.requests.total} (${r.requests.ok} / ${r.requests.notModified} / ${r.requests.blobs} / ${r.requests.graphql})` : '',
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.ratioMaterial === undefined ? '' : r.ratioMaterial.toFixed(2),
    r.cpuRatio === undefined ? '' : r.cpuRatio.toFixed(2),
    r.cpuRatioMaterial === undefined ? '' : r.cpuRatioMaterial.toFixed(2),
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The corpus scenarios (into `rows`) and the MkDocs peer they are compared with. */
async function corpusRows(corpusSnapshot: string, work: string, rows: Row[]): Promise<Peers | undefined> {
  // The corpus, copied so that one file of it can be changed later.
  const snapshot = path.join(work, 'corpus');
  await cp(corpusSnapshot, snapshot, { recursive: true });
  const peer = await mkdocs(snapshot, path.join(work, 'mkdocs'));
  const server = await startGitHubServer({ snapshotDir: snapshot, token: TOKEN, rateLimit: 1_000_000 });
  try {
    const config = path.join(ROOT, 'sources.json');
    const cache = path.join(work, 'cache');
    const out = path.join(work, 'out');
    rows.push(await build('corpus cold (empty cache)', server, config, out, cache));
    // The same cold build with no API reference page: sources.json with `api: false` on every repository.
    const sources = JSON.parse(await readFile(config, 'utf8')) as { $schema?: string; repositories: Record<string, unknown>[] };
    const noApiConfig = path.join(work, 'sources-no-api.json');
    await writeFile(noApiConfig, JSON.stringify({ ...sources, $schema: undefined, repositories: sources.repositories.map((r) => ({ ...r, api: false })) }));
    const noApi = await build('corpus cold without API pages (api: false)', server, noApiConfig, path.join(work, 'out-no-api'), path.join(work, 'cache-no-api'));
    rows.push(await build('corpus warm (nothing changed)', server, config, out, cache));
    // As a scheduled CI job runs: the cache restored, out/ new.
    rows.push(await build('corpus warm, empty out/ (CI)', server, config, path.join(work, 'out-ci'), cache));
    await editSnapshotFile(snapshot, 'uc-cdis/fence', 'docs/additional_documentation/user.yaml_guide.md', (t) => t.replace(/\n## /, '\nOne more sentence.\n\n## '));
    server.reset();
    rows.push(await build('corpus, one file changed', server, config, out, cache));
    rows.push(noApi);
    const latency = Number(args.latency);
    if (latency > 0) {
      // As a CI runner reaches GitHub: every answer late by about a round trip. The cold build then waits more
      // than it works, unless requests overlap (images are fetched ahead of the pages that show them).
      server.reset();
      const late = server.setFault(() => true, { kind: 'delay', delayMs: latency });
      rows.push(await build(`corpus cold, every GitHub answer ${latency} ms late`, server, config, path.join(work, 'out-late'), path.join(work, 'cache-late')));
      late.remove();
    }
  } finally {
    await server.close();
  }
  if (peer) await rerunPeers(peer);
  return peer;
}

/**
 * The writers' loop on the corpus copy: docs-gen3 as a --local Git checkout, a guide page saved five times,
 * each timed from the save to the page served again with the edit.
 */
async function devLoopLine(work: string): Promise<string> {
  const checkout = path.join(work, 'dev-docs-gen3');
  await cp(path.join(work, 'corpus/uc-cdis/docs-gen3/files'), checkout, { recursive: true });
  for (const gitArgs of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', 'commit', '-q', '-m', 'corpus']]) {
    spawnSync('git', ['-C', checkout, ...gitArgs], { stdio: 'ignore' });
  }
  const result = await measureDevLoop({
    checkout, repo: 'uc-cdis/docs-gen3', page: 'docs/blog/posts/gen3-laptop.md', url: 'guides/blog/posts/gen3-laptop/',
    buildArgs: ['--snapshot', path.join(work, 'corpus'), '--config', path.join(ROOT, 'sources.json'), '--out', path.join(work, 'out-dev'), '--cache', path.join(work, 'cache')],
  });
  const each = result.reloads.map((s) => s.toFixed(2)).join(', ');
  return `dev loop (npm run dev, docs-gen3 --local, 5 saves): save to reloaded page ${each} s; median ${result.median.toFixed(2)} s, target <= 1 s: ${result.median <= 1 ? 'met' : 'NOT met'}; first build ${result.firstBuild.toFixed(1)} s`;
}

/** Bytes of every file under `dir`. */
async function folderBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}

interface SizeRow {
  pages: number;
  seconds: number;
  outBytes: number;
  rssMiB: number;
  stages: string;
}

/** One repository of each size, cold from a snapshot: what one section of N pages costs per page. */
async function oneRepository(work: string): Promise<string> {
  const sizes = args['repo-pages']!.split(',').map(Number);
  const rows: SizeRow[] = [];
  for (const pages of sizes) {
    const dir = path.join(work, `repo-${pages}`);
    const config = await writeSyntheticRepo(dir, pages);
    const out = path.join(work, `out-repo-${pages}`);
    const row = await build(`one repository, ${pages} pages`, { snapshot: dir }, config, out, path.join(work, `cache-repo-${pages}`));
    rows.push({ pages: row.pages, seconds: row.seconds, outBytes: await folderBytes(out), rssMiB: row.rssMiB, stages: row.stages ?? '' });
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
  const head = ['one repository', 'wall s', 'load / render / compose / publish s', 's per page', 'out/ bytes', 'out/ bytes per page', 'peak RSS MiB', 'target', 'met'];
  const first = rows[0]!;
  const body = rows.map((r, i) => {
    const perPage = r.seconds / r.pages;
    const bytesPerPage = r.outBytes / r.pages;
    const timeGrowth = perPage / (first.seconds / first.pages);
    const bytesGrowth = bytesPerPage / (first.outBytes / first.pages);
    const last = i === rows.length - 1 && i > 0;
    return [
      `${r.pages} pages`,
      r.seconds.toFixed(1),
      r.stages,
      `${(perPage * 1000).toFixed(1)} ms${i ? ` (x${timeGrowth.toFixed(2)})` : ''}`,
      String(r.outBytes),
      `${bytesPerPage.toFixed(0)}${i ? ` (x${bytesGrowth.toFixed(2)})` : ''}`,
      r.rssMiB.toFixed(0),
      last ? 'per page <= x1.3, < 1024 MiB' : '',
      last ? (timeGrowth <= 1.3 && bytesGrowth <= 1.3 && r.rssMiB < 1024 ? 'yes' : 'NO') : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const corpusSnapshot = path.join(args.corpus!, 'github');
  if (!args['no-corpus'] && !existsSync(corpusSnapshot)) throw new Error(`no corpus at ${args.corpus}: pass --corpus DIR or set CORPUS_DIR (or --no-corpus)`);
  const work = await mkdtemp(path.join(tmpdir(), 'gen3-docs-bench-'));
  const rows: Row[] = [];
  let peers: Peers | undefined;
  try {
    if (!args['no-corpus']) peers = await corpusRows(corpusSnapshot, work, rows);
    const devLoop = args['no-corpus'] || args['no-dev'] ? undefined : await devLoopLine(work);
    if (!args['no-synthetic']) {
      const pages = Number(args.pages);
      for (const repos of [Math.round(Number(args.repos) / 2), Number(args.repos)]) {
        const dir = path.join(work, `synthetic-${repos}`);
        const config = await writeSyntheticOrg(dir, repos, pages);
        const synthetic = await startGitHubServer({ snapshotDir: dir, token: TOKEN, rateLimit: 1_000_000 });
        try {
          const args = [synthetic, config, path.join(work, `out-synthetic-${repos}`), path.join(work, `cache-synthetic-${repos}`)] as const;
          rows.push(await build(`synthetic ${repos} x ${pages} pages, cold, heap capped at 384 MiB`, ...args, CAPPED_FLAGS));
        } finally {
          await synthetic.close();
        }
        await rm(dir, { recursive: true, force: true });
      }
    }
    if (!args['no-images']) {
      // A tenth of the images, then all: peak memory must stay the same while the bytes grow tenfold.
      const mb = Number(args['image-mb']);
      const sized: Row[] = [];
      for (const images of [Math.max(1, Math.round(Number(args.images) / 10)), Number(args.images)]) {
        const dir = path.join(work, `images-${images}`);
        const config = await writeSyntheticImages(dir, images, mb * 1_000_000);
        const server = await startGitHubServer({ snapshotDir: dir, token: TOKEN, rateLimit: 1_000_000 });
        try {
          const out = path.join(work, `out-images-${images}`);
          const row = await build(`${images} images x ${mb} MB on ${Math.ceil(images / 10)} pages, cold`, server, config, out, path.join(work, `cache-images-${images}`));
          row.pass = (await readdir(path.join(out, 'assets/files'))).length === images;
          sized.push(row);
        } finally {
          await server.close();
        }
        await rm(dir, { recursive: true, force: true });
      }
      const [small, large] = sized as [Row, Row];
      large.target = 'RSS within 1.2x of a tenth';
      large.pass = large.pass! && large.rssMiB < 1.2 * small.rssMiB;
      small.target = 'all published';
      rows.push(small, large);
    }
    const oneRepo = args['no-one-repo'] ? undefined : await oneRepository(work);
    let apiLine: string | undefined;
    if (!args['no-corpus']) {
      const [cold, noApi] = [rows[0]!, rows[4]!];
      const ratio = cold.seconds / noApi.seconds;
      const cpuRatio = cold.cpu !== undefined && noApi.cpu ? ` (CPU ${(cold.cpu / noApi.cpu).toFixed(2)})` : '';
      noApi.target = 'cold <= 1.15 x this';
      noApi.pass = ratio <= 1.15;
      apiLine = `API reference pages: corpus cold ${cold.seconds.toFixed(1)} s, without them ${noApi.seconds.toFixed(1)} s: ${ratio.toFixed(2)} x${cpuRatio}, target <= 1.15: ${noApi.pass ? 'met' : 'NOT met'}; api stage ${(cold.apiSeconds ?? 0).toFixed(2)} s of the cold build`;
    }
    if (peers) {
      const [cold, warm, ci, changed] = rows as [Row, Row, Row, Row];
      const { mkdocs: plain, material } = peers;
      for (const row of [cold, warm, ci, changed]) {
        row.ratio = row.seconds / plain.seconds;
        if (material) row.ratioMaterial = row.seconds / material.seconds;
        if (row.cpu !== undefined && plain.cpu) row.cpuRatio = row.cpu / plain.cpu;
        if (row.cpu !== undefined && material?.cpu) row.cpuRatioMaterial = row.cpu / material.cpu;
      }
      // Cold: at Material's pace (plain MkDocs when Material is not installed), within the memory budget.
      const coldRatio = cold.ratioMaterial ?? cold.ratio!;
      cold.target = `<= 1.00 x ${material ? 'Material' : 'MkDocs'}, < 500 MiB`;
      cold.pass = coldRatio <= 1 && cold.rssMiB < 500;
      warm.target = '<= 0.10 x MkDocs, 0 blobs';
      warm.pass = warm.ratio! <= 0.1 && warm.requests!.blobs === 0;
      changed.target = '<= 0.30 x MkDocs, 1 page rendered';
      changed.pass = changed.ratio! <= 0.3 && changed.rendered === 1;
      rows.push(plain);
      if (material) rows.push(material);
    }
    const synthetic = rows.filter((r) => r.scenario.startsWith('synthetic'));
    if (synthetic.length === 2) {
      const [small, large] = synthetic as [Row, Row];
      large.target = 'linear, < 500 MiB';
      const growth = large.seconds / small.seconds / (large.pages / small.pages);
      large.pass = growth < 1.3 && large.rssMiB < 500;
      large.scenario += ` (time per page x${growth.toFixed(2)} of the half size)`;
    }
    if (rows.length) console.log(table(rows));
    if (apiLine) console.log(`\n${apiLine}`);
    if (devLoop) console.log(`\n${devLoop}`);
    if (oneRepo) console.log(`${rows.length ? '\n' : ''}${oneRepo}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();

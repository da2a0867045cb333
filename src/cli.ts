/** Command line: `npm run build -- [options]`. Exit codes: 0 built, 1 build failed, 2 usage or config error. */
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config/load.ts';
import { build, BuildError, type BuildOptions, type ProgressEvent } from './build.ts';
import { createSnapshotSource } from './sources/snapshot.ts';
import { DEFAULT_GITHUB_API_URL, type GitHubStats } from './sources/github-types.ts';
import { DEFAULT_CACHE_DIR, openCache } from './sources/cache.ts';
import { CacheFolderError, claimCacheFolder } from './cache/folder.ts';
import { outFolderProblem } from './publish/out-folder.ts';
import type { Config } from './config/types.ts';
import type { ContentSource } from './sources/types.ts';
import { isRuleId, RULES, type RuleId } from './core/warning.ts';
import { githubAnnotations, summary, textWarnings } from './report/format.ts';
import { removeStagingNow } from './publish/write.ts';
import { findChromium } from './publish/diagram-browser.ts';

const HELP = `Usage: npm run build -- [options]

Builds the docs bundle described by sources.json into out/.

Options:
  --config FILE      configuration file (default: sources.json)
  --out DIR          output folder (default: out); replaced as a whole, so an existing folder with files
                     must be an earlier bundle (its manifest.json has bundleVersion)
  --snapshot DIR     read repositories from a snapshot folder instead of GitHub
  --only OWNER/REPO  build only this repository (repeatable); release notes and guides are kept, and
                     their warnings only counted
  --local OWNER/REPO=DIR
                     read this repository from the working tree of a local Git checkout: edited, staged
                     and untracked files, minus what .gitignore excludes (repeatable); the others come
                     from GitHub or --snapshot
  --base-url PATH    path the site is served under, e.g. /docs/ (overrides site.baseUrl; used by 404.html
                     and the sitemap, every other link is relative)
  --site-url URL     public address of the site, e.g. https://docs.example.org/docs/ (overrides site.origin,
                     and site.baseUrl when it has a path); without an origin no sitemap.xml is written
  --no-search        skip the search index
  --no-build-diagrams
                     leave mermaid diagrams to the reader's browser instead of drawing them at build time
                     in Chromium (CHROMIUM_PATH, else /usr/bin/chromium; without one they are left anyway)
  --strict           fail (exit 1) on any warning, failed repository or stale cached copy, and keep the
                     previous out/
  --allow RULE       with --strict, warnings of this rule (e.g. broken-anchor; the README lists them) are
                     reported but do not fail the build (repeatable)
  --report-format F  how warnings are printed: text (default; grouped by repository and category, at
                     most 10 of each) or github (workflow annotations); the report keeps them all
  --no-markdown      skip the Markdown export (out/md/)
  --cache DIR        keep GitHub answers, file contents, each repository's last good state and rendered
                     pages here, so rebuilds do only what changed (default: .cache; safe to delete); must
                     be new, empty, or a cache this tool made (it writes a VERSION file into it)
  --no-cache         neither read nor write the cache
  --workers N        render in N worker threads (default: automatic, none below 4 cores)
  --max-asset-size SIZE
                     largest image published into the bundle, e.g. 10M, 500K or bytes (default 10M);
                     a larger one is linked to GitHub with a warning
  -h, --help         show this help

Environment:
  GITHUB_API_URL     GitHub REST API base URL (default ${DEFAULT_GITHUB_API_URL})
  GITHUB_GRAPHQL_URL GitHub GraphQL URL (default <GITHUB_API_URL>/graphql; <host>/api/graphql for
                     GitHub Enterprise's <host>/api/v3)
  GITHUB_TOKEN       token for GitHub requests (optional; raises the rate limit, enables GraphQL batches)

The build report goes to OUT/build-report.json, or beside OUT when nothing was published.

Exit codes: 0 built, 1 build failed (or --strict found warnings), 2 usage or configuration error.`;

export class UsageError extends Error {}

/** The build's options, for parseArgs; `npm run dev` takes the same ones plus its own. */
export const BUILD_OPTIONS = {
  config: { type: 'string', default: 'sources.json' },
  out: { type: 'string', default: 'out' },
  snapshot: { type: 'string' },
  only: { type: 'string', multiple: true },
  local: { type: 'string', multiple: true },
  'base-url': { type: 'string' },
  'site-url': { type: 'string' },
  'no-search': { type: 'boolean' },
  'no-build-diagrams': { type: 'boolean' },
  strict: { type: 'boolean', default: false },
  allow: { type: 'string', multiple: true },
  'report-format': { type: 'string', default: 'text' },
  'no-markdown': { type: 'boolean', default: false },
  cache: { type: 'string', default: DEFAULT_CACHE_DIR },
  'no-cache': { type: 'boolean', default: false },
  workers: { type: 'string' },
  'max-asset-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type BuildArgs = ReturnType<typeof parse>;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: BUILD_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help to see the options.`);
  }
}

/** The folder of this tool (templates, sources.schema.json), which an output folder must never replace. */
const TOOL_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]+$/, '');

/**
 * Refuses output folders whose replacement would delete the project or anything above it: the current folder,
 * this tool, and the inputs of the build (`guarded`: the config file, the snapshot, local checkouts, the cache);
 * and any existing folder with files that is not an earlier bundle (publish/out-folder.ts).
 */
export function checkOutDir(outDir: string, cwd = process.cwd(), guarded: string[] = []): void {
  const out = path.resolve(cwd, outDir);
  if (out === path.parse(out).root) throw new UsageError(`--out ${outDir}: refusing to use the file-system root as output folder`);
  const contains = (inner: string) => {
    const rel = path.relative(out, inner);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (contains(cwd)) {
    throw new UsageError(`--out ${outDir}: the output folder would contain the current folder (${cwd}) and is replaced on every build; choose a folder of its own, e.g. out`);
  }
  for (const inner of [TOOL_ROOT, ...guarded.map((g) => path.resolve(cwd, g))]) {
    if (contains(inner)) {
      throw new UsageError(`--out ${outDir}: the output folder would contain ${inner} and is replaced on every build; choose a folder of its own, e.g. out`);
    }
  }
  const problem = outFolderProblem(out);
  if (problem) throw new UsageError(`--out ${outDir}: ${problem}`);
}

/** Makes the cache folder ready before any work; one this tool did not make is refused (cache/folder.ts). */
function claimCache(dir: string): void {
  try {
    const claimed = claimCacheFolder(dir);
    if (claimed.note) process.stderr.write(`warning: ${claimed.note}\n`);
  } catch (error) {
    if (error instanceof CacheFolderError) throw new UsageError(`--cache ${dir}: ${error.message}`);
    throw new UsageError(`--cache ${dir}: cannot be used (${(error as Error).message}); choose another folder, or build with --no-cache`);
  }
}

function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,2}$/.test(value)) throw new UsageError(`--workers ${value}: expected a number of threads from 0 to 99`);
  return Number(value);
}

/** `--max-asset-size 10M` (K, M, G: binary multiples; an optional B or iB after them) to bytes. */
export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?$/i.exec(value.trim());
  const bytes = m ? Math.floor(Number(m[1]) * 1024 ** ' KMG'.indexOf(m[2]!.toUpperCase() || ' ')) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) throw new UsageError(`--max-asset-size ${value}: expected a size such as 10M, 500K or a number of bytes`);
  return bytes;
}

/**
 * `--local owner/name=DIR` values to a map of checkouts. Each must name a repository this build reads (listed,
 * kept by --only, the guides or the release notes, or in an organisation that discovery lists) and a folder
 * that is a Git checkout with a commit: a preview that silently shows the published copy instead is worse
 * than none.
 */
async function parseLocal(values: string[], config: Config, only: string[] | undefined): Promise<Map<string, string>> {
  const checkouts = new Map<string, string>();
  const services = only ?? config.repositories.map((r) => r.repo);
  const read = new Set([...services, config.guides?.repo, config.releaseNotes?.repo].flatMap((r) => (r ? [r.toLowerCase()] : [])));
  const orgs = new Set(only ? [] : (config.organizations ?? []).map((o) => o.org.toLowerCase()));
  for (const value of values) {
    const m = /^([^=\s]+\/[^=\s]+)=(.+)$/.exec(value);
    if (!m) throw new UsageError(`--local ${value}: expected OWNER/REPO=DIR, e.g. --local uc-cdis/fence=../fence`);
    const repo = m[1]!.toLowerCase();
    if (!read.has(repo) && !orgs.has(repo.split('/')[0]!)) {
      const scope = only ? `this build (--only ${only.join(', ')}, the guides and the release notes)` : config.file;
      throw new UsageError(`--local ${value}: ${m[1]} is not a repository of ${scope}; check the name`);
    }
    if (checkouts.has(repo)) throw new UsageError(`--local ${value}: ${m[1]} is given twice`);
    const { openCheckout } = await import('./sources/local.ts');
    try {
      checkouts.set(repo, (await openCheckout(path.resolve(m[2]!))).root);
    } catch (error) {
      throw new UsageError(`--local ${value}: ${(error as Error).message}`);
    }
  }
  return checkouts;
}

/** --site-url and --base-url override the config's site.origin and site.baseUrl. */
export function applySiteOptions(site: { baseUrl: string; origin?: string }, siteUrl?: string, baseUrl?: string): void {
  if (siteUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(siteUrl);
    } catch {
      throw new UsageError(`--site-url ${siteUrl}: not a URL; expected e.g. https://docs.example.org/`);
    }
    if (!/^https?:$/.test(url.protocol) || url.search || url.hash) throw new UsageError(`--site-url ${siteUrl}: expected an http(s) URL without query or fragment`);
    site.origin = url.origin;
    if (url.pathname !== '/') site.baseUrl = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  }
  if (baseUrl !== undefined) {
    const normalized = `/${baseUrl.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
    if (!/^\/([^\s?#]*\/)?$/.test(normalized)) throw new UsageError(`--base-url ${baseUrl}: expected a path such as /docs/`);
    site.baseUrl = normalized;
  }
}

function progressPrinter(): (event: ProgressEvent) => void {
  const tty = process.stderr.isTTY && !process.env.CI;
  return (event) => {
    if (event.stage === 'discover') {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}organisations: ${event.repositories} repositories, ${event.added.length} discovered beyond the listed ones\n`);
    } else if (event.stage === 'load') {
      const note = event.failed ? ` failed: ${event.failed}` : event.stale !== undefined ? ` stale (cached copy used): ${event.stale}` : '';
      const line = `[${event.done}/${event.total}] ${event.repo}${note}`;
      if (tty && !note) process.stderr.write(`\r\x1b[K${line}`);
      else process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
    } else if (event.stage === 'render' && tty) {
      process.stderr.write(`\r\x1b[Krendering ${event.done}/${event.total}`);
    } else if (event.stage === 'compose') {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}composing ${event.pages} pages\n`);
    } else if (event.stage === 'publish' && tty) {
      process.stderr.write('\r\x1b[K');
    }
  };
}

/** One line of request counts for the build log. */
export function fetchSummary(stats: GitHubStats): string {
  const k = stats.byKind;
  // REST and GraphQL have separate budgets; a build that only sent GraphQL shows that one.
  const limits = (['core', 'graphql'] as const).flatMap((resource) => {
    const state = stats.rateLimit[resource];
    if (!state) return [];
    return [`${resource === 'core' ? 'rate limit' : 'GraphQL rate limit'} ${state.remaining}/${state.limit} left until ${new Date(state.reset * 1000).toISOString()}`];
  });
  const limit = limits.length ? `; ${limits.join(', ')}` : '';
  return (
    `GitHub: ${stats.requests} requests (${k.rest} REST, ${k.graphql} GraphQL; ${k.conditional} conditional, ${k.notModified} not modified; ` +
    `${k.trees} trees, ${k.blobs} blobs; ${k.retries} retries), ${(stats.bytes / 1024).toFixed(0)} KiB received${limit}`
  );
}

/**
 * SIGINT and SIGTERM stop the build at once and leave out/ as it was: the staging folder the publish step
 * writes (".<out>-staging-<pid>" beside out/) is removed (a large one after the exit, see removeStagingNow),
 * and a swap caught between its two renames is undone.
 * Exit codes 130 and 143, as a shell reports a process killed by those signals.
 */
function stopOnSignals(outDir: string): () => void {
  const out = path.resolve(outDir);
  const staging = path.join(path.dirname(out), `.${path.basename(out)}-staging-${process.pid}`);
  const previous = path.join(path.dirname(out), `.${path.basename(out)}-previous`);
  const handler = (signal: NodeJS.Signals) => {
    try {
      // File operations already handed to libuv's thread pool (a mkdir -p of a staging subfolder) finish on
      // their own: wait for them with the main thread blocked, so that none starts anew, then clean up.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      if (!existsSync(out) && existsSync(previous)) renameSync(previous, out);
      removeStagingNow(staging, 500);
    } finally {
      process.stderr.write(`\ninterrupted (${signal}): build stopped, ${outDir} left as it was\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

function parseRules(names: string[]): RuleId[] {
  for (const name of names) {
    if (!isRuleId(name)) throw new UsageError(`--allow ${name}: no such rule; the rules are ${Object.keys(RULES).join(', ')}`);
  }
  return names as RuleId[];
}

/** A build the command line asked for, checked: what is wrong stops it before anything is fetched or written. */
export interface PreparedBuild {
  options: BuildOptions;
  format: 'text' | 'github';
  only?: string[];
  /** The repositories read from local checkouts, by "owner/name" (lower case), and their folders. */
  checkouts: Map<string, string>;
  /** Where every other repository comes from. */
  remote: ContentSource;
}

/** Checks the options and the configuration; throws UsageError or ConfigError (exit code 2). */
export async function prepareBuild(args: BuildArgs): Promise<PreparedBuild> {
  const format = args['report-format'];
  if (format !== 'text' && format !== 'github') throw new UsageError(`--report-format ${format}: expected text or github`);
  const allowRules = parseRules(args.allow ?? []);
  const maxAssetBytes = parseSize(args['max-asset-size']);
  const localDirs = (args.local ?? []).map((v) => v.slice(v.indexOf('=') + 1));
  const cacheDir = args['no-cache'] ? undefined : args.cache!;
  checkOutDir(args.out!, process.cwd(), [args.config!, ...(args.snapshot ? [args.snapshot] : []), ...localDirs, ...(cacheDir ? [cacheDir] : [])]);
  const config = loadConfig(args.config!);
  applySiteOptions(config.site, args['site-url'], args['base-url']);
  // Discovered repositories are only known after listing the organisations; build() checks those.
  for (const repo of config.organizations?.length ? [] : (args.only ?? [])) {
    if (!config.repositories.some((r) => r.repo.toLowerCase() === repo.toLowerCase())) {
      throw new UsageError(`--only ${repo}: not a repository of ${args.config}`);
    }
  }
  const checkouts = await parseLocal(args.local ?? [], config, args.only);
  const workers = parseWorkers(args.workers);
  // Last of the checks that exit with 2, as it writes the cache's marker file.
  if (cacheDir) claimCache(cacheDir);
  const cache = !cacheDir || args.snapshot ? undefined : openCache(cacheDir, { onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
  // The GitHub client and the local-checkout reader are loaded only when a build reads from them.
  const remote = args.snapshot ? createSnapshotSource(args.snapshot) : (await import('./sources/github.ts')).createGitHubSource({ cache });
  const source = checkouts.size ? (await import('./sources/local.ts')).createLocalSource(checkouts, remote) : remote;
  return {
    format, only: args.only, checkouts, remote,
    options: {
      config, source, outDir: args.out!, only: args.only, strict: args.strict, allowRules, markdown: !args['no-markdown'],
      workers, maxAssetBytes, search: !args['no-search'], cacheDir, diagramBrowser: args['no-build-diagrams'] ? undefined : findChromium(),
    },
  };
}

/** Runs a prepared build and prints its warnings and summary; true when it published. */
export async function runBuild(prepared: PreparedBuild, options: Partial<BuildOptions> = {}): Promise<boolean> {
  const { format, only, remote } = prepared;
  const release = stopOnSignals(prepared.options.outDir);
  const result = await build({ ...prepared.options, onProgress: progressPrinter(), ...options }).finally(release);
  const relative = path.relative(process.cwd(), result.reportPath);
  const reportPath = relative && !relative.startsWith('..') ? relative : result.reportPath;
  if (format === 'github') {
    // Workflow commands are read from stdout.
    for (const line of githubAnnotations(result.report, process.env.GITHUB_REPOSITORY, only)) process.stdout.write(`${line}\n`);
  } else {
    for (const line of textWarnings(result.report, { reportPath, only })) process.stderr.write(`${line}\n`);
  }
  process.stdout.write(`${summary(result.report, result.outDir, reportPath)}\n`);
  if (remote.kind === 'github') process.stdout.write(`${fetchSummary((remote as unknown as { stats: GitHubStats }).stats)}\n`);
  return result.published;
}

/** Prints what stopped a build and gives its exit code: 2 for usage and configuration errors, else 1. */
export function reportFailure(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof BuildError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`error: build failed: ${(error as Error).stack ?? error}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parse(argv);
    if (args.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    return (await runBuild(await prepareBuild(args))) ? 0 : 1;
  } catch (error) {
    return reportFailure(error);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

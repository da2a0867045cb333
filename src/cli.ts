/** Command line: `npm run build -- [options]`. Exit codes: 0 built, 1 build failed, 2 usage or config error. */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config/load.ts';
import { build, type ProgressEvent } from './build.ts';
import { createSnapshotSource } from './sources/snapshot.ts';
import { createGitHubSource } from './sources/github.ts';
import { createLocalSource } from './sources/local.ts';

const HELP = `Usage: npm run build -- [options]

Builds the docs bundle described by sources.json into out/.

Options:
  --config FILE      configuration file (default: sources.json)
  --out DIR          output folder (default: out)
  --snapshot DIR     read repositories from a snapshot folder instead of GitHub
  --only OWNER/REPO  build only this repository (repeatable); release notes and guides are kept
  --local OWNER/REPO=DIR
                     read this repository from a local Git checkout, working-tree edits included
                     (repeatable); the others come from GitHub or --snapshot
  --base-url PATH    path the site is served under, e.g. /docs/ (overrides site.baseUrl; used by 404.html
                     and the sitemap, every other link is relative)
  --site-url URL     public address of the site, e.g. https://docs.example.org/docs/ (overrides site.origin,
                     and site.baseUrl when it has a path); without an origin no sitemap.xml is written
  --no-search        skip the search index
  -h, --help         show this help

Environment:
  GITHUB_API_URL     GitHub REST API base URL (default https://api.github.com)
  GITHUB_TOKEN       token for GitHub requests (optional; raises the rate limit)

Exit codes: 0 built, 1 build failed, 2 usage or configuration error.`;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        config: { type: 'string', default: 'sources.json' },
        out: { type: 'string', default: 'out' },
        snapshot: { type: 'string' },
        only: { type: 'string', multiple: true },
        local: { type: 'string', multiple: true },
        'base-url': { type: 'string' },
        'site-url': { type: 'string' },
        'no-search': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help to see the options.`);
  }
}

/** The folder of this tool (templates, sources.schema.json), which an output folder must never replace. */
const TOOL_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]+$/, '');

/**
 * Refuses output folders whose replacement would delete the project or anything above it: the current folder,
 * this tool, and the inputs of the build (`guarded`: the config file, the snapshot, local checkouts).
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
  let isFile = false;
  try {
    isFile = !statSync(out).isDirectory();
  } catch {
    // does not exist yet: fine
  }
  if (isFile) throw new UsageError(`--out ${outDir}: exists and is not a folder; refusing to replace it`);
}

/** `--local owner/name=DIR` values to a map of checkouts. */
function parseLocal(values: string[]): Map<string, string> {
  const checkouts = new Map<string, string>();
  for (const value of values) {
    const m = /^([^=\s]+\/[^=\s]+)=(.+)$/.exec(value);
    if (!m) throw new UsageError(`--local ${value}: expected OWNER/REPO=DIR, e.g. --local uc-cdis/fence=../fence`);
    checkouts.set(m[1]!.toLowerCase(), path.resolve(m[2]!));
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
    if (event.stage === 'load') {
      const line = `[${event.done}/${event.total}] ${event.repo}${event.failed ? ` failed: ${event.failed}` : ''}`;
      if (tty && !event.failed) process.stderr.write(`\r\x1b[K${line}`);
      else process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
    } else if (event.stage === 'render' && tty) {
      process.stderr.write(`\r\x1b[Krendering ${event.done}/${event.total}`);
    } else if (event.stage === 'publish' && tty) {
      process.stderr.write('\r\x1b[K');
    }
  };
}

/**
 * SIGINT and SIGTERM stop the build at once and leave out/ as it was: the staging folder the publish step
 * writes (".<out>-staging-<pid>" beside out/) is removed, and a swap caught between its two renames is undone.
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
      rmSync(staging, { recursive: true, force: true });
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

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parse(argv);
    if (args.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const localDirs = (args.local ?? []).map((v) => v.slice(v.indexOf('=') + 1));
    checkOutDir(args.out!, process.cwd(), [args.config!, ...(args.snapshot ? [args.snapshot] : []), ...localDirs]);
    const config = loadConfig(args.config!);
    applySiteOptions(config.site, args['site-url'], args['base-url']);
    for (const repo of args.only ?? []) {
      if (!config.repositories.some((r) => r.repo.toLowerCase() === repo.toLowerCase())) {
        throw new UsageError(`--only ${repo}: not a repository of ${args.config}`);
      }
    }
    const remote = args.snapshot ? createSnapshotSource(args.snapshot) : createGitHubSource();
    const source = args.local?.length ? createLocalSource(parseLocal(args.local), remote) : remote;
    const release = stopOnSignals(args.out!);
    const result = await build({ config, source, outDir: args.out!, only: args.only, search: !args['no-search'], onProgress: progressPrinter() }).finally(release);
    for (const w of result.warnings) process.stderr.write(`warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
    for (const f of result.repositories.failed) process.stderr.write(`error: ${f.repo}: ${f.message}\n`);
    process.stdout.write(
      `Built ${result.pages} pages from ${result.repositories.loaded} repositories into ${result.outDir}: ` +
        `${result.warnings.length} warnings, ${result.repositories.failed.length} failed repositories, ` +
        `${result.links.rewritten} links rewritten, ` +
        `${result.search ? `search index ${(result.search.bytes / 1024).toFixed(0)} KiB, ` : ''}${result.seconds.toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`error: build failed: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

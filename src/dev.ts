/**
 * `npm run dev -- [build options] [--port 4173] [--host 127.0.0.1]`: the writers' loop. Builds once, serves
 * out/ as `npm run preview` does, watches the --local checkouts and the configuration file, rebuilds when one
 * changes and reloads the pages open in a browser. The reload comes from a small script that only this server
 * adds to the HTML it sends; the files in out/ never hold it.
 *
 * Everything stays in one process, so the renderer, its grammars and the templates are loaded once, rendered
 * pages are kept in memory, and the repositories that are not watched are read once (again when the
 * configuration changes); only the changed pages are rendered again. A rebuild after an edit skips the search index and
 * the Markdown export, which cost more than the page itself; a full build catches them up once edits pause.
 * A failed build is printed and the last good site stays served.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD_OPTIONS, prepareBuild, reportFailure, runBuild, UsageError, type BuildArgs, type PreparedBuild } from './cli.ts';
import { createLocalSource } from './sources/local.ts';
import { rememberingSource } from './sources/remember.ts';
import { startPreview, type PreviewServer } from './preview.ts';
import { RenderMemory } from './render/render-cache.ts';
import type { BuiltSite } from './build.ts';
import { pagesHold, rewritePages, updateSavedPage, type PageUpdate } from './dev-page.ts';

/** The event stream's path: outside any base path, and not a file a bundle can have. */
export const EVENTS_PATH = '/__gen3-docs-dev/events';

/** Added before `</body>` of each page the dev server sends: reloads the page when a rebuild has published. */
export const RELOAD_SCRIPT = `<script data-gen3-docs-dev>new EventSource(${JSON.stringify(EVENTS_PATH)}).addEventListener("reload",function(){location.reload()})</script>`;

/** Saves come in bursts (an editor writes, renames, touches); one rebuild follows the last of them. */
const SETTLE_MS = 60;
/** Quiet time after an edit before the search index and the Markdown export are built again. */
const CATCH_UP_MS = 4000;

const HELP = `Usage: npm run dev -- [build options] [--port 4173] [--host 127.0.0.1]

Builds the bundle like npm run build (same options; npm run build -- --help lists them), serves it at
http://127.0.0.1:4173/, and rebuilds when a file of a --local checkout or the configuration file changes;
open pages reload after each rebuild. Stop with Ctrl+C.`;

/** Names editors and tools write beside the files they save; never worth a rebuild. */
function ignored(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => part.startsWith('.') || part.endsWith('~') || part === 'node_modules' || part === '4913');
}

export interface WatchTarget {
  dir: string;
  /** Only these names directly in `dir` (the configuration file); every file below it when undefined. */
  names?: string[];
}

/**
 * Watches folders (recursively) and calls `onChange` with the changed file; paths inside `skip` (out/, the
 * cache) and editor or Git files are left out.
 */
export function watchInputs(targets: WatchTarget[], skip: string[], onChange: (file: string) => void): () => void {
  const skipped = skip.map((p) => path.resolve(p));
  const watchers: FSWatcher[] = targets.map(({ dir, names }) =>
    watch(dir, { recursive: !names }, (_event, name) => {
      if (!name) return;
      const relative = name.toString();
      if (names ? !names.includes(relative) : ignored(relative)) return;
      const file = path.resolve(dir, relative);
      if (skipped.some((s) => file === s || file.startsWith(s + path.sep))) return;
      onChange(file);
    }).on('error', (error) => process.stderr.write(`warning: watching ${dir} stopped: ${error.message}\n`)),
  );
  return () => watchers.forEach((w) => w.close());
}

/** Open event streams of the pages being shown. */
class ReloadEvents {
  private readonly clients = new Set<ServerResponse>();
  private sent = 0;

  readonly route = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  };

  /** `reload` after a rebuild published, `failed` when one did not (the page stays as it is). */
  send(event: 'reload' | 'failed'): void {
    this.sent++;
    for (const client of this.clients) client.write(`event: ${event}\ndata: ${this.sent}\n\n`);
  }
}

interface DevState {
  args: BuildArgs;
  prepared: PreparedBuild;
  renders: RenderMemory;
  /** What the last published build made its pages from, to update a saved page before the next build. */
  site?: BuiltSite;
}

/** The build the options describe, with the repositories that are not watched read once and kept. */
async function prepare(args: BuildArgs): Promise<PreparedBuild> {
  const prepared = await prepareBuild(args);
  return { ...prepared, remote: rememberingSource(prepared.remote) };
}

/** One build; a failure is printed and leaves the last published site in place. */
async function buildOnce(state: DevState, quick: boolean): Promise<boolean> {
  const started = performance.now();
  const { prepared } = state;
  // A new local source per build, so that a commit made in a checkout since is seen; the remote one is kept.
  const source = prepared.checkouts.size ? createLocalSource(prepared.checkouts, prepared.remote) : prepared.remote;
  try {
    let site: BuiltSite | undefined;
    // The first build composes even an unchanged site: a saved page is then updated from what it made.
    const published = await runBuild(prepared, { source, renderMemory: state.renders, reuseUnchanged: !!state.site, onSite: (s) => (site = s), ...(quick ? { search: false, markdown: false } : {}) });
    if (published && site) state.site = site;
    process.stderr.write(`dev: ${quick ? 'quick rebuild' : 'build'} ${published ? 'published' : 'failed'} in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    return published;
  } catch (error) {
    reportFailure(error);
    process.stderr.write('dev: the last good site is still served\n');
    return false;
  }
}

export interface DevServer {
  url: string;
  close(): Promise<void>;
}

/** Builds, serves and watches; resolves once the first build is done and the server listens. */
export async function startDev(args: BuildArgs, serve: { port: number; host: string }): Promise<DevServer> {
  const state: DevState = { args, prepared: await prepare(args), renders: new RenderMemory() };
  // The renderer (over a second to load) is loaded during the first build, which may take every page from the
  // cache, so that the first save does not wait for it.
  void import('./render/render-job.ts');
  const wantsMore = () => !!(state.prepared.options.search || state.prepared.options.markdown);
  const events = new ReloadEvents();
  await buildOnce(state, false);
  // Pages written by updateSavedPage that no build since has confirmed, and whether a build owes a reload.
  const updated = new Map<string, PageUpdate>();
  let owed = false;
  const server: PreviewServer = await startPreview({
    dir: args.out!,
    port: serve.port,
    host: serve.host,
    basePath: state.prepared.options.config.site.baseUrl,
    inject: RELOAD_SCRIPT,
    routes: { [EVENTS_PATH]: events.route },
    // A build that read the files before a save publishes its older page, which is only then written again.
    pinned: (relative) => updated.get(relative)?.content,
  });

  let configChanged = false;
  let running: Promise<void> | undefined;
  let again = false;
  let settle: NodeJS.Timeout | undefined;
  let catchUp: NodeJS.Timeout | undefined;
  const configFile = path.resolve(args.config!);

  const saved = new Set<string>();

  const rebuild = async (quick: boolean): Promise<void> => {
    if (configChanged) {
      configChanged = false;
      state.site = undefined;
      try {
        state.prepared = await prepare(state.args);
      } catch (error) {
        reportFailure(error);
        process.stderr.write('dev: the configuration was not taken; the last good site is still served\n');
        events.send('failed');
        // Read again at the next change, whatever file it is in.
        configChanged = true;
        return;
      }
    }
    const published = await buildOnce(state, quick);
    if (!published) {
      events.send('failed');
      return;
    }
    // A build that started before the last save must not take back the page that save updated.
    if (again) return rewritePages(args.out!, updated.values());
    const stale = updated.size > 0 && !pagesHold(args.out!, updated.values());
    updated.clear();
    if ((quick && owed) || stale) events.send('reload');
    owed = false;
    clearTimeout(catchUp);
    if (quick && wantsMore()) catchUp = setTimeout(() => schedule(false), CATCH_UP_MS);
  };
  const schedule = (quick: boolean) => {
    if (running) {
      again = true;
      return;
    }
    running = rebuild(quick).finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule(true);
      }
    });
  };
  /** The saved files' pages written at once when that is possible (see dev-page.ts); false when a build must. */
  const updateSaved = async (files: string[]): Promise<boolean> => {
    const site = state.site;
    if (!site || configChanged || !files.length) return false;
    const made: PageUpdate[] = [];
    for (const file of files) {
      const owner = [...state.prepared.checkouts].find(([, dir]) => file.startsWith(path.resolve(dir) + path.sep));
      if (!owner) return false;
      const update = await updateSavedPage(site, owner[0], path.relative(path.resolve(owner[1]), file).split(path.sep).join('/'), file, args.out!);
      if (!update) return false;
      made.push(update);
    }
    for (const update of made) updated.set(update.path, update);
    return true;
  };
  const settled = async () => {
    const files = [...saved];
    saved.clear();
    if (await updateSaved(files).catch(() => false)) {
      events.send('reload');
      process.stderr.write(`dev: updated ${files.length === 1 ? 'the saved page' : `${files.length} saved pages`}; the rest of the site follows when saving pauses\n`);
      // A build under way read the file before the save: it is followed by another, and the page kept as saved.
      if (running) again = true;
      // The rest of the site (other pages, search, export) catches up once saves pause.
      clearTimeout(catchUp);
      catchUp = setTimeout(() => schedule(!wantsMore()), CATCH_UP_MS);
      return;
    }
    owed = true;
    schedule(true);
  };
  const changed = (file: string) => {
    if (file === configFile) configChanged = true;
    saved.add(file);
    clearTimeout(settle);
    clearTimeout(catchUp);
    settle = setTimeout(() => void settled(), SETTLE_MS);
  };
  const stopWatching = watchInputs(
    [...[...state.prepared.checkouts.values()].map((dir) => ({ dir })), { dir: path.dirname(configFile), names: [path.basename(configFile)] }],
    [args.out!, ...(state.prepared.options.cacheDir ? [state.prepared.options.cacheDir] : [])],
    changed,
  );
  return {
    url: server.url,
    async close() {
      stopWatching();
      clearTimeout(settle);
      clearTimeout(catchUp);
      await running;
      await server.close();
    },
  };
}

/** The command line of `npm run dev`: the build's options, --port and --host. */
export function parseDevArgs(argv: string[]) {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: { ...BUILD_OPTIONS, port: { type: 'string', default: '4173' }, host: { type: 'string', default: '127.0.0.1' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help to see the options.`);
  }
  const { port, host, ...args } = values;
  const portNumber = Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) throw new UsageError(`--port ${port}: not a port number`);
  return { args, serve: { port: portNumber, host: host! } };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { args, serve } = parseDevArgs(argv);
    if (args.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const dev = await startDev(args, serve);
    process.stdout.write(`Serving ${path.resolve(args.out!)} at ${dev.url}\nWatching for changes; press Ctrl+C to stop.\n`);
    // Between builds, a signal closes the server and the watchers; during one, the build's own handler stops it.
    return await new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals) => void dev.close().then(() => resolve(signal === 'SIGINT' ? 130 : 143));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } catch (error) {
    return reportFailure(error);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

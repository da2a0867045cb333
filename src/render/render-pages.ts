/**
 * Renders every page of the bundle: from the cache when a page's blob and recorded dependencies are unchanged,
 * otherwise with renderMarkdown, in worker threads when there is enough work to pay for starting them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceDocument } from '../sources/types.ts';
import { recordingContext, reuseIfValid, type Dependency } from './dependencies.ts';
import type { LinkIndex } from './link-index.ts';
import type { RenderCache } from './render-cache.ts';
import type { FromWorker, ToWorker } from './render-worker.ts';
import type { RenderContext, RenderedPage } from './types.ts';
import { dialectKey, type Dialect } from './dialect.ts';
import { mapLimit } from '../core/concurrency.ts';
import { forecastImages } from './image-forecast.ts';

export interface PageJob {
  doc: SourceDocument;
  pageUrl: string;
  /** The page's Markdown dialect; undefined for GitHub's. */
  dialect?: Dialect;
}

export interface RenderPagesOptions {
  jobs: PageJob[];
  /** The main thread's context for a job (catalog lookups, image publishing). */
  context(job: PageJob): RenderContext;
  /** Builds the plain-data index for worker threads; called only when workers start. */
  linkIndex(): LinkIndex;
  cache?: RenderCache;
  /** Worker threads: undefined = automatic (cores, when enough pages need rendering), 0 = none. */
  workers?: number;
  /** Also make each page's normalised Markdown for the export (out/md/). */
  markdown?: boolean;
  onRendered?(done: number, total: number): void;
  /**
   * Told, before the first page renders, of the images the pages to render will likely publish
   * (image-forecast.ts), so that their bytes can be fetched while earlier pages render.
   */
  expectAsset?(repo: string, filePath: string): void;
}

export interface RenderPagesStats {
  cached: number;
  rendered: number;
  workers: number;
}

/** Cache entries read (and their images checked) at once when pages are taken from the cache. */
const REUSE_READS = 8;

/** Below this many pages to render, starting workers (about half a second each) costs more than it saves. */
const WORKER_THRESHOLD = 60;
/**
 * Workers start only on machines with at least this many cores: on two cores, measured on the corpus, two
 * workers were slower than the main thread alone (README, Performance) — each worker warms up
 * its own copy of the parser and highlighter, and the main thread and GC need a core too.
 */
const WORKER_MIN_CORES = 4;

export async function renderPages(options: RenderPagesOptions): Promise<{ pages: RenderedPage[]; stats: RenderPagesStats }> {
  const { jobs, cache } = options;
  const pages = new Array<RenderedPage>(jobs.length);
  let done = 0;
  const finished = () => options.onRendered?.(++done, jobs.length);

  // Reuse what still holds; collect the rest. Entries are read a few at a time: most of the wait is the disk.
  const reusedAt = await mapLimit(jobs, REUSE_READS, async (job) => {
    const entry = await cache?.get(job.doc.repo, job.doc.path, job.pageUrl, job.doc.blobSha, dialectKey(job.dialect));
    const usable = entry && (!options.markdown || entry.page.markdown);
    return usable ? await reuseIfValid(entry, job.doc, options.context(job)) : undefined;
  });
  const todo: number[] = [];
  reusedAt.forEach((reused, i) => {
    if (reused) {
      pages[i] = reused;
      finished();
    } else {
      todo.push(i);
    }
  });

  const store = async (i: number, page: RenderedPage, deps: Dependency[]) => {
    pages[i] = page;
    const { doc, pageUrl, dialect } = jobs[i]!;
    await cache?.put({ repo: doc.repo, path: doc.path, blobSha: doc.blobSha, pageUrl, dialect: dialectKey(dialect), deps, page });
    finished();
  };

  if (options.expectAsset) {
    for (const i of todo) for (const image of forecastImages(jobs[i]!.doc.text, options.context(jobs[i]!))) options.expectAsset(image.repo, image.path);
  }

  const cores = Math.max(1, availableParallelism());
  const workers = options.workers ?? (todo.length >= WORKER_THRESHOLD && cores >= WORKER_MIN_CORES ? Math.min(cores - 1, 4) : 0);
  if (workers > 0 && todo.length > 0) {
    await renderInWorkers(todo, jobs, options, Math.min(workers, todo.length), store);
  } else if (todo.length > 0) {
    // The renderer (remark, rehype, the highlighter's grammars: over a second to load) only when needed.
    const { renderJob } = await import('./render-job.ts');
    for (const i of todo) {
      // Rendering is all CPU: yield to the event loop between pages so that SIGINT/SIGTERM are handled at once.
      await new Promise((resolve) => setImmediate(resolve));
      const deps: Dependency[] = [];
      const page = await renderJob(jobs[i]!.doc, recordingContext(options.context(jobs[i]!), deps), !!options.markdown);
      await store(i, page, deps);
    }
  }
  return { pages, stats: { cached: jobs.length - todo.length, rendered: todo.length, workers: todo.length ? workers : 0 } };
}

async function renderInWorkers(
  todo: number[],
  jobs: PageJob[],
  options: RenderPagesOptions,
  count: number,
  store: (i: number, page: RenderedPage, deps: Dependency[]) => Promise<void>,
): Promise<void> {
  const index = options.linkIndex();
  // Compiled ahead of time, a worker loads the compiled module itself; under a TypeScript loader it first
  // registers the loader its parent had (worker threads do not inherit it).
  const compiled = import.meta.url.endsWith('.js');
  const boot = new URL(compiled ? './render-worker.js' : './worker-boot.mjs', import.meta.url);
  const entry = new URL('./render-worker.ts', import.meta.url).href;
  // Biggest pages first, so that no worker is left with a long page at the end.
  const queue = [...todo].sort((a, b) => jobs[b]!.doc.text.length - jobs[a]!.doc.text.length);
  const pending: Promise<void>[] = [];

  await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(boot, { workerData: { entry, index } });
        let current: number | undefined;
        const next = () => {
          current = queue.shift();
          if (current === undefined) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const job = jobs[current]!;
          worker.postMessage({ type: 'render', id: current, doc: job.doc, pageUrl: job.pageUrl, dialect: job.dialect, markdown: !!options.markdown } satisfies ToWorker);
        };
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'asset') {
            const job = jobs[current!]!;
            void options
              .context(job)
              .publishAsset(message.repo, message.path)
              .then((name) => worker.postMessage({ type: 'asset', request: message.request, name: name ?? null } satisfies ToWorker));
          } else if (message.type === 'done') {
            pending.push(store(message.id, message.page, message.deps));
            next();
          } else {
            reject(new Error(`rendering ${jobs[message.id]!.doc.repo}/${jobs[message.id]!.doc.path} failed in a worker: ${message.message}`));
            void worker.terminate();
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (current !== undefined && code !== 0) reject(new Error(`a render worker stopped with exit code ${code}`));
        });
        next();
      }),
    ),
  );
  await Promise.all(pending);
}

/**
 * The offline search index: Pagefind indexes the composed pages in memory and writes its files (index,
 * fragments, the wasm search engine and pagefind.js) into a folder of their own, from which they are published
 * into out/pagefind/ one at a time. Asking Pagefind for the files instead brings them all over its pipe at once,
 * base64 in JSON in base64, about 20 MB of strings at the end of the build, when its memory peaks.
 *
 * Pagefind runs in a process of its own, so pages are handed to it as they are composed (SearchIndexer.add)
 * and it indexes them on another core while the build composes the rest; only a few are in flight at once, so
 * pages are read from disk when sent and never pile up in memory. Pagefind's output does not depend on how many
 * requests were in flight, only on the order the pages were added.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as pagefind from 'pagefind';

/** Pagefind's files, in a folder of their own: `files` are paths inside it, as they go under out/pagefind/. */
export interface SearchIndexFiles {
  dir: string;
  files: string[];
  pages: number;
}

/** A page to index; `content` may read it back from disk, so that pages need not all be in memory. */
export interface IndexablePage {
  path: string;
  content(): string | Buffer;
}

type Index = NonNullable<Awaited<ReturnType<typeof pagefind.createIndex>>['index']>;

/** Requests to Pagefind at once: enough to keep it busy between the event loop's turns, few pages held. */
const IN_FLIGHT = 16;

export class SearchIndexer {
  private readonly index: Promise<Index>;
  private readonly queue: IndexablePage[] = [];
  private readonly running = new Set<Promise<void>>();
  private failure: Error | undefined;
  private pages = 0;

  constructor() {
    this.index = pagefind.createIndex({ keepIndexUrl: true, forceLanguage: 'en' }).then(({ index, errors }) => {
      if (!index) throw new Error(`search index: ${errors.join('; ')}`);
      return index;
    });
    // Seen again in finish(); until then a failure must not end the process as an unhandled rejection.
    this.index.catch((error: Error) => (this.failure ??= error));
  }

  /** Queues a page; only pages with a data-pagefind-body region are indexed (the search page and 404 are not). */
  add(page: IndexablePage): void {
    if (!page.path.endsWith('.html')) return;
    this.queue.push(page);
    this.pump();
  }

  private pump(): void {
    while (this.running.size < IN_FLIGHT && this.queue.length && !this.failure) {
      const page = this.queue.shift()!;
      // Requests are sent in the order pages were added (each awaits the same index promise first).
      const run = this.send(page).then(
        () => {
          this.running.delete(run);
          this.pump();
        },
        (error: Error) => {
          this.running.delete(run);
          this.failure ??= error;
        },
      );
      this.running.add(run);
    }
  }

  private async send(page: IndexablePage): Promise<void> {
    const index = await this.index;
    const raw = page.content();
    const added = await index.addHTMLFile({ url: `/${page.path}`, content: typeof raw === 'string' ? raw : raw.toString('utf8') });
    if (added.errors.length) throw new Error(`search index: ${page.path}: ${added.errors.join('; ')}`);
    this.pages += 1;
  }

  /** Waits for every page, then has Pagefind write its files into `dir` (a new folder); Pagefind is stopped either way. */
  async finish(dir: string): Promise<SearchIndexFiles> {
    try {
      while (this.running.size || (this.queue.length && !this.failure)) {
        await Promise.all(this.running);
        this.pump();
      }
      if (this.failure) throw this.failure;
      const written = await (await this.index).writeFiles({ outputPath: dir });
      if (written.errors.length) throw new Error(`search index: ${written.errors.join('; ')}`);
      return { dir, files: publishedFiles(dir), pages: this.pages };
    } finally {
      await this.discard();
    }
  }

  /** Stops Pagefind without its files (the index came from the cache after all, or the build failed). */
  async discard(): Promise<void> {
    this.queue.length = 0;
    await Promise.allSettled(this.running);
    await this.index.then((index) => index.deleteIndex()).catch(() => {});
    await pagefind.close();
  }
}

/**
 * What of a composed page Pagefind reads: its head (title, language) and its `<main>` region, which holds the
 * data-pagefind-body element with the page's meta and filter marks. The header, sidebars and footer, about a
 * third of the bytes, would only be parsed and ignored. A page without `<main>` is given whole.
 */
export function searchablePart(html: string): string {
  const head = html.indexOf('</head>');
  const start = html.indexOf('<main');
  const end = html.lastIndexOf('</main>');
  if (head < 0 || start < head || end < start) return html;
  return `${html.slice(0, head + 7)}<body>${html.slice(start, end + 7)}</body></html>`;
}

export async function indexPages(site: Iterable<IndexablePage>, dir: string): Promise<SearchIndexFiles> {
  const indexer = new SearchIndexer();
  for (const page of site) indexer.add(page);
  return indexer.finish(dir);
}

/** The site has its own small results list: Pagefind's prebuilt UIs (~430 KB) and playground are removed. */
const UNPUBLISHED = /^(?:playground\/|pagefind-(?:ui|component-ui|modular-ui|highlight)\.)/;

function publishedFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (UNPUBLISHED.test(relative)) rmSync(path.join(dir, relative));
    else files.push(relative);
  }
  rmSync(path.join(dir, 'playground'), { recursive: true, force: true });
  return files.sort();
}

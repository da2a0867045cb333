/**
 * The offline search index: Pagefind indexes the composed pages in memory and its files (index, fragments,
 * the wasm search engine and pagefind.js) are written into out/pagefind/ with the rest of the bundle.
 *
 * Pagefind runs in a process of its own, so pages are handed to it as they are composed (SearchIndexer.add)
 * and it indexes them on another core while the build composes the rest; only a few are in flight at once, so
 * pages are read from disk when sent and never pile up in memory. Pagefind's output does not depend on how many
 * requests were in flight, only on the order the pages were added.
 */
import * as pagefind from 'pagefind';
import type { OutputFile } from '../core/bundle.ts';

export interface SearchIndexResult {
  files: OutputFile[];
  pages: number;
  bytes: number;
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

  /** Waits for every page, then returns Pagefind's files; Pagefind is stopped either way. */
  async finish(): Promise<SearchIndexResult> {
    try {
      while (this.running.size || (this.queue.length && !this.failure)) {
        await Promise.all(this.running);
        this.pump();
      }
      if (this.failure) throw this.failure;
      const out = await (await this.index).getFiles();
      if (out.errors.length) throw new Error(`search index: ${out.errors.join('; ')}`);
      const files = out.files
        .map((f) => ({ path: `pagefind/${f.path.replace(/^\/+/, '')}`, content: Buffer.from(f.content) }))
        // The site has its own small results list: Pagefind's prebuilt UIs (~430 KB) are left out.
        .filter((f) => !f.path.startsWith('pagefind/playground/') && !/^pagefind\/pagefind-(ui|component-ui|modular-ui|highlight)\./.test(f.path));
      return { files, pages: this.pages, bytes: files.reduce((n, f) => n + f.content.length, 0) };
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

export async function indexPages(site: Iterable<IndexablePage>): Promise<SearchIndexResult> {
  const indexer = new SearchIndexer();
  for (const page of site) indexer.add(page);
  return indexer.finish();
}

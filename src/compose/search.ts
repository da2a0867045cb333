/**
 * The offline search index: Pagefind indexes the composed pages in memory and its files (index, fragments,
 * the wasm search engine and pagefind.js) are written into out/pagefind/ with the rest of the bundle.
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

export async function indexPages(site: Iterable<IndexablePage>): Promise<SearchIndexResult> {
  const { index, errors } = await pagefind.createIndex({ keepIndexUrl: true, forceLanguage: 'en' });
  if (!index) throw new Error(`search index: ${errors.join('; ')}`);
  try {
    let pages = 0;
    // Only pages with a data-pagefind-body region are indexed; the rest (search page, 404) are skipped by Pagefind.
    for (const file of site) {
      if (!file.path.endsWith('.html')) continue;
      const raw = file.content();
      const content = typeof raw === 'string' ? raw : raw.toString('utf8');
      const added = await index.addHTMLFile({ url: `/${file.path}`, content });
      if (added.errors.length) throw new Error(`search index: ${file.path}: ${added.errors.join('; ')}`);
      pages += 1;
    }
    const out = await index.getFiles();
    if (out.errors.length) throw new Error(`search index: ${out.errors.join('; ')}`);
    const files = out.files
      .map((f) => ({ path: `pagefind/${f.path.replace(/^\/+/, '')}`, content: Buffer.from(f.content) }))
      // The site has its own small results list: Pagefind's prebuilt UIs (~430 KB) are left out.
      .filter((f) => !f.path.startsWith('pagefind/playground/') && !/^pagefind\/pagefind-(ui|component-ui|modular-ui|highlight)\./.test(f.path));
    return { files, pages, bytes: files.reduce((n, f) => n + f.content.length, 0) };
  } finally {
    await index.deleteIndex();
    await pagefind.close();
  }
}

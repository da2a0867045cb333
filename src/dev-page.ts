/**
 * `npm run dev`'s first answer to a saved page: the page alone is rendered again and composed into out/ with
 * the rest of the site as the last build made it, so that the open page can reload at once; the build that
 * follows brings every other output (sidebars, lists, the cache, the report) up to date.
 *
 * Taken only when the page's file is the same as a build's for this text would be: its title is unchanged
 * (other pages' sidebars and lists show it), the file decodes without a warning, and every image it shows was
 * published by the last build. Otherwise the caller builds as usual.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuiltSite } from './build.ts';
import { gitBlobSha } from './sources/documents.ts';
import { documentText } from './sources/shared.ts';
import { resolveCrossLinks } from './render/cross-links.ts';
import type { RenderedPage } from './render/types.ts';

export interface PageUpdate {
  /** The file written, relative to out/, and its bytes. */
  path: string;
  content: Buffer;
}

/** Writes the saved file's page into out/ and returns it, or undefined when a build must make it. */
export async function updateSavedPage(site: BuiltSite, repo: string, filePath: string, file: string, outDir: string): Promise<PageUpdate | undefined> {
  const page = site.catalog.pageForFile(repo, filePath);
  const before = page && site.rendered.get(page);
  if (!page || !before) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const decoded = documentText(bytes);
  if ('skipped' in decoded || decoded.warning) return undefined;
  const doc = { ...page.doc, text: decoded.text, blobSha: gitBlobSha(bytes) };
  const job = { ...site.render.job(page), doc };
  const context = site.render.context(job);
  let missing = false;
  const publishAsset = (owner: string, assetPath: string) =>
    context.publishAsset(owner, assetPath).catch((error: unknown) => {
      missing = true;
      throw error;
    });
  const { renderJob } = await import('./render/render-job.ts');
  let r: RenderedPage;
  try {
    r = await renderJob(doc, { ...context, publishAsset }, false);
  } catch {
    return undefined;
  }
  if (missing || r.title !== before.title) return undefined;
  // Links to other pages' anchors are checked against the pages as they are (only this page's links are fixed).
  const others = [...site.rendered].filter(([p]) => p !== page).map(([p, other]) => ({ url: p.url, file: p.url, page: { ...other, crossLinks: [] } }));
  resolveCrossLinks([{ url: page.url, file: `${doc.repo}/${doc.path}`, page: r }, ...others]);
  site.rendered.set(page, r);
  const made = site.composePage(page, r);
  const content = Buffer.from(made.content);
  return replaceFile(outDir, made.path, content) ? { path: made.path, content } : undefined;
}

/** Replaces one file of out/ at once (a reader sees the old bytes or the new ones); false when it could not. */
function replaceFile(outDir: string, relative: string, content: Buffer): boolean {
  const target = path.join(outDir, relative);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.dev-${process.pid}`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, target);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** Writes pages again whose newer content a build that started before the save did not have. */
export function rewritePages(outDir: string, pages: Iterable<PageUpdate>): void {
  for (const { path: relative, content } of pages) replaceFile(outDir, relative, content);
}

/** Whether out/ holds each of these pages with these bytes. */
export function pagesHold(outDir: string, pages: Iterable<PageUpdate>): boolean {
  for (const { path: relative, content } of pages) {
    try {
      if (!readFileSync(path.join(outDir, relative)).equals(content)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

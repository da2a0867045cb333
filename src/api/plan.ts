/**
 * The api stage, between the catalog and release planning: every API reference page's OpenAPI document parsed
 * (parse.ts), read into its operations and schemas (model.ts), and the page's document swapped for the
 * Markdown written from them (markdown.ts), which the render stage renders like any page. The original text
 * is kept for publishing beside the page, and the operations for links from elsewhere (release notes).
 * What a document gives is cached by its blob and the program version: an unchanged document is not parsed
 * again (parsing and checking the corpus's 17 documents takes seconds).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readJsonEntrySync, writeEntrySync, type CacheDamage } from '../cache/entry.ts';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import type { Warning } from '../core/warning.ts';
import { gitBlobSha } from '../sources/documents.ts';
import type { SourceDocument } from '../sources/types.ts';
import { apiMarkdown } from './markdown.ts';
import { apiModel } from './model.ts';
import { parseApiDocument } from './parse.ts';

/** What one document gives the build: plain data, so that it can be cached. */
export interface ApiReading {
  markdown: string;
  /** False when the document could not be read: the page then says so and links to the file. */
  ok: boolean;
  operations: { method: string; path: string; anchor: string }[];
  warnings: Warning[];
}

export interface ApiPage {
  page: CatalogPage;
  /** The OpenAPI document as the repository holds it. */
  source: SourceDocument;
  /** Out-relative path of the published copy of the document, beside the page. */
  specFile: string;
  /** Whether the document could be read (only then is it published and the page made from it). */
  ok: boolean;
}

export interface OperationRef {
  url: string;
  anchor: string;
  repo: string;
  specPath: string;
}

export interface ApiPlan {
  pages: ApiPage[];
  warnings: Warning[];
  /**
   * The operation of a service's API at exactly this path (and method, when given; else the path's first), if
   * one: its page, anchor, and the document it comes from (for links that link resolution maps to the page).
   */
  operationAt(repo: string, apiPath: string, method?: string): OperationRef | undefined;
}

export interface PlanApisOptions {
  cacheDir?: string;
  /** The program version, part of every cache key. */
  version?: string;
  onCacheDamage?: CacheDamage;
}

/** A name for the published copy that cannot be taken for a page (index.html) or hide (dot file). */
export function specFileName(repoPath: string): string {
  const base = path.posix.basename(repoPath).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return /\.(ya?ml|json)$/i.test(base) ? base : `${base || 'openapi'}.yaml`;
}

const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]()<>#!|~]/g, '\\$&');

function failedMarkdown(source: SourceDocument, problem: string): string {
  return `# API reference: ${escapeMarkdown(path.posix.basename(source.path))}\n\nThis OpenAPI document could not be shown: ${escapeMarkdown(problem)}.\n\n[The document on GitHub](${source.sourceUrl})\n`;
}

/** Parses one document and writes its page. Never throws. */
export async function readApiDocument(source: SourceDocument): Promise<ApiReading> {
  const file = `${source.repo}/${source.path}`;
  const parsed = await parseApiDocument(source);
  const warnings = [...parsed.warnings];
  if (!parsed.document) return { markdown: failedMarkdown(source, parsed.warnings[0]?.message ?? 'it could not be read'), ok: false, operations: [], warnings };
  try {
    const model = apiModel(parsed.document, file, warnings);
    const markdown = apiMarkdown({ model, declared: parsed.declared ?? '' });
    return { markdown, ok: true, operations: model.operations.map(({ method, path: p, anchor }) => ({ method, path: p, anchor })), warnings };
  } catch (error) {
    warnings.push({ file, message: `API reference could not be written: ${(error as Error).message}`, ruleId: 'openapi' });
    return { markdown: failedMarkdown(source, 'it could not be written as a page'), ok: false, operations: [], warnings };
  }
}

async function cachedReading(source: SourceDocument, options: PlanApisOptions): Promise<ApiReading> {
  if (!options.cacheDir) return readApiDocument(source);
  const key = createHash('sha256').update(options.version ?? '').update('\0').update(source.repo).update('\0').update(source.path).update('\0').update(source.text).digest('hex');
  const file = path.join(options.cacheDir, 'api', `${key}.json`);
  const read = readJsonEntrySync<ApiReading>(file);
  if (read.state === 'ok') return read.value;
  if (read.state === 'damaged') options.onCacheDamage?.(file, `the OpenAPI document ${source.repo}/${source.path} was read again`);
  const reading = await readApiDocument(source);
  try {
    writeEntrySync(file, JSON.stringify(reading));
  } catch {
    // a cache that cannot be written only costs time
  }
  return reading;
}

export async function planApis(catalog: Catalog, options: PlanApisOptions = {}): Promise<ApiPlan> {
  const warnings: Warning[] = [];
  const pages: ApiPage[] = [];
  const byRepo = new Map<string, Map<string, OperationRef>>();
  for (const service of catalog.services) {
    for (const page of service.apis) {
      const source = page.doc;
      const reading = await cachedReading(source, options);
      warnings.push(...reading.warnings);
      // The page renders this Markdown; its identity is the Markdown's, as for the release notes' pages.
      page.doc = { ...source, text: reading.markdown, blobSha: gitBlobSha(Buffer.from(reading.markdown, 'utf8')) };
      pages.push({ page, source, specFile: `${page.url}${specFileName(source.path)}`, ok: reading.ok });
      const ops = byRepo.get(service.repo.toLowerCase()) ?? new Map<string, OperationRef>();
      for (const op of reading.operations) {
        const ref = { url: page.url, anchor: op.anchor, repo: source.repo, specPath: source.path };
        if (!ops.has(op.path)) ops.set(op.path, ref);
        if (!ops.has(`${op.method} ${op.path}`)) ops.set(`${op.method} ${op.path}`, ref);
      }
      byRepo.set(service.repo.toLowerCase(), ops);
    }
  }
  return {
    pages,
    warnings,
    operationAt: (repo, apiPath, method) => byRepo.get(repo.toLowerCase())?.get(method ? `${method.toLowerCase()} ${apiPath}` : apiPath),
  };
}

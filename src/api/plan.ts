/**
 * The api stage, between the catalog and release planning: every API reference page's OpenAPI document parsed
 * (parse.ts), read into its operations and schemas (model.ts), and the page's document swapped for the
 * Markdown written from them (markdown.ts), which the render stage renders like any page. The original text
 * is kept for publishing beside the page, and the operations for links from elsewhere (release notes).
 */
import path from 'node:path';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import type { Warning } from '../core/warning.ts';
import { gitBlobSha } from '../sources/documents.ts';
import type { SourceDocument } from '../sources/types.ts';
import { apiMarkdown } from './markdown.ts';
import { apiModel, type ApiModel } from './model.ts';
import { parseApiDocument } from './parse.ts';

export interface ApiPage {
  page: CatalogPage;
  /** The OpenAPI document as the repository holds it. */
  source: SourceDocument;
  /** Out-relative path of the published copy of the document, beside the page. */
  specFile: string;
  /** Undefined when the document could not be read; the page then says so and links to the file. */
  model?: ApiModel;
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

export interface OperationRef {
  url: string;
  anchor: string;
  repo: string;
  specPath: string;
}

/** A name for the published copy that cannot be taken for a page (index.html) or hide (dot file). */
export function specFileName(repoPath: string): string {
  const base = path.posix.basename(repoPath).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return /\.(ya?ml|json)$/i.test(base) ? base : `${base || 'openapi'}.yaml`;
}

function failedMarkdown(source: SourceDocument, problem: string): string {
  const name = path.posix.basename(source.path).replace(/[\\`*_[\]()<>#!|~]/g, '\\$&');
  return `# API reference: ${name}\n\nThis OpenAPI document could not be shown: ${problem.replace(/[\\`*_[\]()<>#!|~]/g, '\\$&')}.\n\n[The document on GitHub](${source.sourceUrl})\n`;
}

export async function planApis(catalog: Catalog): Promise<ApiPlan> {
  const warnings: Warning[] = [];
  const pages: ApiPage[] = [];
  const byRepo = new Map<string, Map<string, OperationRef>>();
  for (const service of catalog.services) {
    for (const page of service.apis) {
      const source = page.doc;
      const file = `${source.repo}/${source.path}`;
      const parsed = await parseApiDocument(source);
      warnings.push(...parsed.warnings);
      let model: ApiModel | undefined;
      let markdown: string;
      if (parsed.document) {
        model = apiModel(parsed.document, file, warnings);
        try {
          markdown = apiMarkdown({ model, declared: parsed.declared ?? '' });
        } catch (error) {
          warnings.push({ file, message: `API reference could not be written: ${(error as Error).message}`, ruleId: 'openapi' });
          model = undefined;
          markdown = failedMarkdown(source, 'it could not be written as a page');
        }
      } else {
        markdown = failedMarkdown(source, parsed.warnings[0]?.message ?? 'it could not be read');
      }
      // The page renders this Markdown; its identity is the Markdown's, as for the release notes' pages.
      page.doc = { ...source, text: markdown, blobSha: gitBlobSha(Buffer.from(markdown, 'utf8')) };
      pages.push({ page, source, specFile: `${page.url}${specFileName(source.path)}`, model });
      const ops = byRepo.get(service.repo.toLowerCase()) ?? new Map();
      for (const op of model?.operations ?? []) {
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

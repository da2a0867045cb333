/** An OpenAPI document's text to its warnings and rendered page, as the build does it: the api stage, then the renderer. */
import { apiMarkdown } from '../../src/api/markdown.ts';
import { apiModel } from '../../src/api/model.ts';
import { parseApiDocument } from '../../src/api/parse.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import type { Warning } from '../../src/core/warning.ts';
import { context, doc } from '../render/helpers.ts';

export const API_FILE = 'openapi/openapi.yaml';

export async function apiReference(text: string, filePath = API_FILE) {
  const source = doc(text, filePath);
  const parsed = await parseApiDocument(source);
  const warnings: Warning[] = [...parsed.warnings];
  if (!parsed.document) return { warnings, model: undefined, html: '', ids: [] as string[] };
  const model = apiModel(parsed.document, `${source.repo}/${source.path}`, warnings);
  const markdown = apiMarkdown({ model, declared: parsed.declared ?? '' });
  const page = await renderMarkdown({ ...source, text: markdown }, context(filePath));
  return { warnings: [...warnings, ...page.warnings], model, html: page.html, ids: page.ids, markdown };
}

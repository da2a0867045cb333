/**
 * Which documents of a service are OpenAPI/Swagger documents: the ones its configuration names, or the
 * discovered candidates whose top level says `openapi:` or `swagger:` (a file named swagger.yaml that is a
 * package manifest or a test fixture is not one). Parsing comes later (api stage); this only tells them apart.
 */
import type { RepositoryConfig } from '../config/types.ts';
import { isMarkdownPath } from '../core/paths.ts';
import type { SourceDocument } from '../sources/types.ts';

/** A top-level `openapi`/`swagger` key: YAML at column 0 (optionally quoted), or a JSON object's key. */
const YAML_FIELD = /^["']?(?:openapi|swagger)["']?[ \t]*:/m;
const JSON_FIELD = /^\s*\{[\s\S]*?"(?:openapi|swagger)"\s*:/;

/** Whether a text declares itself an OpenAPI or Swagger document (the field may come last: sheepdog's does). */
export function looksLikeApiDocument(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '');
  return /^\s*\{/.test(body) ? JSON_FIELD.test(body) : YAML_FIELD.test(body);
}

/** The API documents among a service's documents, by path. */
export function apiDocuments(config: RepositoryConfig, documents: readonly SourceDocument[]): SourceDocument[] {
  if (config.api === false) return [];
  if (config.api !== undefined) {
    const named = new Set(typeof config.api === 'string' ? [config.api] : config.api);
    return documents.filter((d) => named.has(d.path));
  }
  return documents.filter((d) => !isMarkdownPath(d.path) && /\.(ya?ml|json)$/i.test(d.path) && looksLikeApiDocument(d.text));
}

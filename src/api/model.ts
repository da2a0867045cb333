/**
 * What an API reference shows, read from an OpenAPI 3.x document: its operations grouped by tag, each with a
 * stable anchor (from its operationId, else its method and path), and its named schemas. Only the shape is
 * checked here; text is carried as it is and made safe where it is rendered.
 */
import type { Warning } from '../core/warning.ts';
import { isObject, type JsonObject } from './parse.ts';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Operations shown at most; the rest are counted in a warning. */
export const MAX_OPERATIONS = 2000;

export interface ApiOperation {
  /** Anchor on the API page: "op-" + operationId, else "op-" + method and path. */
  anchor: string;
  method: string;
  path: string;
  operationId?: string;
  tag: string;
  operation: JsonObject;
  /** Parameters of the path item and the operation (the operation's win), references unresolved. */
  parameters: unknown[];
}

export interface ApiTag {
  name: string;
  anchor: string;
  description?: string;
  externalDocs?: unknown;
  operations: ApiOperation[];
}

export interface ApiModel {
  document: JsonObject;
  title: string;
  version: string;
  tags: ApiTag[];
  operations: ApiOperation[];
  /** components.schemas by name, with their anchors. */
  schemas: { name: string; anchor: string; schema: unknown }[];
}

/** Untagged operations are grouped under this name. */
export const DEFAULT_TAG = 'default';

/** A fragment that is a valid id everywhere and cannot shadow a property of document or window (prefixed). */
export function anchorPart(text: string): string {
  const part = text
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return part || '_';
}

export const operationAnchor = (method: string, path: string, operationId?: string) => `op-${operationId ? anchorPart(operationId) : `${method}-${anchorPart(path)}`}`;
export const schemaAnchor = (name: string) => `schema-${anchorPart(name)}`;
export const tagAnchor = (name: string) => `tag-${anchorPart(name)}`;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function apiModel(document: JsonObject, file: string, warnings: Warning[]): ApiModel {
  const warn = (message: string) => warnings.push({ file, message, ruleId: 'openapi' });
  const info = isObject(document.info) ? document.info : {};
  const taken = new Set<string>();
  const unique = (anchor: string) => {
    let out = anchor;
    for (let n = 2; taken.has(out.toLowerCase()); n++) out = `${anchor}-${n}`;
    taken.add(out.toLowerCase());
    return out;
  };
  const operations: ApiOperation[] = [];
  const seenIds = new Map<string, string>();
  const duplicates = new Map<string, string[]>();
  let total = 0;
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      if (++total > MAX_OPERATIONS) continue;
      const operationId = text(operation.operationId);
      const where = `${method.toUpperCase()} ${path}`;
      if (operationId !== undefined && seenIds.has(operationId)) duplicates.set(operationId, [...(duplicates.get(operationId) ?? []), where]);
      else if (operationId !== undefined) seenIds.set(operationId, where);
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      const key = (p: unknown) => (isObject(p) && !p.$ref ? `${String(p.in)}\0${String(p.name)}` : JSON.stringify(p));
      const ownKeys = new Set(own.map(key));
      const tags = Array.isArray(operation.tags) ? operation.tags.map(text).filter((t): t is string => !!t) : [];
      operations.push({
        anchor: unique(operationAnchor(method, path, operationId)),
        method,
        path,
        operationId,
        tag: tags[0] ?? DEFAULT_TAG,
        operation,
        parameters: [...shared.filter((p) => !ownKeys.has(key(p))), ...own],
      });
    }
  }
  for (const [id, others] of duplicates) {
    const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
    warn(`operationId ${JSON.stringify(id.slice(0, 100))} of ${seenIds.get(id)} is also the one of ${others.slice(0, 3).join(', ')}${more}; operationIds must be unique (the others get anchors of their own)`);
  }
  if (total > MAX_OPERATIONS) warn(`${total} operations is over the limit of ${MAX_OPERATIONS}; the page shows the first ${MAX_OPERATIONS}`);
  // Tags in the document's order, then those only operations name, then the untagged ones.
  const declared = Array.isArray(document.tags) ? document.tags.filter(isObject) : [];
  const tags = new Map<string, ApiTag>();
  for (const t of declared) {
    const name = text(t.name);
    if (name && !tags.has(name)) tags.set(name, { name, anchor: '', description: text(t.description), externalDocs: t.externalDocs, operations: [] });
  }
  for (const op of operations) {
    if (!tags.has(op.tag)) tags.set(op.tag, { name: op.tag, anchor: '', operations: [] });
    tags.get(op.tag)!.operations.push(op);
  }
  const used = [...tags.values()].filter((t) => t.operations.length > 0);
  for (const t of used) t.anchor = unique(tagAnchor(t.name));
  const components = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  const schemas = Object.entries(components).map(([name, schema]) => ({ name, anchor: unique(schemaAnchor(name)), schema }));
  return {
    document,
    title: text(info.title)?.trim() || 'API reference',
    version: text(info.version) ?? '',
    tags: used,
    operations,
    schemas,
  };
}

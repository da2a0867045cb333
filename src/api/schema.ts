/**
 * A JSON Schema (as OpenAPI uses it) as Markdown: a nested list of properties with their types, a link for a
 * `$ref` to a named schema (so a schema that contains itself is a link, never expanded again), "unresolved"
 * for a reference outside the document. Nesting is capped; text fields are inline Markdown or inline code,
 * so nothing in a schema can start a block of its own.
 */
import type { List, ListItem, PhrasingContent } from 'mdast';
import { isObject, type JsonObject } from './parse.ts';
import { inlineMarkdown } from './text.ts';

/** Nested property levels shown inline; deeper ones are summarised by their type. */
export const MAX_SCHEMA_DEPTH = 6;
/** Properties listed per object; more are counted. */
const MAX_PROPERTIES = 200;

export interface SchemaContext {
  document: JsonObject;
  /** Anchor of a named schema (components/schemas) by its `$ref`. */
  anchorOfRef(ref: string): string | undefined;
}

const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value: value.length > 200 ? `${value.slice(0, 200)}…` : value });
const plain = (value: string): PhrasingContent => ({ type: 'text', value });

/** Follows a local JSON pointer ("#/components/parameters/x") in the document. */
export function resolvePointer(document: JsonObject, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node as object, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A `$ref` as a link, "unresolved" text, or undefined when it is a local pointer to expand. */
export function refPhrase(ref: string, ctx: SchemaContext): PhrasingContent[] | undefined {
  const anchor = ctx.anchorOfRef(ref);
  if (anchor) return [{ type: 'link', url: `#${anchor}`, children: [code(ref.slice(ref.lastIndexOf('/') + 1))] }];
  if (!ref.startsWith('#')) return [plain('unresolved reference '), code(ref)];
  if (resolvePointer(ctx.document, ref) === undefined) return [plain('unresolved reference '), code(ref)];
  return undefined;
}

/** The short description of a schema's type: `string (date-time)`, `array of` a link, `one of` ... */
export function typePhrase(schema: unknown, ctx: SchemaContext, seen: ReadonlySet<unknown> = new Set()): PhrasingContent[] {
  if (!isObject(schema)) return [plain(schema === true ? 'any value' : 'no value')];
  if (typeof schema.$ref === 'string') {
    const phrase = refPhrase(schema.$ref, ctx);
    if (phrase) return phrase;
    const target = resolvePointer(ctx.document, schema.$ref);
    return seen.has(target) ? [code(schema.$ref)] : typePhrase(target, ctx, new Set([...seen, target]));
  }
  const types = Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.includes('array') || (!types.length && schema.items !== undefined)) {
    return [plain('array of '), ...typePhrase(schema.items, ctx, seen)];
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    if (!types.length && Array.isArray(schema[key])) return [plain(key === 'allOf' ? 'all of' : key === 'oneOf' ? 'one of' : 'any of')];
  }
  const name = types.length ? types.join(' | ') : isObject(schema.properties) ? 'object' : 'any';
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
  const nullable = schema.nullable === true ? ', nullable' : '';
  return [{ type: 'emphasis', children: [plain(`${name}${format}${nullable}`)] }];
}

/** Constraints worth a reader's eye: enum values, default, bounds, pattern. */
function constraints(schema: JsonObject): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  const add = (label: string, value: unknown) => {
    if (value === undefined) return;
    out.push(plain(out.length ? `; ${label} ` : ` ${label} `), code(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)));
  };
  if (Array.isArray(schema.enum)) {
    out.push(plain(out.length ? '; one of ' : ' one of '));
    schema.enum.slice(0, 30).forEach((v, i) => out.push(...(i ? [plain(', ')] : []), code(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v))));
    if (schema.enum.length > 30) out.push(plain(`, and ${schema.enum.length - 30} more`));
  }
  add('default', schema.default);
  add('minimum', schema.minimum);
  add('maximum', schema.maximum);
  add('pattern', schema.pattern);
  return out;
}

/**
 * The nested list of a schema's properties (objects), items (arrays of inline objects) and alternatives
 * (oneOf/anyOf/allOf); undefined when the type line says everything.
 */
export function schemaList(schema: unknown, ctx: SchemaContext, depth = 0, seen: ReadonlySet<unknown> = new Set()): List | undefined {
  if (!isObject(schema) || depth >= MAX_SCHEMA_DEPTH || seen.has(schema)) return undefined;
  const inner = new Set([...seen, schema]);
  if (typeof schema.$ref === 'string') {
    if (refPhrase(schema.$ref, ctx)) return undefined;
    return schemaList(resolvePointer(ctx.document, schema.$ref), ctx, depth, inner);
  }
  const items: ListItem[] = [];
  const item = (phrase: PhrasingContent[], sub?: unknown, description?: unknown): ListItem => {
    const children: ListItem['children'] = [{ type: 'paragraph', children: [...phrase, ...(typeof description === 'string' && description.trim() ? [plain(' — '), ...inlineMarkdown(description)] : [])] }];
    const nested = sub === undefined ? undefined : schemaList(sub, ctx, depth + 1, inner);
    if (nested) children.push(nested);
    return { type: 'listItem', spread: false, children };
  };
  if (isObject(schema.properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const entries = Object.entries(schema.properties);
    for (const [name, prop] of entries.slice(0, MAX_PROPERTIES)) {
      const p = isObject(prop) ? prop : {};
      const flags = [required.has(name) ? 'required' : '', p.readOnly === true ? 'read-only' : '', p.writeOnly === true ? 'write-only' : '', p.deprecated === true ? 'deprecated' : ''].filter(Boolean);
      const phrase = [code(name), plain(' '), ...typePhrase(prop, ctx, inner), ...(flags.length ? [plain(` (${flags.join(', ')})`)] : []), ...constraints(p)];
      items.push(item(phrase, prop, p.description));
    }
    if (entries.length > MAX_PROPERTIES) items.push(item([plain(`and ${entries.length - MAX_PROPERTIES} more properties`)]));
  }
  if (isObject(schema.additionalProperties)) items.push(item([plain('any other property: '), ...typePhrase(schema.additionalProperties, ctx, inner)], schema.additionalProperties));
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    list.slice(0, 50).forEach((alt, i) => items.push(item([plain(`${key === 'allOf' ? 'all of' : key === 'oneOf' ? 'one of' : 'any of'} (${i + 1}): `), ...typePhrase(alt, ctx, inner)], alt, isObject(alt) ? alt.description : undefined)));
  }
  const arrayItems = schema.items;
  if (isObject(arrayItems) && !items.length) {
    const nested = schemaList(arrayItems, ctx, depth, inner);
    if (nested) return nested;
  }
  return items.length ? { type: 'list', ordered: false, spread: false, children: items } : undefined;
}

/** The type line of a schema with its constraints: what a parameter table cell shows. */
export function schemaSummary(schema: unknown, ctx: SchemaContext): PhrasingContent[] {
  return [...typePhrase(schema, ctx), ...(isObject(schema) ? constraints(schema) : [])];
}

/**
 * An API reference as a Markdown page, rendered afterwards by the same renderer, sanitizer and link resolver
 * as every other page (and exported, indexed and cached like them). The tree is built as mdast and written by
 * remark-stringify, which escapes every author string it places; anchors are raw HTML headings whose ids the
 * renderer prefixes like any other (links to `#op-x` are pointed at them).
 */
import type { Heading, Paragraph, PhrasingContent, RootContent, Table, TableRow } from 'mdast';
import remarkGfmLean from '../core/remark-gfm-lean.ts';
import remarkStringify from 'remark-stringify';
import { sample } from 'openapi-sampler';
import { unified } from 'unified';
import { escapeHtml } from '../core/html.ts';
import type { ApiModel, ApiOperation } from './model.ts';
import { isObject, type JsonObject } from './parse.ts';
import { refPhrase, resolvePointer, schemaList, schemaSummary, type SchemaContext } from './schema.ts';
import { blockMarkdown, inlineMarkdown } from './text.ts';

/** Longest example shown; a longer one is cut. */
const MAX_EXAMPLE_CHARS = 4000;

const writer = unified().use(remarkStringify, { bullet: '-', fences: true, rule: '-' }).use(remarkGfmLean);
const text = (value: string): PhrasingContent => ({ type: 'text', value });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value: value.replace(/\s*\n\s*/g, ' ').slice(0, 300) });
const para = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A heading with our own id (safe characters only) and escaped text, as raw HTML. */
const anchoredHeading = (depth: number, id: string, inner: string): RootContent => ({ type: 'html', value: `<h${depth} id="${escapeHtml(id)}">${inner}</h${depth}>` });

export interface ApiMarkdownInput {
  model: ApiModel;
  /** The version the file declares, "2.0" for Swagger. */
  declared: string;
}

/** Resolves a local `$ref` of a parameter, request body or response (one level, as they are used). */
function deref(value: unknown, document: JsonObject): unknown {
  const seen = new Set<unknown>();
  let v = value;
  while (isObject(v) && typeof v.$ref === 'string' && !seen.has(v)) {
    seen.add(v);
    v = resolvePointer(document, v.$ref) ?? v;
  }
  return v;
}

/**
 * `externalDocs` as a Markdown link: the renderer's sanitizer then applies the site's URL scheme checks to it
 * (a `javascript:` URL loses its href), as to any link of a page.
 */
function externalDocs(value: unknown): Paragraph[] {
  if (!isObject(value) || typeof value.url !== 'string' || !value.url.trim()) return [];
  const label = typeof value.description === 'string' && value.description.trim() ? value.description.replace(/\s+/g, ' ').slice(0, 200) : 'External documentation';
  return [para(text('See also: '), { type: 'link', url: value.url.trim(), children: [text(label)] })];
}

function table(header: string[], rows: PhrasingContent[][][]): Table {
  const row = (cells: PhrasingContent[][]): TableRow => ({ type: 'tableRow', children: cells.map((children) => ({ type: 'tableCell', children })) });
  return { type: 'table', align: header.map(() => null), children: [row(header.map((h) => [text(h)])), ...rows.map(row)] };
}

/** The spec's own example of a media type, else one generated from its schema by openapi-sampler. */
function example(media: JsonObject, document: JsonObject, direction: 'request' | 'response'): { value: unknown; generated: boolean } | undefined {
  if (media.example !== undefined) return { value: media.example, generated: false };
  if (isObject(media.examples)) {
    const first = Object.values(media.examples).map((e) => deref(e, document)).find((e) => isObject(e) && e.value !== undefined);
    if (isObject(first)) return { value: first.value, generated: false };
  }
  if (!isObject(media.schema)) return undefined;
  try {
    const value = sample(media.schema as object, { skipReadOnly: direction === 'request', skipWriteOnly: direction === 'response', quiet: true }, document);
    return value === undefined ? undefined : { value, generated: true };
  } catch {
    return undefined;
  }
}

function exampleBlock(value: unknown): RootContent {
  let json = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  if (json.length > MAX_EXAMPLE_CHARS) json = `${json.slice(0, MAX_EXAMPLE_CHARS)}\n…`;
  return { type: 'code', lang: typeof value === 'string' ? 'text' : 'json', value: json };
}

function mediaContent(content: unknown, ctx: SchemaContext, direction: 'request' | 'response'): RootContent[] {
  if (!isObject(content)) return [];
  const out: RootContent[] = [];
  for (const [type, raw] of Object.entries(content).slice(0, 10)) {
    const media = isObject(raw) ? raw : {};
    out.push(para(code(type), ...(media.schema !== undefined ? [text(': '), ...schemaSummary(media.schema, ctx)] : [])));
    const list = media.schema !== undefined ? schemaList(media.schema, ctx) : undefined;
    if (list) out.push(list);
    const ex = example(media, ctx.document, direction);
    if (ex) out.push(para({ type: 'emphasis', children: [text(ex.generated ? 'Example (generated from the schema)' : 'Example')] }), exampleBlock(ex.value));
  }
  return out;
}

function operationBlocks(op: ApiOperation, ctx: SchemaContext): RootContent[] {
  const o = op.operation;
  const out: RootContent[] = [];
  const summary = str(o.summary)?.trim();
  const method = op.method.toUpperCase();
  out.push(anchoredHeading(3, op.anchor, `<code>${method}</code> <code>${escapeHtml(op.path)}</code>${summary ? ` ${escapeHtml(summary.replace(/\s+/g, ' ').slice(0, 200))}` : ''}`));
  if (o.deprecated === true) out.push({ type: 'blockquote', children: [para(text('[!WARNING]')), para({ type: 'strong', children: [text('Deprecated.')] }, text(' This operation may be removed in a later version.'))] });
  if (op.operationId) out.push(para(text('Operation ID: '), code(op.operationId)));
  const description = str(o.description);
  if (description?.trim()) out.push(...blockMarkdown(description));
  out.push(...externalDocs(o.externalDocs));
  const params = op.parameters.map((p) => deref(p, ctx.document));
  if (params.length) {
    out.push(para({ type: 'strong', children: [text('Parameters')] }));
    out.push(
      table(
        ['Name', 'In', 'Type', 'Description'],
        params.map((p, i) => {
          if (!isObject(p)) return [[text('?')], [], [], []];
          const raw = op.parameters[i];
          const unresolved = isObject(raw) && typeof raw.$ref === 'string' ? refPhrase(raw.$ref, ctx) : undefined;
          if (unresolved) return [unresolved, [], [], []];
          const schema = p.schema ?? (isObject(p.content) ? (Object.values(p.content).find(isObject) as JsonObject | undefined)?.schema : undefined);
          const flags = [p.required === true ? 'required' : '', p.deprecated === true ? 'deprecated' : ''].filter(Boolean);
          return [
            [code(String(p.name ?? '?')), ...(flags.length ? [text(` (${flags.join(', ')})`)] : [])],
            [text(String(p.in ?? ''))],
            schema !== undefined ? schemaSummary(schema, ctx) : [],
            typeof p.description === 'string' ? inlineMarkdown(p.description) : [],
          ];
        }),
      ),
    );
  }
  const body = deref(o.requestBody, ctx.document);
  if (isObject(body)) {
    out.push(para({ type: 'strong', children: [text('Request body')] }, ...(body.required === true ? [text(' (required)')] : [])));
    if (typeof body.description === 'string' && body.description.trim()) out.push(...blockMarkdown(body.description));
    out.push(...mediaContent(body.content, ctx, 'request'));
  }
  if (isObject(o.responses)) {
    out.push(para({ type: 'strong', children: [text('Responses')] }));
    for (const [status, raw] of Object.entries(o.responses).slice(0, 50)) {
      const response = deref(raw, ctx.document);
      const r = isObject(response) ? response : {};
      const line = typeof r.description === 'string' ? inlineMarkdown(r.description) : [];
      out.push(para({ type: 'strong', children: [code(status)] }, ...(line.length ? [text(' — '), ...line] : [])));
      out.push(...mediaContent(r.content, ctx, 'response'));
    }
  }
  return out;
}

function overview(model: ApiModel, declared: string): RootContent[] {
  const doc = model.document;
  const info = isObject(doc.info) ? doc.info : {};
  const out: RootContent[] = [{ type: 'heading', depth: 1, children: [text(model.title)] }];
  const facts: PhrasingContent[] = [];
  if (model.version) facts.push(text('Version '), code(model.version), text(' · '));
  facts.push(text(declared.startsWith('2') ? `Swagger ${declared}, shown as OpenAPI 3` : `OpenAPI ${declared}`), text(` · ${model.operations.length} operations`));
  out.push(para(...facts));
  if (typeof info.description === 'string' && info.description.trim()) out.push(...blockMarkdown(info.description, 3));
  out.push(...externalDocs(doc.externalDocs));
  const servers = Array.isArray(doc.servers) ? doc.servers.filter(isObject) : [];
  if (servers.length) {
    out.push({ type: 'heading', depth: 2, children: [text('Servers')] });
    // Server URLs are shown as code, never as links: a spec's server may be any scheme, a template or a path.
    out.push({
      type: 'list',
      ordered: false,
      spread: false,
      children: servers.slice(0, 20).map((s) => ({
        type: 'listItem',
        spread: false,
        children: [para(code(String(s.url ?? '')), ...(typeof s.description === 'string' && s.description.trim() ? [text(' — '), ...inlineMarkdown(s.description)] : []))],
      })),
    });
  }
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? Object.entries(doc.components.securitySchemes) : [];
  if (schemes.length) {
    out.push({ type: 'heading', depth: 2, children: [text('Authentication')] });
    out.push(
      table(
        ['Name', 'Type', 'Details', 'Description'],
        schemes.slice(0, 50).map(([name, raw]) => {
          const s = isObject(deref(raw, doc)) ? (deref(raw, doc) as JsonObject) : {};
          const details = [s.scheme && `scheme ${String(s.scheme)}`, s.bearerFormat && `format ${String(s.bearerFormat)}`, s.in && s.name && `${String(s.name)} in ${String(s.in)}`, isObject(s.flows) && `flows: ${Object.keys(s.flows).join(', ')}`].filter(
            (d): d is string => typeof d === 'string',
          );
          return [[code(name)], [text(String(s.type ?? ''))], details.length ? [code(details.join('; '))] : [], typeof s.description === 'string' ? inlineMarkdown(s.description) : []];
        }),
      ),
    );
  }
  return out;
}

/** The Markdown of an API reference page. */
export function apiMarkdown({ model, declared }: ApiMarkdownInput): string {
  const anchors = new Map(model.schemas.map((s) => [`#/components/schemas/${s.name}`, s.anchor]));
  const ctx: SchemaContext = { document: model.document, anchorOfRef: (ref) => anchors.get(decodeURIComponent(ref).replace(/~1/g, '/').replace(/~0/g, '~')) ?? anchors.get(ref) };
  const children: RootContent[] = overview(model, declared);
  if (model.tags.length) {
    children.push({ type: 'heading', depth: 2, children: [text('Operations')] });
    // A short index of every operation, by tag: the page is long, and this is where readers look first.
    children.push(
      table(
        ['Operation', 'Summary'],
        model.tags.flatMap((t) =>
          t.operations.map((op) => [
            [{ type: 'link', url: `#${op.anchor}`, children: [code(`${op.method.toUpperCase()} ${op.path}`)] } satisfies PhrasingContent],
            typeof op.operation.summary === 'string' ? inlineMarkdown(op.operation.summary) : [],
          ]),
        ),
      ),
    );
  }
  for (const tag of model.tags) {
    children.push(anchoredHeading(2, tag.anchor, escapeHtml(tag.name)));
    if (tag.description?.trim()) children.push(...blockMarkdown(tag.description));
    children.push(...externalDocs(tag.externalDocs));
    for (const op of tag.operations) children.push(...operationBlocks(op, ctx));
  }
  if (model.schemas.length) {
    children.push({ type: 'heading', depth: 2, children: [text('Schemas')] } satisfies Heading);
    for (const s of model.schemas) {
      children.push(anchoredHeading(3, s.anchor, `<code>${escapeHtml(s.name)}</code>`));
      const schema = isObject(s.schema) ? s.schema : {};
      if (typeof schema.description === 'string' && schema.description.trim()) children.push(...blockMarkdown(schema.description));
      children.push(para(text('Type: '), ...schemaSummary(s.schema, ctx)));
      const list = schemaList(s.schema, ctx);
      if (list) children.push(list);
    }
  }
  return String(writer.stringify({ type: 'root', children }));
}

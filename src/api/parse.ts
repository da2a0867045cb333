/**
 * An OpenAPI or Swagger document from its text to an OpenAPI 3.x object, with every problem as a warning
 * naming the file: YAML or JSON read with the `yaml` library (bounded aliases), Swagger 2.0 upgraded by
 * @scalar/openapi-upgrader, the result checked against the specification's schema by @scalar/openapi-parser.
 * Nothing here fetches: a `$ref` to another file or host is reported and left unresolved.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { validate } from '@scalar/openapi-parser';
import { upgradeFromTwoToThree } from '@scalar/openapi-upgrader/2.0-to-3.0';
import { LineCounter, parseDocument } from 'yaml';
import type { Warning } from '../core/warning.ts';
import type { SourceDocument } from '../sources/types.ts';

/** Largest document rendered; Gen3's largest is about 100 KB. */
export const MAX_API_BYTES = 5 * 1024 * 1024;
/** Deepest nesting kept; deeper values are cut (real documents nest a few dozen levels at most). */
export const MAX_API_DEPTH = 64;
/** YAML aliases expanded at most (a "billion laughs" document expands one alias into millions of nodes). */
const MAX_ALIASES = 100;
/** Validation problems listed in the warning; the rest are counted. */
const LISTED_PROBLEMS = 3;

export type JsonObject = Record<string, unknown>;

export interface ParsedApi {
  /** The OpenAPI 3.x document; undefined when nothing usable could be read. */
  document?: JsonObject;
  /** The version the file declares ("2.0", "3.0.1", "3.1.0"). */
  declared?: string;
  warnings: Warning[];
}

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses, upgrades and checks one document. Never throws. */
export async function parseApiDocument(doc: SourceDocument): Promise<ParsedApi> {
  const file = `${doc.repo}/${doc.path}`;
  const warnings: Warning[] = [];
  const warn = (message: string, line?: number) => warnings.push({ file, message, ...(line ? { line } : {}), ruleId: 'openapi' });
  if (doc.text.length > MAX_API_BYTES) {
    warn(`${(doc.text.length / 1024 / 1024).toFixed(1)} MB is over the ${MAX_API_BYTES / 1024 / 1024} MB limit for OpenAPI documents; no API reference is made, the file stays on GitHub`);
    return { warnings };
  }
  let data: unknown;
  try {
    const lines = new LineCounter();
    const parsed = parseDocument(doc.text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const error = parsed.errors[0];
    if (error) {
      const line = error.pos ? lines.linePos(error.pos[0]).line : undefined;
      warn(`not valid YAML or JSON (${error.message.split('\n')[0]}); fix the syntax to get an API reference`, line);
      return { warnings };
    }
    data = parsed.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    warn(`could not be read: ${(error as Error).message.split('\n')[0]}; no API reference is made`);
    return { warnings };
  }
  if (!isObject(data)) {
    warn(`is not an OpenAPI document: its top level is ${Array.isArray(data) ? 'a list' : data === null ? 'empty' : `a ${typeof data}`}, not an object`);
    return { warnings };
  }
  const declared = String(data.openapi ?? data.swagger ?? '');
  let document: JsonObject;
  if (/^2\.0(\.\d+)?$/.test(String(data.swagger)) && data.openapi === undefined) {
    try {
      document = upgradeFromTwoToThree(structuredClone(bounded(data, warn))) as unknown as JsonObject;
    } catch (error) {
      warn(`Swagger 2.0 document could not be converted to OpenAPI 3 (${(error as Error).message}); no API reference is made`);
      return { declared, warnings };
    }
  } else if (/^3\.[01]\.\d+$/.test(String(data.openapi))) {
    document = bounded(data, warn);
  } else {
    warn(`declares ${data.openapi !== undefined ? `openapi: ${JSON.stringify(data.openapi)}` : data.swagger !== undefined ? `swagger: ${JSON.stringify(data.swagger)}` : 'neither openapi nor swagger'}; only Swagger 2.0 and OpenAPI 3.0 and 3.1 are rendered`);
    return { declared, warnings };
  }
  await checkSchema(document, declared, warn);
  for (const ref of externalRefs(document)) warn(`$ref ${JSON.stringify(ref.slice(0, 200))} points outside the document; it is not fetched and is shown as an unresolved reference`);
  return { document, declared, warnings };
}

/** A copy of `value` without cycles (YAML aliases can make them) and cut at MAX_API_DEPTH, with one warning. */
function bounded(value: JsonObject, warn: (message: string) => void): JsonObject {
  let cut = false;
  const copy = (v: unknown, depth: number, path: Set<unknown>): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= MAX_API_DEPTH || path.has(v)) {
      cut = true;
      return undefined;
    }
    path.add(v);
    const out = Array.isArray(v) ? v.map((x) => copy(x, depth + 1, path)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x, depth + 1, path)]));
    path.delete(v);
    return out;
  };
  const result = copy(value, 0, new Set()) as JsonObject;
  if (cut) warn(`nested deeper than ${MAX_API_DEPTH} levels or through a YAML alias that contains itself; the deeper part is left out`);
  return result;
}

type ValidationResult = { valid: boolean; errors?: { message: string; path?: string }[] };
type Validate = (document: JsonObject) => Promise<ValidationResult>;

/**
 * The parser's `validate` makes a new validator, and so compiles the specification's JSON schema with Ajv again,
 * for every document (about 0.1 to 0.2 s each). Its Validator class keeps one compiled schema per OpenAPI
 * version, so one instance serves every document of a build. The class is not among the package's exports: it
 * is loaded from the package's own files, and when their layout changes the public `validate` is used instead,
 * slower but the same answers (apiValidator() says which one is in use).
 */
async function loadSharedValidator(): Promise<Validate | undefined> {
  try {
    const entry = pathToFileURL(createRequire(import.meta.url).resolve('@scalar/openapi-parser'));
    const [{ Validator }, { makeFilesystem }] = (await Promise.all([import(new URL('./lib/Validator/Validator.js', entry).href), import(new URL('./utils/make-filesystem.js', entry).href)])) as [
      { Validator: new () => { validate(filesystem: unknown): ValidationResult } },
      { makeFilesystem: (value: unknown) => unknown },
    ];
    if (typeof Validator !== 'function' || typeof makeFilesystem !== 'function') return undefined;
    const validator = new Validator();
    return async (document) => validator.validate(makeFilesystem(document));
  } catch {
    return undefined;
  }
}

let validator: Promise<{ kind: 'shared' | 'per-document'; validate: Validate }> | undefined;
/** The validator in use: one kept for every document ('shared'), or the package's per-call one. */
export function apiValidator(): Promise<{ kind: 'shared' | 'per-document'; validate: Validate }> {
  validator ??= loadSharedValidator().then((shared) => (shared ? { kind: 'shared' as const, validate: shared } : { kind: 'per-document' as const, validate: (d: JsonObject) => validate(d) as Promise<ValidationResult> }));
  return validator;
}

async function checkSchema(document: JsonObject, declared: string, warn: (message: string) => void): Promise<void> {
  const check = (await apiValidator()).validate;
  // The validator prints its own internal failures to the console; they become this warning instead.
  const consoleError = console.error;
  try {
    console.error = () => {};
    const { valid, errors } = await check(structuredClone(document));
    console.error = consoleError;
    if (valid || !errors?.length) return;
    const listed = errors.slice(0, LISTED_PROBLEMS).map((e) => `${e.message}${e.path ? ` at ${e.path}` : ''}`);
    const more = errors.length > LISTED_PROBLEMS ? `, and ${errors.length - LISTED_PROBLEMS} more` : '';
    warn(`does not follow the OpenAPI ${document.openapi === declared ? declared : `${declared} (as converted to ${String(document.openapi)})`} schema: ${listed.join('; ')}${more}; the page shows what could be read`);
  } catch (error) {
    console.error = consoleError;
    warn(`could not be checked against the OpenAPI schema (${(error as Error).message.split('\n')[0]}); the page shows what could be read`);
  }
}

/** Every distinct `$ref` that is not a fragment of this document. */
export function externalRefs(document: JsonObject): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if (typeof v.$ref === 'string' && !v.$ref.startsWith('#')) found.add(v.$ref);
      Object.values(v).forEach(walk);
    }
  };
  walk(document);
  return [...found];
}

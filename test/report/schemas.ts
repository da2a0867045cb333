/** The shipped JSON Schemas, compiled once with Ajv (draft 2020-12). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ROOT } from '../publish/helpers.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
// A plain RFC 3339 check; ajv-formats is not a dependency.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

const load = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'docs/schemas', name), 'utf8'));
export const validateManifest = ajv.compile(load('manifest.schema.json'));
export const validateReport = ajv.compile(load('build-report.schema.json'));

export function errorsOf(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

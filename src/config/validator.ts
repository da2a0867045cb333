/**
 * The validator of sources.json, compiled ahead of time with the rest of the program: bin/compile.js writes it
 * as JavaScript beside the compiled code (dist/config/sources-validator.cjs, Ajv's standalone code), so that a
 * build neither loads Ajv nor compiles the schema at every start (0.1 to 0.15 s, a good part of a rebuild that
 * finds nothing changed). The file names the hash of the schema it was made from; under a TypeScript loader,
 * or when the file is missing or was made from another schema, the schema is compiled at start instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../sources.schema.json', import.meta.url));
/** Where bin/compile.js puts the validator: beside this module, so only the compiled program has one. */
export const COMPILED_VALIDATOR = fileURLToPath(new URL('./sources-validator.cjs', import.meta.url));

export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const require = createRequire(import.meta.url);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function compile(schemaText: string, source: boolean) {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // The schema is checked against the JSON Schema meta-schema by the tests, not at every start (~120 ms).
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateSchema: false, code: { source } });
  return { ajv, validate: ajv.compile(JSON.parse(schemaText)) as Validator };
}

/** The validator of a schema as a CommonJS module, stamped with the hash of the schema's text. */
export function validatorCode(schemaText: string): string {
  const { default: standaloneCode } = require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js');
  const { ajv, validate } = compile(schemaText, true);
  return `${standaloneCode(ajv, validate as Parameters<typeof standaloneCode>[1])}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256(schemaText))};\n`;
}

/** Writes the validator of `schemaFile` to `file` (bin/compile.js, after compiling src/). */
export function writeCompiledValidator(file = COMPILED_VALIDATOR, schemaFile = SCHEMA_FILE): void {
  writeFileSync(file, validatorCode(readFileSync(schemaFile, 'utf8')));
}

/** The validator of `schemaFile`: the one compiled ahead of time when it was made from this text, else compiled now. */
export function loadValidator(schemaFile = SCHEMA_FILE, compiled = COMPILED_VALIDATOR): Validator {
  const text = readFileSync(schemaFile, 'utf8');
  if (existsSync(compiled)) {
    const ahead = require(compiled) as Validator & { schemaSha256?: unknown };
    if (ahead.schemaSha256 === sha256(text)) return ahead;
  }
  return compile(text, false).validate;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { ParseError } from 'jsonc-parser';
import type { Config, RepositoryConfig } from './types.ts';
import { loadValidator, type Validator } from './validator.ts';

/** A problem with the configuration: the CLI turns it into exit code 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

let validator: Validator | undefined;

function validate(data: unknown): ErrorObject[] {
  validator ??= loadValidator();
  return validator(data) ? [] : (validator.errors ?? []);
}

/** `/repositories/3/repo` -> `repositories[3].repo`, the way people read JSON paths. */
export function jsonPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

const HINTS: Record<string, string> = {
  '#/$defs/repoName/pattern': 'must be a GitHub repository as owner/name, e.g. "uc-cdis/fence"',
  '#/$defs/repoPath/pattern': 'must be a path inside the repository: no leading "/", no "..", no backslashes or control characters',
  '#/$defs/glob/pattern': 'must be a glob inside the repository: no leading "/", no "..", no backslashes or control characters',
  '#/$defs/ref/pattern': 'must be a branch, tag or commit sha (letters, digits, ".", "_", "-", "/")',
  '#/$defs/specPath/pattern': 'must be the path of a YAML or JSON file inside the repository (ending in .yaml, .yml or .json; no leading "/", no "..", no glob characters)',
};

/** `api` is one of three shapes: its errors (one per shape tried) are said once, plainly. */
const API_SHAPES = 'must be the path of an OpenAPI document, a list of such paths, or false to find none';

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    return `${jsonPath(error.instancePath, key)}: unknown key "${key}" (check its spelling against sources.schema.json)`;
  }
  if (error.keyword === 'required') {
    const key = (error.params as { missingProperty: string }).missingProperty;
    return `${jsonPath(error.instancePath, key)}: required key "${key}" is missing`;
  }
  const hint = HINTS[error.schemaPath];
  if (!hint && /^\/repositories\/\d+\/api$/.test(error.instancePath)) return `${jsonPath(error.instancePath)}: ${API_SHAPES}`;
  return `${jsonPath(error.instancePath)}: ${hint ?? error.message ?? 'is not valid'}`;
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Only a file that is not JSON needs the parser that says where it went wrong.
  }
  const { parse: parseJsonc, printParseErrorCode } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    const problem = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw new ConfigError(`${file}:${line}:${column}: not valid JSON (${problem}); fix the syntax and run again`, file);
  }
  return data;
}

/** Validates already-parsed config data; `file` is only used in messages. */
export function parseConfig(data: unknown, file: string): Config {
  const errors = validate(data);
  if (errors.length > 0) {
    // The top-level anyOf only says that one of the two lists is needed; say that once, plainly.
    const lines = [
      ...new Set(
        errors.map((e) =>
          e.schemaPath.startsWith('#/anyOf') ? '(top level): list repositories under "repositories", organisations under "organizations", or both' : describe(e),
        ),
      ),
    ];
    throw new ConfigError(`${file}: invalid configuration\n${lines.map((l) => `  - ${l}`).join('\n')}`, file);
  }
  const raw = data as Omit<Config, 'file' | 'site' | 'repositories'> & { site?: Partial<Config['site']>; repositories?: RepositoryConfig[] };
  raw.repositories ??= [];
  const seen = new Map<string, number>();
  raw.repositories.forEach((entry: RepositoryConfig, index: number) => {
    const key = entry.repo.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ConfigError(
        `${file}: invalid configuration\n  - repositories[${index}].repo: "${entry.repo}" is already listed at repositories[${first}]; list each repository once`,
        file,
      );
    }
    seen.set(key, index);
  });
  return {
    file,
    site: { title: raw.site?.title ?? 'Gen3 Documentation', baseUrl: raw.site?.baseUrl ?? '/', origin: raw.site?.origin },
    repositories: raw.repositories,
    ...(raw.organizations ? { organizations: raw.organizations } : {}),
    releaseNotes: raw.releaseNotes,
    guides: raw.guides,
    ...(raw.redirects ? { redirects: raw.redirects } : {}),
  };
}

/** Reads and validates sources.json. Throws ConfigError naming the file, the JSON path and the problem. */
export function loadConfig(file: string): Config {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read the configuration (${code ?? (error as Error).message}); pass an existing file with --config`, file);
  }
  return parseConfig(parseJson(text.replace(/^\uFEFF/, ''), file), file);
}

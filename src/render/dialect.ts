/**
 * Which Markdown dialect a page is written in. Repository pages are read as GitHub reads them (no dialect);
 * the guides as MkDocs reads them, with the `markdown_extensions` their mkdocs.yml lists.
 */
import YAML from 'yaml';
import { warning, type Warning } from '../core/warning.ts';
import { remarkMkdocsDialect, type MkdocsExtensionEntry } from './remark-mkdocs-dialect.ts';

export interface MkdocsDialectSpec {
  name: 'mkdocs';
  /** mkdocs.yml `markdown_extensions`, as listed. */
  extensions: MkdocsExtensionEntry[];
}

/** Undefined: GitHub's dialect. */
export type Dialect = MkdocsDialectSpec | undefined;

/** A stable key of a dialect: one processor per key, and part of the render cache key. */
export function dialectKey(dialect: Dialect): string {
  return dialect ? `mkdocs:${JSON.stringify(dialect.extensions)}` : 'github';
}

/**
 * The dialect of the pages of a MkDocs site, from its mkdocs.yml text. `file` names the yml in warnings: one
 * warning per listed extension that is not implemented (not one per page), and one if the list cannot be read.
 */
export function mkdocsDialectOf(text: string, file: string, warnings: Warning[]): MkdocsDialectSpec {
  let data: unknown;
  try {
    // MkDocs files carry Python tags (!!python/name:...) that mean nothing here: they load as plain values.
    data = YAML.parse(text, { logLevel: 'silent', uniqueKeys: false });
  } catch (error) {
    warnings.push(warning(file, 'mkdocs-extension', `cannot read markdown_extensions: ${(error as Error).message}; the guides are rendered without MkDocs extensions`));
    return { name: 'mkdocs', extensions: [] };
  }
  const listed = data && typeof data === 'object' ? (data as Record<string, unknown>).markdown_extensions : undefined;
  if (listed !== undefined && !Array.isArray(listed)) {
    warnings.push(warning(file, 'mkdocs-extension', 'markdown_extensions is not a list; the guides are rendered without MkDocs extensions'));
    return { name: 'mkdocs', extensions: [] };
  }
  const extensions = (listed ?? []).filter(
    (e): e is MkdocsExtensionEntry => typeof e === 'string' || (!!e && typeof e === 'object' && !Array.isArray(e)),
  );
  for (const name of remarkMkdocsDialect({ extensions }).unsupported) {
    warnings.push(warning(file, 'mkdocs-extension', `markdown extension ${name} is not supported; the guides are rendered without it`));
  }
  return { name: 'mkdocs', extensions };
}

/**
 * The guides' dialect, from the mkdocs.yml loaded with the guides repository (`nav` in the config, else
 * mkdocs.yml). Without that file the guides are read as GitHub reads them (a missing nav file is warned about
 * where the navigation is made).
 */
export function guidesDialect(
  guides: { repo: string; nav?: string } | undefined,
  documentsOf: (repo: string) => Array<{ path: string; text: string }> | undefined,
  warnings: Warning[],
): Dialect {
  if (!guides) return undefined;
  const ymlPath = guides.nav ?? 'mkdocs.yml';
  const yml = documentsOf(guides.repo)?.find((d) => d.path === ymlPath);
  return yml ? mkdocsDialectOf(yml.text, `${guides.repo}/${ymlPath}`, warnings) : undefined;
}

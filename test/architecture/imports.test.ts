/**
 * The build is a line of stages, and code may only reach back along it: a stage imports from itself and from
 * earlier stages, never from a later one, and no two folders import each other, so any stage can be read,
 * tested and replaced with only what comes before it in mind.
 *
 * Order, earliest first, following the data:
 *   core      shared vocabulary (warnings, output files, bundle names, concurrency) and the GFM parser plugin
 *             every stage that reads Markdown uses; imports nothing of ours
 *   cache     verified cache entries and folders, used by every stage that caches
 *   config    sources.json
 *   forge     URLs of a code forge (build and parse), used by sources and everything after
 *   sources   repositories -> documents
 *   catalog   documents -> pages and their URLs
 *   api       OpenAPI documents -> API reference pages (as Markdown), before rendering
 *   releases  release notes -> a release plan, before rendering
 *   render    the render stage: pages -> HTML
 *   compose   rendered pages and the release plan -> the files of the site
 *   publish   files -> out/, with the Markdown export and the manifest
 *   report    what the build did, including what publish wrote, so it comes after publish
 *   top level build.ts, cli.ts, preview.ts: may import anything
 *
 * Every import counts: static `import ... from`, `export ... from`, side-effect `import '...'` and dynamic
 * `import('...')`, types included, since a type import is still a dependency of the code that reads it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const STAGES = ['core', 'cache', 'config', 'forge', 'sources', 'catalog', 'api', 'releases', 'render', 'compose', 'publish', 'report'];
const TOP = '(top level)';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/**
 * Relative import specifiers of a file's code, read by TypeScript's own pre-processor, which skips comments
 * and strings and sees dynamic imports as well as static ones.
 */
export function importsOf(code: string): string[] {
  return ts
    .preProcessFile(code, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((spec) => spec.startsWith('.'));
}

/** The stage of a file of src/: its first folder, or the top level. */
function stageOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length > 0 ? first! : TOP;
}

function rank(stage: string): number {
  return stage === TOP ? STAGES.length : STAGES.indexOf(stage);
}

interface Edge {
  from: string;
  to: string;
  /** "compose/site.ts -> ../publish/manifest.ts" */
  where: string;
}

function folderEdges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8')).flatMap((spec) => {
      const target = path.resolve(path.dirname(file), spec);
      const from = stageOf(file);
      const to = stageOf(target);
      return from === to ? [] : [{ from, to, where: `${path.relative(SRC, file)} -> ${spec}` }];
    }),
  );
}

/** Folders that reach themselves through imports, each cycle named by its path. */
function cycles(edges: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) next.set(from, (next.get(from) ?? new Set()).add(to));
  const found: string[] = [];
  const visit = (node: string, trail: string[]): void => {
    for (const to of next.get(node) ?? []) {
      if (to === trail[0]) found.push([...trail, to].join(' -> '));
      else if (!trail.includes(to) && to > trail[0]!) visit(to, [...trail, to]);
    }
  };
  for (const start of [...next.keys()].sort()) visit(start, [start]);
  return found;
}

describe('imports between stages', () => {
  const edges = folderEdges();

  it('reads the imports of src/ (static, re-exports, side effects, dynamic; comments ignored)', () => {
    const code = [
      "import type { A } from './a.ts';",
      "export { b } from '../b.ts';",
      "import './c.ts';",
      "const d = await import('./d.ts');",
      "import {\n  e,\n  f,\n} from '../e.ts';",
      "import fs from 'node:fs';",
      "/** import { g } from './g.ts'; */",
      "// const h = await import('./h.ts');",
      "const glob = 'docs/**/*.md'; import { i } from './i.ts';",
      "const text = `import('./j.ts')`; function later() { return import('./k.ts'); }",
    ].join('\n');
    expect(importsOf(code).sort()).toEqual(['../b.ts', '../e.ts', './a.ts', './c.ts', './d.ts', './i.ts', './k.ts']);
    // The real tree, whose build.ts loads some stages lazily.
    expect(importsOf(readFileSync(path.join(SRC, 'build.ts'), 'utf8'))).toContain('./publish/producers.ts');
    expect(edges.length).toBeGreaterThan(50);
  });

  it('puts every folder of src/ in a stage', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((folder) => !STAGES.includes(folder))).toEqual([]);
  });

  it('never imports from a later stage into an earlier one', () => {
    const backwards = edges.filter((e) => rank(e.to) > rank(e.from)).map((e) => `${e.from} imports ${e.to}: ${e.where}`);
    expect(backwards).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(cycles(edges)).toEqual([]);
  });

  it('keeps core free of any other code of the project', () => {
    expect(edges.filter((e) => e.from === 'core')).toEqual([]);
  });
});

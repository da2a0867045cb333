/** Shared by the bundle tests: the fixture and corpus inputs, building, and hashing a tree. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.ts';
import { build, type BuildOptions, type BuildResult } from '../../src/build.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE = { snapshot: path.join(ROOT, 'test/fixtures/bundle/github'), config: path.join(ROOT, 'test/fixtures/bundle/sources.json') };

const corpusDir = path.resolve(ROOT, process.env.CORPUS_DIR ?? '../shared/corpus');
export const CORPUS = existsSync(path.join(corpusDir, 'github'))
  ? { snapshot: path.join(corpusDir, 'github'), config: path.join(ROOT, 'sources.json') }
  : undefined;
export const CORPUS_SKIP_REASON = `corpus not found at ${corpusDir} (set CORPUS_DIR)`;

export type Input = { snapshot: string; config: string };

/** Says once, in the files that need them, why corpus or MkDocs tests are skipped. */
export function announceSkips(needs: { corpus?: boolean; mkdocs?: boolean }): void {
  if (needs.corpus && !CORPUS) console.log(`skipping corpus tests: ${CORPUS_SKIP_REASON}`);
  if (needs.mkdocs && !MKDOCS) console.log(`skipping MkDocs tests: ${MKDOCS_SKIP_REASON}`);
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `gen3-docs-${prefix}-`));
}

export async function buildInto(input: Input, outDir: string, extra: Pick<BuildOptions, 'strict' | 'allowRules' | 'only' | 'cacheDir'> = {}): Promise<BuildResult> {
  return build({ config: loadConfig(input.config), source: createSnapshotSource(input.snapshot), outDir, ...extra });
}

/** Every file under `dir` by relative path, with its sha256. */
export async function hashTree(dir: string, exclude: string[] = []): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p);
      else if (!exclude.includes(p)) out.set(p, createHash('sha256').update(await readFile(path.join(dir, p))).digest('hex'));
    }
  };
  await walk('');
  return out;
}

/** Relative link targets of a Markdown file that should name another file of the export. */
export function relativeTargets(markdown: string): string[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/<!--[\s\S]*?-->/g, '').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const urls = [
    ...[...body.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
    ...[...body.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
    ...[...body.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return urls.filter((u) => !/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(u)).map((u) => decodeURIComponent(u.split('#')[0]!)).filter(Boolean);
}

/** The .md files under `dir`, relative and sorted. */
export async function mdFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await mdFiles(dir, p)));
    else if (p.endsWith('.md')) out.push(p);
  }
  return out.sort();
}

/** Relative links of the exported files whose target is not a file of md/. */
export async function danglingLinks(mdDir: string): Promise<string[]> {
  const dangling: string[] = [];
  for (const file of await mdFiles(mdDir)) {
    const text = await readFile(path.join(mdDir, file), 'utf8');
    for (const target of relativeTargets(text)) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
      if (!existsSync(path.join(mdDir, resolved))) dangling.push(`${file} -> ${target}`);
    }
  }
  return dangling;
}

export const MKDOCS = spawnSync('mkdocs', ['--version'], { encoding: 'utf8' }).status === 0;
export const MKDOCS_SKIP_REASON = 'mkdocs is not installed (apt-get install mkdocs)';

/**
 * Builds a copy of md/ with MkDocs and returns the log lines about links (MkDocs 1.4 warns
 * "... contains a link to '...' which is not found in the documentation files"; 1.5+ words it differently).
 */
export async function mkdocsLinkWarnings(mdDir: string): Promise<{ status: number | null; warnings: string[]; log: string }> {
  const work = await tempDir('mkdocs');
  try {
    await cp(mdDir, path.join(work, 'docs'), { recursive: true });
    await writeFile(path.join(work, 'mkdocs.yml'), 'site_name: Export check\ndocs_dir: docs\nsite_dir: site\nuse_directory_urls: true\n');
    const run = spawnSync('mkdocs', ['build', '--strict'], { cwd: work, encoding: 'utf8', timeout: 300_000 });
    const log = `${run.stdout}${run.stderr}`;
    const warnings = log.split('\n').filter((l) => /WARNING|ERROR/.test(l) && /not found|does not exist|unrecognized relative link|missing/i.test(l));
    return { status: run.status, warnings, log };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

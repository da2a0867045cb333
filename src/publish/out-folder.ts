/**
 * Which folders a build may replace. Publishing swaps a whole new folder in for out/ and deletes the old one,
 * so out/ must be nothing but an earlier bundle: a folder that does not exist yet, an empty one, or one whose
 * manifest.json carries bundleVersion (every bundle has one; docs/bundle.md). Anything else (a source tree,
 * .git, a sibling project) is refused and left as it is.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from '../core/bundle.ts';

/** Whether `dir` holds a bundle an earlier build wrote. */
export function isBundle(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { bundleVersion?: unknown };
    return typeof manifest.bundleVersion === 'string';
  } catch {
    return false;
  }
}

/** Why `outDir` must not be replaced, or undefined when it may be. */
export function outFolderProblem(outDir: string): string | undefined {
  const out = path.resolve(outDir);
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return 'exists and is not a folder; refusing to replace it';
    return `${out} cannot be read (${(error as Error).message}); refusing to replace it`;
  }
  if (entries.length === 0 || isBundle(out)) return undefined;
  return (
    `${out} holds files and is not a bundle this tool built (it has no manifest.json with bundleVersion); ` +
    'the output folder is replaced as a whole on every build, so choose a new or empty folder, e.g. out'
  );
}

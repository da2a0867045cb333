/**
 * Hashes of this program's own files, so that caches know when the code that made an entry has changed
 * without anyone having to remember to bump a number.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The folder of the running program: `src/` under a TypeScript loader, `dist/` when compiled ahead of time. Caches
 * hash what actually runs, so a stale `dist/` never passes for the sources beside it.
 */
export const CODE_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** `.ts` or `.js`: the extension of the running program's modules. */
export const CODE_EXT = path.extname(fileURLToPath(import.meta.url));

/** Every file below `dir` but dot files (the compiler's build state), in a stable order; none when it does not exist. */
export function filesUnder(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
  } catch {
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // The entry's type saves a stat per file; a symbolic link is followed, as a stat does.
    const folder = entry.isSymbolicLink() ? statSync(full).isDirectory() : entry.isDirectory();
    return folder ? filesUnder(full) : [full];
  });
}

/** A hash of the names and bytes of these files (paths relative to the project, so clones agree). */
export function hashOfFiles(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(PROJECT_ROOT, file)).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex');
}

let code: string | undefined;
/** A hash of the program itself (sources, templates, locked dependencies): new code, new output. */
export function codeVersion(): string {
  code ??= hashOfFiles([
    ...filesUnder(CODE_ROOT),
    ...filesUnder(path.join(PROJECT_ROOT, 'templates')),
    path.join(PROJECT_ROOT, 'package-lock.json'),
  ]);
  return code;
}

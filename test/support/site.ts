/** Helpers for end-to-end tests: comparing built sites. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** path -> sha256 of every file of a built site; the build report holds timings and is left out. */
export function treeHashes(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) for (const [k, v] of treeHashes(full, `${prefix}${name}/`)) out.set(k, v);
    else if (`${prefix}${name}` !== 'build-report.json') out.set(`${prefix}${name}`, createHash('sha256').update(readFileSync(full)).digest('hex'));
  }
  return out;
}

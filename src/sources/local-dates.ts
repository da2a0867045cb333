/**
 * When each published file of a local checkout last changed: one `git log` over those paths, newest commit
 * first, read as it streams and stopped as soon as every path has its date, so a checkout with a long history
 * costs only as far back as its oldest page's last change. A file with uncommitted edits shows the date of its
 * last commit. Errors cost the dates, never the build.
 */
import { spawn } from 'node:child_process';
import type { TreeEntry } from './types.ts';
import { isMarkdownPath } from '../core/paths.ts';


/** Sets `updated` (YYYY-MM-DD of the committer date) on the tree entries of `paths` that Git has history for. */
export async function dateCheckoutFiles(root: string, tree: TreeEntry[], paths: readonly string[]): Promise<void> {
  const wanted = new Set(paths.filter(isMarkdownPath));
  if (wanted.size === 0) return;
  const dates = await newestCommitDates(root, wanted);
  for (const entry of tree) {
    const date = dates.get(entry.path);
    if (date && entry.type === 'blob') entry.updated = date;
  }
}

function newestCommitDates(root: string, wanted: Set<string>): Promise<Map<string, string>> {
  const dates = new Map<string, string>();
  return new Promise((resolve) => {
    // -z: NUL after each file name, so names with spaces or newlines come through as they are; a commit's
    // header line is "\0<date>" (%x00 before it), its files follow, NUL-separated.
    const child = spawn('git', ['-C', root, '-c', 'core.quotePath=false', 'log', '-z', '--no-renames', '--format=%x01%cs', '--name-only', 'HEAD', '--', ...wanted], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let date = '';
    let rest = '';
    const done = () => {
      child.stdout.removeAllListeners('data');
      resolve(dates);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\0');
      rest = parts.pop() ?? '';
      for (let part of parts) {
        part = part.replace(/^\n/, '');
        const header = /^\x01(\d{4}-\d{2}-\d{2})\n?(.*)$/s.exec(part);
        if (header) {
          date = header[1]!;
          part = header[2]!;
        }
        if (part && wanted.has(part) && !dates.has(part)) dates.set(part, date);
      }
      if (dates.size === wanted.size) {
        child.kill();
        done();
      }
    });
    child.on('error', done);
    child.on('close', done);
  });
}

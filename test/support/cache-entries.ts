/**
 * Cache entries as someone editing the cache by hand would touch them: the bytes after the hash line change,
 * the recorded hash stays (src/cache/entry.ts).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every file below `dir` (absolute paths), or none when it does not exist. */
export function filesBelow(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** The JSON payload of a sealed entry, read without checking its hash. */
export function entryPayload<T = unknown>(file: string): T {
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.slice(text.indexOf('\n') + 1)) as T;
}

/** Rewrites the payload of a sealed entry and keeps its first line, the hash of the old payload. */
export function editEntry<T>(file: string, edit: (payload: T) => T): void {
  const text = readFileSync(file, 'utf8');
  const header = text.slice(0, text.indexOf('\n') + 1);
  writeFileSync(file, header + JSON.stringify(edit(entryPayload<T>(file))));
}

/** The render-cache file of one page. */
export function renderEntry(cacheDir: string, repo: string, filePath: string): string {
  const file = filesBelow(path.join(cacheDir, 'render')).find((f) => {
    const entry = entryPayload<{ repo: string; path: string }>(f);
    return entry.repo === repo && entry.path === filePath;
  });
  if (!file) throw new Error(`no cached rendering of ${repo}/${filePath} in ${cacheDir}`);
  return file;
}

export const INJECTED = '<script>window.__pwned=1</script>';

/** Puts a script into the cached HTML of a page, after its first paragraph's opening tag. */
export function injectScript(file: string): void {
  editEntry<{ page: { html: string } }>(file, (entry) => {
    const html = entry.page.html.replace('<p>', `<p>${INJECTED}`);
    if (html === entry.page.html) throw new Error(`no paragraph to put a script into in ${file}`);
    return { ...entry, page: { ...entry.page, html } };
  });
}

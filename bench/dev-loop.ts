/**
 * The writers' loop, measured: starts `dist/dev.js` (compiled, as `npm run dev` runs it) on a local checkout,
 * waits for its first build, then appends a line to a Markdown page and times the way to the reloaded page:
 * the save, the reload event on the dev server's event stream, and the page served with the new line.
 * Run alone: `npx tsx bench/dev-loop.ts -- --checkout DIR --repo OWNER/NAME --page docs/x.md --url guides/x/
 * [build options]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EVENTS_PATH = '/__gen3-docs-dev/events';

export interface DevLoopOptions {
  /** The --local checkout and the repository it stands for. */
  checkout: string;
  repo: string;
  /** The page edited (path in the checkout) and its URL in the site. */
  page: string;
  url: string;
  /** Further build options: --snapshot, --config, --out, --cache. */
  buildArgs: string[];
  edits?: number;
  log?: (line: string) => void;
}

export interface DevLoopResult {
  /** Seconds from the first build's start to the server listening. */
  firstBuild: number;
  /** Seconds from each save to the reloaded page, and the median of them. */
  reloads: number[];
  median: number;
}

/** Resolves with the served URL once the dev server prints it. */
function started(child: ChildProcess, log: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => {
      for (const line of String(d).split('\n')) if (line.startsWith('dev:')) log(line);
    });
    child.on('exit', (code) => reject(new Error(`dev exited with ${code} before serving:\n${out}`)));
  });
}

/** Reads the event stream and calls `onReload` for each reload event. */
async function listen(url: string, onReload: () => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal });
  const reader = response.body!.getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += Buffer.from(value).toString();
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          if (buffer.slice(0, cut).includes('event: reload')) onReload();
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch {
      // aborted
    }
  })();
}

export async function measureDevLoop(options: DevLoopOptions): Promise<DevLoopResult> {
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=32', '--heap-growing-percent=100', path.join(ROOT, 'dist/dev.js'), '--port', '0', '--local', `${options.repo}=${options.checkout}`, ...options.buildArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
  );
  const file = path.join(options.checkout, options.page);
  const original = readFileSync(file);
  const abort = new AbortController();
  try {
    const base = await started(child, log);
    const firstBuild = (performance.now() - t0) / 1000;
    let waiting: (() => void) | undefined;
    await listen(new URL(EVENTS_PATH, base).href, () => waiting?.(), abort.signal);
    const reloads: number[] = [];
    for (let i = 0; i < (options.edits ?? 5); i++) {
      const marker = `Edited in the dev loop, save ${i + 1} ${Date.now()}.`;
      const reloaded = new Promise<void>((resolve) => (waiting = resolve));
      const saved = performance.now();
      appendFileSync(file, `\n\n${marker}\n`);
      await reloaded;
      const html = await (await fetch(new URL(options.url, base))).text();
      const seconds = (performance.now() - saved) / 1000;
      if (!html.includes(marker)) throw new Error(`the reloaded ${options.url} does not show the edit`);
      reloads.push(seconds);
      log(`save ${i + 1}: reloaded page in ${seconds.toFixed(2)} s`);
      // Past the catch-up delay once, so that later saves also meet a full build in progress or done.
      await new Promise((r) => setTimeout(r, i === 1 ? 6000 : 1500));
    }
    const sorted = [...reloads].sort((a, b) => a - b);
    return { firstBuild, reloads, median: sorted[Math.floor(sorted.length / 2)]! };
  } finally {
    abort.abort();
    child.kill('SIGTERM');
    writeFileSync(file, original);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const take = (name: string) => {
    const i = argv.indexOf(name);
    const value = argv[i + 1];
    if (i < 0 || !value) throw new Error(`${name} is required`);
    argv.splice(i, 2);
    return value;
  };
  const [checkout, repo, page, url] = [take('--checkout'), take('--repo'), take('--page'), take('--url')];
  const result = await measureDevLoop({ checkout, repo, page, url, buildArgs: argv, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

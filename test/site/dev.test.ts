/**
 * `npm run dev` on the fixture bundle with one repository read from a Git checkout made here: an edit to a
 * Markdown file is rebuilt, the open page is told to reload and then shows the edit; a broken configuration
 * is reported and the last good site stays served; the reload script is only ever in what the server sends.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/corpus.ts';
import { removeTemporaryFolders, temporaryFolder } from '../support/hostile-snapshot.ts';
import { EVENTS_PATH, parseDevArgs, RELOAD_SCRIPT, startDev, type DevServer } from '../../src/dev.ts';
import { build } from '../../src/build.ts';
import { prepareBuild } from '../../src/cli.ts';

const SNAPSHOT = path.join(PROJECT_ROOT, 'test/fixtures/bundle/github');
const REPO = 'fixture-docs/svc-alpha';

/** Every file under `dir`, by path relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

/** The events of a dev server's stream, as they arrive. */
async function eventStream(url: string, signal: AbortSignal): Promise<{ next(name: string, timeoutMs: number): Promise<void>; unread(): string[] }> {
  const response = await fetch(url, { signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = response.body!.getReader();
  const seen: string[] = [];
  let buffer = '';
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += Buffer.from(value).toString();
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const m = /^event: (\w+)$/m.exec(buffer.slice(0, cut));
          if (m) seen.push(m[1]!);
          buffer = buffer.slice(cut + 2);
          wake?.();
        }
      }
    } catch {
      // the stream was aborted
    }
  })();
  return {
    unread: () => [...seen],
    async next(name, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = seen.indexOf(name);
        if (at >= 0) {
          seen.splice(0, at + 1);
          return;
        }
        if (Date.now() > deadline) throw new Error(`no "${name}" event within ${timeoutMs} ms (saw: ${seen.join(', ') || 'none'})`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

afterAll(removeTemporaryFolders);

describe('npm run dev', () => {
  let dev: DevServer | undefined;
  afterAll(async () => dev?.close());

  it('rebuilds an edited page of a --local checkout, reloads the open page, and keeps the last good site on a broken configuration', async () => {
    const dir = temporaryFolder('dev-');
    const checkout = path.join(dir, 'svc-alpha');
    mkdirSync(path.join(checkout, 'docs'), { recursive: true });
    writeFileSync(path.join(checkout, 'README.md'), '# Alpha\n\nSee [setup](docs/setup.md).\n');
    writeFileSync(path.join(checkout, 'docs/setup.md'), '# Setup\n\nThe first version of this page.\n');
    const git = (...args: string[]) => execFileSync('git', ['-C', checkout, ...args], { stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'init');
    const config = path.join(dir, 'sources.json');
    const goodConfig = readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/bundle/sources.json'), 'utf8');
    writeFileSync(config, goodConfig);
    const out = path.join(dir, 'out');

    const { args, serve } = parseDevArgs(['--snapshot', SNAPSHOT, '--config', config, '--out', out, '--cache', path.join(dir, 'cache'), '--local', `${REPO}=${checkout}`, '--port', '0']);
    expect(serve.port).toBe(0);
    dev = await startDev(args, serve);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { pages: { url: string; repo: string; path: string }[] };
    const pageUrl = manifest.pages.find((p) => p.repo === REPO && p.path === 'docs/setup.md')!.url;
    const page = async () => {
      const response = await fetch(new URL(pageUrl, dev!.url));
      expect(response.status).toBe(200);
      return response.text();
    };
    const first = await page();
    expect(first).toContain('The first version of this page.');
    expect(first).toContain(RELOAD_SCRIPT);
    expect(first.indexOf(RELOAD_SCRIPT)).toBeLessThan(first.lastIndexOf('</body>'));

    const abort = new AbortController();
    try {
      const events = await eventStream(new URL(EVENTS_PATH, dev.url).href, abort.signal);
      writeFileSync(path.join(checkout, 'docs/setup.md'), '# Setup\n\nThe second version, saved while the server ran.\n');
      await events.next('reload', 60_000);
      const second = await page();
      expect(second).toContain('The second version, saved while the server ran.');
      expect(second).not.toContain('The first version of this page.');

      // A configuration that does not validate: reported, nothing published, the edited page still served.
      writeFileSync(config, JSON.stringify({ site: { title: 'x' }, repositories: [{ repo: 'not a repository' }] }));
      await events.next('failed', 60_000);
      expect(await page()).toContain('The second version, saved while the server ran.');
      // Fixed again: the next save builds.
      writeFileSync(config, goodConfig);
      await events.next('reload', 60_000);
    } finally {
      abort.abort();
    }
    await dev.close();
    dev = undefined;

    // The files in out/ never hold the reload script or the event stream's path.
    const files = filesUnder(out);
    expect(files).toContain('index.html');
    for (const file of files) {
      const text = readFileSync(path.join(out, file), 'latin1');
      expect(text.includes(EVENTS_PATH) || text.includes('data-gen3-docs-dev'), file).toBe(false);
    }
  });

  it('writes a saved page at once, as the build that follows and a build from scratch make it; a new title goes through a build', async () => {
    const dir = temporaryFolder('dev-page-');
    const checkout = path.join(dir, 'svc-alpha');
    mkdirSync(path.join(checkout, 'docs'), { recursive: true });
    writeFileSync(path.join(checkout, 'README.md'), '# Alpha\n\nSee [setup](docs/setup.md) and [its steps](docs/setup.md#steps).\n');
    writeFileSync(path.join(checkout, 'docs/setup.md'), '# Setup\n\n## Steps\n\nThe first version of this page.\n');
    const git = (...args: string[]) => execFileSync('git', ['-C', checkout, ...args], { stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'init');
    const config = path.join(dir, 'sources.json');
    writeFileSync(config, readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/bundle/sources.json'), 'utf8'));
    const out = path.join(dir, 'out');
    const { args, serve } = parseDevArgs(['--snapshot', SNAPSHOT, '--config', config, '--out', out, '--cache', path.join(dir, 'cache'), '--local', `${REPO}=${checkout}`, '--port', '0']);
    dev = await startDev(args, serve);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { pages: { url: string; repo: string; path: string }[] };
    const urlOf = (file: string) => manifest.pages.find((p) => p.repo === REPO && p.path === file)!.url;
    const pageFile = path.join(out, urlOf('docs/setup.md'), 'index.html');
    const readmeFile = path.join(out, urlOf('README.md'), 'index.html');
    const generatedAt = () => (JSON.parse(readFileSync(path.join(out, 'build-report.json'), 'utf8')) as { generatedAt: string }).generatedAt;
    const firstReport = generatedAt();

    const abort = new AbortController();
    try {
      const events = await eventStream(new URL(EVENTS_PATH, dev.url).href, abort.signal);
      writeFileSync(path.join(checkout, 'docs/setup.md'), '# Setup\n\n## Steps\n\nThe second version, written at once.\n');
      await events.next('reload', 60_000);
      // No build ran: the report is the first build's, and only the saved page changed.
      expect(generatedAt()).toBe(firstReport);
      const fast = readFileSync(pageFile);
      expect(fast.toString()).toContain('The second version, written at once.');

      // The build that follows once saves pause makes the same page, and tells no open page to reload again.
      const deadline = Date.now() + 120_000;
      while (generatedAt() === firstReport && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(generatedAt()).not.toBe(firstReport);
      expect(readFileSync(pageFile).equals(fast)).toBe(true);
      expect(events.unread()).toEqual([]);

      // So does a build from scratch of the same checkout.
      const scratch = path.join(dir, 'scratch');
      const prepared = await prepareBuild({ ...args, out: scratch, 'no-cache': true });
      await build({ ...prepared.options, markdown: false, search: false });
      expect(readFileSync(path.join(scratch, urlOf('docs/setup.md'), 'index.html')).equals(fast)).toBe(true);

      // A new title is shown by other pages (the README's sidebar): a build makes the site before the reload.
      const secondReport = generatedAt();
      writeFileSync(path.join(checkout, 'docs/setup.md'), '# Setting up\n\n## Steps\n\nThe third version.\n');
      await events.next('reload', 60_000);
      expect(generatedAt()).not.toBe(secondReport);
      expect(readFileSync(pageFile, 'utf8')).toContain('The third version.');
      expect(readFileSync(readmeFile, 'utf8')).toContain('Setting up');
    } finally {
      abort.abort();
    }
    await dev.close();
    dev = undefined;
  });
});

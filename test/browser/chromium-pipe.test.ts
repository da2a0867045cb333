/**
 * The build's own DevTools client, over Chromium's pipe, in Debian's Chromium: answers, events, errors, a
 * browser that dies, and a close that leaves neither process nor profile behind. Then the diagram page it
 * drives: its own origin and mermaid's files load, nothing else does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processExists } from '../../src/core/process.ts';
import { launchChromium, type Chromium } from '../../src/publish/chromium-pipe.ts';
import { CHROMIUM_ARGS, evaluate, openDiagramPage } from '../../src/publish/diagram-browser.ts';
import { CHROMIUM, hasChromium, noteSkipped, ownChromiumProfiles } from '../support/browser.ts';
import { PROJECT_ROOT } from '../support/corpus.ts';

noteSkipped('Chromium pipe');

const alive = (pid: number | undefined) => pid !== undefined && processExists(pid);


describe.skipIf(!hasChromium)('Chromium over its DevTools pipe', () => {
  it('answers commands, delivers a page\'s events, and closes leaving no process or profile', async () => {
    const browser = await launchChromium(CHROMIUM, CHROMIUM_ARGS);
    expect(existsSync(browser.profile)).toBe(true);
    const page = await browser.newPage();
    expect(await evaluate<number>(page, '6 * 7')).toBe(42);
    const logged = new Promise((resolve) => page.on('Runtime.consoleAPICalled', (params) => resolve(params.args)));
    await page.send('Runtime.enable');
    await evaluate(page, 'console.log("from the page")');
    expect(await logged).toEqual([{ type: 'string', value: 'from the page' }]);
    await expect(page.send('No.suchCommand')).rejects.toThrow(/No\.suchCommand/);
    await expect(evaluate(page, 'throw new Error("thrown in the page")')).rejects.toThrow('thrown in the page');
    await browser.close();
    expect(alive(browser.pid)).toBe(false);
    expect(existsSync(browser.profile)).toBe(false);
  });

  it('takes an answer of 80 MB, in many chunks, whole and at a cost linear in its size', async () => {
    const browser = await launchChromium(CHROMIUM, CHROMIUM_ARGS);
    try {
      const page = await browser.newPage();
      const started = performance.now();
      const answer = await evaluate<string>(page, `'ab'.repeat(40e6) + 'end'`);
      // A guard against runaway cost only: 2 s here; searching the whole message again for every chunk took 40 s.
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(answer.length).toBe(80e6 + 3);
      expect(answer.endsWith('babend')).toBe(true);
      expect(await evaluate<number>(page, '1 + 1')).toBe(2);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('fails every command at once when Chromium dies, naming how it ended', async () => {
    const browser = await launchChromium(CHROMIUM, CHROMIUM_ARGS);
    const page = await browser.newPage();
    const waiting = evaluate(page, 'new Promise(() => {})');
    process.kill(browser.pid!, 'SIGKILL');
    await expect(waiting).rejects.toThrow(/^Chromium exited \(SIGKILL\)/);
    await expect(page.send('Runtime.evaluate', { expression: '1' })).rejects.toThrow(/exited \(SIGKILL\)/);
    await browser.close();
    expect(existsSync(browser.profile)).toBe(false);
  });

  it('goes, profile and all, with a build that a signal stops (the command line exits at once)', async () => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'pipe-exit-')), 'launch.mts');
    writeFileSync(
      script,
      `import { launchChromium } from ${JSON.stringify(path.join(PROJECT_ROOT, 'src/publish/chromium-pipe.ts'))};
const browser = await launchChromium(${JSON.stringify(CHROMIUM)}, ${JSON.stringify(CHROMIUM_ARGS)});
process.on('SIGTERM', () => process.exit(143));
console.log(JSON.stringify({ pid: browser.pid, profile: browser.profile }));
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const launched = JSON.parse(await new Promise<string>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(data.toString())))) as { pid: number; profile: string };
    expect(alive(launched.pid)).toBe(true);
    expect(existsSync(launched.profile)).toBe(true);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    for (let i = 0; i < 100 && alive(launched.pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(launched.pid)).toBe(false);
    // Its helper processes may have written into the profile again as they went: the next launch removes it.
    const next = await launchChromium(CHROMIUM, CHROMIUM_ARGS);
    expect(existsSync(launched.profile)).toBe(false);
    expect(existsSync(next.profile)).toBe(true);
    await next.close();
  });

  it('says that a Chromium which is not there did not start, and leaves no profile', async () => {
    const before = ownChromiumProfiles();
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'no-chromium-')), 'chromium');
    await expect(launchChromium(missing, CHROMIUM_ARGS)).rejects.toThrow(/^Chromium did not start \(spawn .*ENOENT\)/);
    expect(ownChromiumProfiles()).toEqual(before);
  });
});

describe.skipIf(!hasChromium)('the diagram page', () => {
  let browser: Chromium;
  let server: Server;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      hits += 1;
      response.setHeader('Access-Control-Allow-Origin', '*');
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium(CHROMIUM, CHROMIUM_ARGS);
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('loads mermaid from node_modules and refuses every other request itself', async () => {
    const page = await openDiagramPage(browser);
    expect(await evaluate<string>(page, 'typeof globalThis.mermaid.render')).toBe('function');
    // Why each request failed, by URL: refused by the page's own answer is "blocked by client" (by the inspector, the DevTools client); a request let
    // through would fail otherwise here (no name resolves, no network), or reach the local server.
    const urls = new Map<string, string>();
    const failed = new Map<string, string>();
    page.on('Network.requestWillBeSent', (params) => urls.set(params.requestId as string, (params.request as { url: string }).url));
    page.on('Network.loadingFailed', (params) => failed.set(urls.get(params.requestId as string)!, params.errorText as string));
    await page.send('Network.enable');
    const local = `http://localhost:${(server.address() as AddressInfo).port}/`;
    const attempt = (url: string) => evaluate<string>(page, `fetch(${JSON.stringify(url)}).then((r) => String(r.status), () => 'refused')`);
    expect(await attempt('/mermaid.esm.min.mjs')).toBe('200');
    for (const url of ['/elsewhere.mjs', '/mermaid.esm.min.mjs.map', 'https://example.com/', local]) expect(await attempt(url)).toBe('refused');
    expect(failed.get('https://diagrams.invalid/elsewhere.mjs')).toBe('net::ERR_BLOCKED_BY_CLIENT.Inspector');
    expect(failed.get('https://diagrams.invalid/mermaid.esm.min.mjs.map')).toBe('net::ERR_BLOCKED_BY_CLIENT.Inspector');
    expect(failed.get('https://example.com/')).toBe('net::ERR_BLOCKED_BY_CLIENT.Inspector');
    expect(hits).toBe(0);
  });
});

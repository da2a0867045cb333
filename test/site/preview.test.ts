import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPreview, type PreviewServer } from '../../src/preview.ts';
import { applySiteOptions } from '../../src/cli.ts';

describe('preview server', () => {
  let dir: string;
  let server: PreviewServer;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preview-'));
    mkdirSync(path.join(dir, 'services/fence'), { recursive: true });
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<h1>home</h1>');
    writeFileSync(path.join(dir, 'services/fence/index.html'), '<h1>fence</h1>');
    writeFileSync(path.join(dir, '404.html'), '<h1>missing</h1>');
    writeFileSync(path.join(dir, 'assets/site.css'), 'body{}');
    writeFileSync(path.join(dir, 'assets/site.js'), '');
    writeFileSync(path.join(dir, 'assets/x.wasm'), '');
    writeFileSync(path.join(os.tmpdir(), 'preview-secret.txt'), 'secret');
    server = await startPreview({ dir, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves folder URLs, files with their types, and 404.html', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await (await fetch(`${server.url}services/fence/`)).text()).toBe('<h1>fence</h1>');
    const types = await Promise.all(['assets/site.css', 'assets/site.js', 'assets/x.wasm'].map(async (p) => (await fetch(server.url + p)).headers.get('content-type')));
    expect(types).toEqual(['text/css; charset=utf-8', 'text/javascript; charset=utf-8', 'application/wasm']);
    const missing = await fetch(`${server.url}no/such/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<h1>missing</h1>');
  });

  it('redirects a folder without its slash and stays inside the bundle', async () => {
    const r = await fetch(`${server.url}services/fence`, { redirect: 'manual' });
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/services/fence/');
    for (const p of ['../preview-secret.txt', '%2e%2e/preview-secret.txt', '..%2fpreview-secret.txt']) {
      expect((await fetch(server.url + p)).status, p).toBe(404);
    }
  });
});

describe('preview server, pinned files', () => {
  it('sends the pinned bytes instead of the file, with the markup injected into a page, until unpinned', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preview-pinned-'));
    mkdirSync(path.join(dir, 'guides/a'), { recursive: true });
    writeFileSync(path.join(dir, 'guides/a/index.html'), '<body>older</body>');
    writeFileSync(path.join(dir, 'data.json'), '{"v":1}');
    const pins = new Map<string, Buffer>([['guides/a/index.html', Buffer.from('<body>saved</body>')], ['data.json', Buffer.from('{"v":2}')]]);
    const server = await startPreview({ dir, port: 0, inject: '<script>reload</script>', pinned: (relative) => pins.get(relative) });
    try {
      expect(await (await fetch(`${server.url}guides/a/`)).text()).toBe('<body>saved<script>reload</script></body>');
      expect(await (await fetch(`${server.url}data.json`)).text()).toBe('{"v":2}');
      pins.clear();
      expect(await (await fetch(`${server.url}guides/a/`)).text()).toBe('<body>older<script>reload</script></body>');
      expect(await (await fetch(`${server.url}data.json`)).text()).toBe('{"v":1}');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--site-url and --base-url', () => {
  it('sets the origin and base path', () => {
    const site = { baseUrl: '/' } as { baseUrl: string; origin?: string };
    applySiteOptions(site, 'https://docs.example.org/gen3/', undefined);
    expect(site).toEqual({ baseUrl: '/gen3/', origin: 'https://docs.example.org' });
    applySiteOptions(site, undefined, 'docs');
    expect(site.baseUrl).toBe('/docs/');
    applySiteOptions(site, undefined, '/');
    expect(site.baseUrl).toBe('/');
    expect(() => applySiteOptions(site, 'ftp://x', undefined)).toThrow(/http/);
    expect(() => applySiteOptions(site, undefined, '/a b/')).toThrow(/path/);
  });
});

/**
 * Hostile OpenAPI documents, written for these tests, through the api stage and the renderer: each gives a
 * warning naming the file, never a crash, never unsafe markup, and never a request to another host.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startPreview } from '../../src/preview.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { hasChromium, launchChromium, offlineContext } from '../support/browser.ts';
import { checkBundle, makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';
import { MAX_OPERATIONS } from '../../src/api/model.ts';
import { MAX_API_BYTES } from '../../src/api/parse.ts';
import type { Warning } from '../../src/core/warning.ts';
import { API_FILE, apiReference } from '../support/api-reference.ts';
import { unsafeParts } from '../render/unsafe.ts';

afterAll(removeTemporaryFolders);

const FILE = API_FILE;
const reference = apiReference;

describe('hostile OpenAPI documents', () => {
  const named = (warnings: Warning[]) => warnings.filter((w) => w.file === `acme/widget/${FILE}`).map((w) => w.message);

  it.each([
    ['invalid YAML', 'openapi: 3.0.0\npaths: {\n  /x: [\n', /not valid YAML or JSON/],
    ['a list, not an object', '- openapi: 3.0.0\n', /top level is a list/],
    ['a number', '42\n', /top level is a number/],
    ['an unknown version', 'openapi: 4.7.0\ninfo: {title: x, version: 1}\npaths: {}\n', /declares openapi: "4.7.0"; only Swagger 2.0 and OpenAPI 3.0 and 3.1/],
    ['no version at all', 'info: {title: x, version: 1}\npaths: {}\n', /declares neither openapi nor swagger/],
  ])('%s: a warning naming the file, no page content', async (_name, text, message) => {
    const { warnings, model } = await reference(text);
    expect(model).toBeUndefined();
    expect(named(warnings).join('\n')).toMatch(message);
  });

  it('a document over the size limit is not parsed', async () => {
    const { warnings } = await reference(`openapi: 3.0.0\ninfo: {title: x, version: '1'}\ndescription: "${'x'.repeat(MAX_API_BYTES)}"\n`);
    expect(named(warnings).join('\n')).toMatch(/over the 5 MB limit/);
  });

  it('a $ref to another host is never fetched: a warning, shown as unresolved', async () => {
    const text = `openapi: 3.0.0
info: {title: x, version: '1'}
paths:
  /meta:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: 'http://169.254.169.254/latest/meta-data/' }
`;
    const { warnings, html } = await reference(text);
    expect(named(warnings).join('\n')).toMatch(/\$ref "http:\/\/169\.254\.169\.254\/latest\/meta-data\/" points outside the document; it is not fetched/);
    expect(html).toContain('unresolved reference');
    expect(html).not.toMatch(/href="http:\/\/169/);
  });

  it('a $ref loop and a self-containing YAML alias end, with a link or a warning', async () => {
    const text = `openapi: 3.0.0
info: {title: x, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/A' }
components:
  schemas:
    A: { $ref: '#/components/schemas/B' }
    B: { type: object, properties: { a: { $ref: '#/components/schemas/A' }, loop: { $ref: '#/x/y' } } }
  x: &self
    y: *self
`;
    const { html, warnings } = await reference(text);
    expect(html).toContain('href="#user-content-schema-A"');
    expect(named(warnings).length).toBeGreaterThan(0);
  });

  it('duplicate operationIds: one warning, distinct anchors', async () => {
    const text = `openapi: 3.0.0
info: {title: x, version: '1'}
paths:
  /a: { get: { operationId: same, responses: { '200': { description: ok } } } }
  /b: { get: { operationId: same, responses: { '200': { description: ok } } } }
  /c: { get: { operationId: same, responses: { '200': { description: ok } } } }
`;
    const { warnings, model } = await reference(text);
    expect(named(warnings).filter((m) => m.includes('operationId "same"'))).toHaveLength(1);
    expect(model!.operations.map((o) => o.anchor)).toEqual(['op-same', 'op-same-2', 'op-same-3']);
  });

  it(`more than ${MAX_OPERATIONS} operations: the first ones, and a warning`, async () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `  /p${i}:\n    get:\n      responses: { '200': { description: ok } }`).join('\n');
    const { warnings, model } = await reference(`openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n${paths}\n`);
    expect(model!.operations).toHaveLength(MAX_OPERATIONS);
    expect(named(warnings).join('\n')).toMatch(/5000 operations is over the limit of 2000/);
  }, 60_000);

  it('author text in every field stays inert: scripts, handlers, javascript: URLs', async () => {
    const x = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    const text = `openapi: 3.0.0
info:
  title: "T ${x}"
  version: "1 ${x}"
  description: "[click](javascript:alert(1)) ${x}"
servers:
  - url: "javascript:alert(document.cookie)"
    description: "${x}"
externalDocs: { url: "javascript:alert(2)" }
tags:
  - name: "tag ${x}"
    description: "<iframe src=javascript:alert(3)></iframe>"
paths:
  "/x/{id}<script>":
    get:
      tags: ["tag ${x}"]
      operationId: "op\\"><script>alert(4)</script>"
      summary: "${x}"
      x-custom: "${x}"
      parameters:
        - name: "id ${x}"
          in: path
          description: "| cell | <script>alert(5)</script>"
          schema: { type: string, enum: ["${x}", "a|b"] }
      responses:
        '200':
          description: "${x}"
          content:
            text/html:
              example: "${x}"
components:
  securitySchemes:
    k: { type: apiKey, name: "${x}", in: header, description: "${x}" }
  schemas:
    "S${x}": { type: object, description: "${x}", properties: { "p${x}": { type: string, default: "${x}" } } }
`;
    const { html, warnings, model } = await reference(text);
    expect(model).toBeDefined();
    expect(unsafeParts(html)).toEqual([]);
    expect(html).not.toMatch(/<script|href="javascript:/i);
    expect(warnings.every((w) => !/could not render/.test(w.message))).toBe(true);
  });
});

describe('hostile OpenAPI documents through a whole build, in Chromium', () => {
  const X = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const specs: Record<string, string> = {
    'api/invalid.yaml': 'openapi: 3.0.0\npaths: {\n  /x: [\n',
    'api/list.yaml': '- openapi: 3.0.0\n',
    'api/future.yaml': 'openapi: 9.9.9\ninfo: {title: x, version: "1"}\npaths: {}\n',
    'api/metadata.yaml': `openapi: 3.0.0\ninfo: {title: "M ${X}", version: "1"}\nservers: [{url: "javascript:alert(3)"}]\npaths:\n  /m:\n    get:\n      summary: "${X}"\n      responses:\n        '200':\n          description: "[x](javascript:alert(4)) ${X}"\n          content:\n            application/json:\n              schema: { $ref: 'http://169.254.169.254/latest/meta-data/' }\n`,
    'api/loop.yaml': `openapi: 3.1.0\ninfo: {title: Loop, version: "1"}\npaths:\n  /l:\n    get:\n      operationId: same\n      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/A' } } } } }\n  /k:\n    get:\n      operationId: same\n      responses: { '200': { description: ok } }\ncomponents:\n  schemas:\n    A: { type: object, properties: { a: { $ref: '#/components/schemas/A' } } }\n`,
  };
  let snapshot: HostileSnapshot;
  let result: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    snapshot = makeHostileSnapshot([
      {
        name: 'svc',
        files: [
          { path: 'README.md', content: '# Svc\n\n[API](https://petstore.swagger.io/?url=https://raw.githubusercontent.com/hostile-org/svc/main/api/loop.yaml#/default/same)\n' },
          ...Object.entries(specs).map(([p, content]) => ({ path: p, content })),
        ],
        entry: { api: Object.keys(specs) },
      },
    ]);
    result = await build({ config: loadConfig(snapshot.configFile), source: createSnapshotSource(snapshot.snapshot), outDir: snapshot.out, markdown: false });
  }, 180_000);

  it('builds every page, with a warning naming each bad file', () => {
    const files = new Set(result.warnings.map((w) => w.file));
    for (const p of ['api/invalid.yaml', 'api/list.yaml', 'api/future.yaml', 'api/metadata.yaml', 'api/loop.yaml']) expect(files, p).toContain(`hostile-org/svc/${p}`);
    for (const [i] of Object.keys(specs).entries()) expect(existsSync(path.join(snapshot.out, `services/svc/api${i ? `-${i + 1}` : ''}/index.html`))).toBe(true);
    const readme = readFileSync(path.join(snapshot.out, 'services/svc/index.html'), 'utf8');
    // Pages in path order: future, invalid, list, loop (api-4), metadata.
    expect(readme).toMatch(/href="api-4\/index\.html#user-content-op-same"/);
    const bundle = checkBundle(snapshot.out);
    if (bundle) expect(bundle.summary).toMatch(/broken_links=0 broken_anchors=0 unsafe=0/);
  });

  it.skipIf(!hasChromium)('runs nothing in the browser: no dialog, no error, on every API page', async () => {
    const server = await startPreview({ dir: snapshot.out, port: 0 });
    const browser = await launchChromium();
    try {
      const context = await offlineContext(browser, server.url);
      const events: string[] = [];
      for (const [i] of Object.keys(specs).entries()) {
        const page = await context.newPage();
        page.on('dialog', (d) => {
          events.push(`dialog ${d.message()}`);
          void d.dismiss();
        });
        page.on('pageerror', (e) => events.push(`error ${e.message}`));
        await page.goto(new URL(`services/svc/api${i ? `-${i + 1}` : ''}/index.html`, server.url).href);
        for (const link of await page.locator('main a[href]').all()) expect(await link.getAttribute('href')).not.toMatch(/^\s*javascript:/i);
        await page.close();
      }
      expect(events).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 120_000);
});

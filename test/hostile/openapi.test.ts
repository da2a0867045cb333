/**
 * Hostile OpenAPI documents, written for these tests, through the api stage and the renderer: each gives a
 * warning naming the file, never a crash, never unsafe markup, and never a request to another host.
 */
import { describe, expect, it } from 'vitest';
import { apiMarkdown } from '../../src/api/markdown.ts';
import { apiModel, MAX_OPERATIONS } from '../../src/api/model.ts';
import { MAX_API_BYTES, parseApiDocument } from '../../src/api/parse.ts';
import { renderMarkdown } from '../../src/render/render.ts';
import type { Warning } from '../../src/core/warning.ts';
import { context, doc } from '../render/helpers.ts';
import { unsafeParts } from '../render/unsafe.ts';

const FILE = 'openapi/openapi.yaml';

/** Text -> warnings and the rendered page, as the build does it (api stage, then the renderer). */
async function reference(text: string, filePath = FILE) {
  const source = doc(text, filePath);
  const parsed = await parseApiDocument(source);
  const warnings: Warning[] = [...parsed.warnings];
  if (!parsed.document) return { warnings, model: undefined, html: '', ids: [] as string[] };
  const model = apiModel(parsed.document, `${source.repo}/${source.path}`, warnings);
  const markdown = apiMarkdown({ model, declared: parsed.declared ?? '' });
  const page = await renderMarkdown({ ...source, text: markdown }, context(filePath));
  return { warnings: [...warnings, ...page.warnings], model, html: page.html, ids: page.ids, markdown };
}

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

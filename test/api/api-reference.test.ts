/**
 * OpenAPI documents written for these tests, from text to the rendered page: the operations and schemas a
 * document holds are on the page with their anchors, and Swagger 2.0 is upgraded (hostile documents:
 * test/hostile/openapi.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { API_FILE, apiReference } from '../support/api-reference.ts';
import { doc } from '../render/helpers.ts';

const FILE = API_FILE;
const reference = apiReference;

const PETS = `openapi: 3.1.0
info:
  title: Pet Store
  version: 1.2.3
  description: Manages **pets**. See [the guide](../docs/setup.md).
servers:
  - url: https://pets.example.org/v1
externalDocs: { url: 'https://pets.example.org/docs', description: Pet docs }
tags:
  - name: pets
    description: Everything about pets
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      summary: List pets
      parameters:
        - name: limit
          in: query
          schema: { type: integer, maximum: 100 }
      responses:
        '200':
          description: A list
          content:
            application/json:
              schema:
                type: array
                items: { $ref: '#/components/schemas/Pet' }
    post:
      tags: [pets]
      summary: Add a pet
      deprecated: true
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
            example: { name: Rex }
      responses:
        '201': { description: Created }
  /pets/{id}:
    delete:
      operationId: deletePet
      responses:
        '204': { description: Gone }
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: { type: string }
        parent: { $ref: '#/components/schemas/Pet' }
`;

/** Path x method pairs counted straight from the YAML text, independently of the parser. */
function countOperations(yaml: string): number {
  return [...yaml.matchAll(/^ {4}(get|put|post|delete|options|head|patch|trace):/gm)].length;
}

describe('API reference pages', () => {
  it('shows every operation with a stable anchor, by tag, and links schemas to their anchors', async () => {
    const { warnings, model, html, ids } = await reference(PETS);
    expect(warnings).toEqual([]);
    expect(model!.operations.map((o) => o.anchor)).toEqual(['op-listPets', 'op-post-pets', 'op-deletePet']);
    expect(model!.operations).toHaveLength(countOperations(PETS));
    for (const anchor of ['op-listPets', 'op-post-pets', 'op-deletePet', 'tag-pets', 'tag-default', 'schema-Pet']) expect(ids).toContain(`user-content-${anchor}`);
    // The schema's self-reference is a link to its own anchor, not an endless expansion.
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toContain('user-content-schema-Pet');
    for (const link of links) expect(ids, link).toContain(link);
    expect(html).toContain('<strong>Deprecated.</strong>');
    expect(html).toContain('<a href="https://pets.example.org/docs">Pet docs</a>');
    expect(html).toMatch(/Example[\s\S]*Rex/);
    expect(html).toContain('Example (generated from the schema)');
    // The description went through the renderer: Markdown, and its relative link resolved in the repository.
    expect(html).toContain('<strong>pets</strong>');
    expect(html).toMatch(/href="[^"]*setup\/index\.html"/);
  });

  it('upgrades Swagger 2.0 and keeps its operations and definitions', async () => {
    const swagger = `swagger: '2.0'
info: { title: Old, version: '1' }
paths:
  /things:
    get:
      operationId: getThings
      produces: [application/json]
      responses:
        200:
          description: ok
          schema: { $ref: '#/definitions/Thing' }
definitions:
  Thing:
    type: object
    properties: { id: { type: string } }
`;
    const { warnings, model, ids, html } = await reference(swagger);
    expect(warnings).toEqual([]);
    expect(String(model!.document.openapi)).toMatch(/^3\./);
    expect(model!.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['get /things']);
    expect(ids).toContain('user-content-schema-Thing');
    expect(html).toContain('href="#user-content-schema-Thing"');
  });
});


describe('the api stage', () => {
  it('reads a document once: an unchanged one comes from the cache, a damaged entry is read again', async () => {
    const { mkdtempSync, readdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { planApis } = await import('../../src/api/plan.ts');
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'api-cache-'));
    try {
      const catalogOf = () => {
        const page = { kind: 'api' as const, url: 'services/widget/api/', doc: doc(PETS, FILE) };
        return { page, catalog: { services: [{ repo: 'acme/widget', apis: [page] }] } as unknown as Parameters<typeof planApis>[0] };
      };
      const first = catalogOf();
      const plan = await planApis(first.catalog, { cacheDir, version: 'v1' });
      expect(plan.pages[0]!.ok).toBe(true);
      expect(plan.pages[0]!.specFile).toBe('services/widget/api/openapi.yaml');
      expect(plan.operationAt('acme/widget', '/pets', 'POST')?.anchor).toBe('op-post-pets');
      expect(plan.operationAt('acme/widget', '/pets/{id}')?.anchor).toBe('op-deletePet');
      expect(plan.operationAt('acme/widget', '/pets/1')).toBeUndefined();
      const entries = readdirSync(path.join(cacheDir, 'api'));
      expect(entries).toHaveLength(1);
      const second = catalogOf();
      await planApis(second.catalog, { cacheDir, version: 'v1' });
      expect(second.page.doc.text).toBe(first.page.doc.text);
      writeFileSync(path.join(cacheDir, 'api', entries[0]!), 'not an entry');
      const damaged: string[] = [];
      const third = catalogOf();
      await planApis(third.catalog, { cacheDir, version: 'v1', onCacheDamage: (file) => damaged.push(file) });
      expect(damaged).toHaveLength(1);
      expect(third.page.doc.text).toBe(first.page.doc.text);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

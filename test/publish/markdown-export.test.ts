import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { markdownPathFor } from '../../src/catalog/markdown-paths.ts';
import type { BuildResult } from '../../src/build.ts';
import { FIXTURE, buildInto, danglingLinks, mdFiles, tempDir } from './helpers.ts';

const doc = (p: string) => ({ path: p }) as never;

describe('markdownPathFor', () => {
  it('maps folder URLs to .md files and folder pages to index.md', () => {
    expect(markdownPathFor({ url: 'services/fence/docs/setup/', doc: doc('docs/setup.md') })).toBe('md/services/fence/docs/setup.md');
    expect(markdownPathFor({ url: 'services/fence/', doc: doc('README.md') })).toBe('md/services/fence/index.md');
    expect(markdownPathFor({ url: 'services/fence/docs/', doc: doc('docs/README.md') })).toBe('md/services/fence/docs/index.md');
    expect(markdownPathFor({ url: 'guides/', doc: doc('docs/index.md') })).toBe('md/guides/index.md');
    expect(markdownPathFor({ url: 'releases/2024.01/', doc: doc('releases/2024/01/notes.md') })).toBe('md/releases/2024.01.md');
    expect(markdownPathFor({ url: 'services/x/docs/setup-2/', doc: doc('docs/setup/README.md') })).toBe('md/services/x/docs/setup-2/index.md');
  });
});

describe('Markdown export of the fixture', () => {
  let out: string;
  let result: BuildResult;
  const read = (p: string) => readFile(path.join(out, p), 'utf8');
  const frontMatter = async (p: string) => YAML.parse(/^---\n([\s\S]*?)\n---\n/.exec(await read(p))![1]!);

  beforeAll(async () => {
    out = path.join(await tempDir('md'), 'out');
    result = await buildInto(FIXTURE, out);
  });
  afterAll(() => rm(path.dirname(out), { recursive: true, force: true }));

  it('writes one file per page plus md/index.md, and counts them in the report', async () => {
    const files = await mdFiles(path.join(out, 'md'));
    expect(files).toEqual([
      'guides/index.md', 'guides/start.md', 'index.md', 'releases/2024.01.md', 'releases/2024.02.md', 'releases/breaking-changes.md',
      'services/svc-alpha/docs/guide/advanced.md', 'services/svc-alpha/docs/setup.md', 'services/svc-alpha/index.md',
      'services/svc-beta/docs/api.md', 'services/svc-beta/docs/index.md', 'services/svc-beta/index.md',
    ]);
    expect(result.report.markdownExport).toMatchObject({ pages: 11, files: 12 });
    const manifest = JSON.parse(await read('manifest.json'));
    // Redirect pages (old addresses of the guides) have no Markdown of their own.
    for (const page of manifest.pages.filter((p: { kind: string }) => p.kind !== 'redirect')) {
      const fm = await frontMatter(markdownPathFor({ url: page.url, doc: doc(page.path) }));
      expect(fm.url).toBe(page.url);
    }
  });

  it('puts title, source, edit URL and the repository date in the front matter, never the clock', async () => {
    expect(await frontMatter('md/services/svc-alpha/docs/setup.md')).toEqual({
      title: 'Setting up Alpha',
      description: 'Back to the overview. Read the advanced guide next.',
      kind: 'doc',
      url: 'services/svc-alpha/docs/setup/',
      source: { repo: 'fixture-docs/svc-alpha', path: 'docs/setup.md', sha: expect.stringMatching(/^[0-9a-f]{40}$/), blob: expect.stringMatching(/^[0-9a-f]{40}$/) },
      edit_url: 'https://github.com/fixture-docs/svc-alpha/edit/main/docs/setup.md',
      updated: '2024-02-01T10:00:00Z',
      order: 2,
    });
    // The source's own front matter is replaced, not repeated.
    expect((await read('md/services/svc-alpha/docs/setup.md')).match(/^---$/gm)).toHaveLength(2);
  });

  it('rewrites links between exported pages to relative .md links, keeping fragments', async () => {
    const readme = await read('md/services/svc-alpha/index.md');
    expect(readme).toContain('[setup](docs/setup.md#install)');
    expect(readme).toContain('[Beta API]: ../svc-beta/docs/api.md#endpoints');
    expect(await read('md/services/svc-alpha/docs/setup.md')).toContain('[overview](../index.md)');
    expect(await read('md/services/svc-alpha/docs/guide/advanced.md')).toContain('[install step](../setup.md#install)');
    expect(await read('md/services/svc-alpha/docs/guide/advanced.md')).toContain('(../../../../guides/start.md)');
    expect(await read('md/services/svc-beta/index.md')).toContain('[documentation](docs/index.md)');
    expect(await read('md/releases/2024.02.md')).toContain('[previous release](2024.01.md)');
  });

  it('sends links to files that are not exported to GitHub at the commit', async () => {
    const readme = await read('md/services/svc-alpha/index.md');
    const sha = result.report.repositories.items.find((r) => r.repo === 'fixture-docs/svc-alpha')!.commit;
    expect(readme).toContain(`[entry point](https://github.com/fixture-docs/svc-alpha/blob/${sha}/src/main.py)`);
    expect(readme).toContain(`[docs folder](https://github.com/fixture-docs/svc-alpha/tree/${sha}/docs)`);
    expect(readme).toContain(`(https://github.com/fixture-docs/svc-alpha/blob/${sha}/docs/missing.md)`);
    expect(result.report.markdownExport!.links.broken).toBe(1);
  });

  it('copies images into md/assets and points Markdown and HTML images at them', async () => {
    const readme = await read('md/services/svc-alpha/index.md');
    const images = await readdir(path.join(out, 'md/assets'));
    expect(images).toHaveLength(1);
    expect(readme).toContain(`![Logo](../../assets/${images[0]})`);
    expect(readme).toContain(`<img src="../../assets/${images[0]}" width="100">`);
    const original = await readFile(path.join(FIXTURE.snapshot, 'fixture-docs/svc-alpha/files/docs/img/logo.png'));
    expect(await readFile(path.join(out, 'md/assets', images[0]!))).toEqual(original);
  });

  it('drops raw HTML that could run code, keeps placeholders as text and embeds as links', async () => {
    const readme = await read('md/services/svc-alpha/index.md');
    expect(readme).not.toMatch(/<script|javascript:|<iframe|\son\w+=/i);
    expect(readme).toContain('A bad link and a bad Markdown link.');
    expect(readme).toContain('replace \\<your-commons> with your host name');
    expect(readme).toContain('`https://<your-commons>/api`');
    expect(readme).toContain('[Intro video](https://www.youtube.com/embed/abc)');
    expect(result.report.markdownExport!.html).toEqual({ kept: 1, dropped: 3, asText: 1 });
  });

  it('keeps tables unpadded and nests lists four columns deep (Python-Markdown)', async () => {
    const readme = await read('md/services/svc-alpha/index.md');
    expect(readme).toContain('| `port` | `8080` | Port to listen on |');
    expect(readme).toContain('-   one\n    -   nested\n        ```sh');
  });

  it('leaves no relative link pointing outside the export', async () => {
    expect(await danglingLinks(path.join(out, 'md'))).toEqual([]);
  });
});

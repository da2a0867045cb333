/**
 * One page that throws while rendering must not fail the build: it gets a fallback (its source, escaped, in
 * <pre>) and a warning naming the file, and every other page is rendered as usual. A plugin is made to throw
 * for one file; a page that overflows the stack for real is in the same build.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { unsafeParts } from '../render/unsafe.ts';
import { checkBundle, makeHostileSnapshot, type HostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

vi.mock('../../src/render/rehype-description.ts', async (importOriginal) => {
  const original = (await importOriginal<typeof import('../../src/render/rehype-description.ts')>()).default;
  return {
    default: function (this: unknown, ...args: unknown[]) {
      const transform = (original as (...a: unknown[]) => (tree: unknown, file: { path?: string }) => unknown).apply(this, args);
      return (tree: unknown, file: { path?: string }) => {
        if (String(file.path).endsWith('boom.md')) throw new TypeError('Cannot read properties of undefined (reading "boom")');
        return transform(tree, file);
      };
    },
  };
});

const BOOM = '# Boom <b>bold</b>\n\nText with <script>alert(1)</script> & an [link](other.md).\n\n</pre><img src=x onerror=alert(2)>\n';

describe('a page that fails to render', () => {
  let snap: HostileSnapshot;
  let result: BuildResult;
  const article = (url: string) => /<article class="markdown-body">\n([\s\S]*)\n<\/article>/.exec(readFileSync(path.join(snap.out, url, 'index.html'), 'utf8'))![1]!;

  beforeAll(async () => {
    snap = makeHostileSnapshot([
      {
        name: 'crash',
        files: [
          { path: 'README.md', content: '# Crash\n\n- [boom](docs/boom.md)\n- [other](docs/other.md)\n- [deep](docs/deep.md)\n' },
          { path: 'docs/boom.md', content: BOOM },
          { path: 'docs/other.md', content: '# Other\n\nFine.\n' },
          { path: 'docs/deep.md', content: `# Deep\n\n${'<span>'.repeat(5000)}x\n` },
        ],
      },
    ]);
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false });
  }, 120_000);

  it('builds every page all the same', () => {
    expect(result.repositories.failed).toEqual([]);
    expect(result.pages).toBe(4);
  });

  it('warns, naming the file and the error', () => {
    const failures = (file: string) => result.warnings.filter((w) => w.file === file && w.message.startsWith('could not render'));
    expect(failures('hostile-org/crash/docs/boom.md')).toEqual([
      { file: 'hostile-org/crash/docs/boom.md', message: 'could not render: Cannot read properties of undefined (reading "boom")', ruleId: 'render-failed' },
    ]);
    expect(failures('hostile-org/crash/docs/deep.md')).toEqual([
      { file: 'hostile-org/crash/docs/deep.md', message: 'could not render: Maximum call stack size exceeded', ruleId: 'render-failed' },
    ]);
  });

  it('shows the failed page as its escaped source under a heading', () => {
    const escaped = BOOM.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    // The title is the one the renderer found before it failed.
    expect(article('services/crash/docs/boom/')).toBe(`<h1>Boom bold</h1>\n<pre class="source-fallback">${escaped}</pre>`);
    expect(unsafeParts(article('services/crash/docs/boom/'))).toEqual([]);
    expect(article('services/crash/docs/deep/')).toMatch(/^<h1>Deep<\/h1>\n<pre class="source-fallback"># Deep\n\n(&lt;span&gt;){5000}x\n<\/pre>$/);
  });

  it('renders the other pages normally', () => {
    expect(article('services/crash/docs/other/')).toBe('<h1 id="other">Other</h1>\n<p>Fine.</p>');
    expect(article('services/crash/')).toContain('href="docs/boom/index.html"');
  });

  it('passes check-bundle.py', () => {
    const check = checkBundle(snap.out);
    if (!check) return console.warn('[skipped] check-bundle.py: python3 or the script is missing');
    expect(check.output).toMatch(/broken_links=0 broken_anchors=0 unsafe=0$/m);
  });
});

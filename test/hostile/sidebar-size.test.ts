/**
 * A section of 300 and of 3,000 pages built whole: each page's sidebar stays the same size, and every page
 * stays reachable without script. Two builds of thousands of pages: in the slow suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { makeHostileSnapshot, removeTemporaryFolders } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);
/** One repository of `n` short pages, all in docs/: the widest a single level of a sidebar gets. */
function flatRepo(n: number) {
  return [
    { path: 'README.md', content: '# Flat\n\nThe overview.\n' },
    ...Array.from({ length: n }, (_, i) => ({ path: `docs/page-${String(i).padStart(5, '0')}.md`, content: `# Page ${i}\n\nText of page ${i}.\n` })),
  ];
}

const sidebarOf = (html: string) => /<aside class="sidebar"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? '';

describe('sidebar bytes in a built site', () => {
  const sizes = [300, 3000] as const;
  const outs = new Map<number, string>();

  beforeAll(async () => {
    for (const n of sizes) {
      const snap = makeHostileSnapshot([{ name: 'flat', files: flatRepo(n) }]);
      await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false, markdown: false });
      outs.set(n, snap.out);
    }
  }, 300_000);

  const page = (n: number, i: number) => readFileSync(path.join(outs.get(n)!, `services/flat/docs/page-${String(i).padStart(5, '0')}/index.html`), 'utf8');

  it('does not grow with the pages of the section', () => {
    // The first, a middle and the last page of each.
    for (const [i, j] of [[0, 0], [150, 1500], [299, 2999]] as const) {
      const small = sidebarOf(page(300, i));
      const large = sidebarOf(page(3000, j));
      expect(small.length).toBeGreaterThan(1000);
      // The same window of 13 pages and the same counts, whatever the size; only digits differ.
      expect(large.length).toBeLessThan(small.length + 100);
      expect(large.length).toBeLessThan(8000);
      expect(large.match(/<a /g)).toHaveLength(small.match(/<a /g)!.length);
    }
  });

  it('reaches every page without script: the sidebar links the contents page, which lists them all', () => {
    const out = outs.get(3000)!;
    const sidebar = sidebarOf(page(3000, 1500));
    expect(sidebar).toContain('href="../../all-pages/index.html" class="sidebar-more">1493 more pages</a>');
    expect(sidebar).toContain('href="../../all-pages/index.html" class="sidebar-more">1494 more pages</a>');
    const contents = readFileSync(path.join(out, 'services/flat/all-pages/index.html'), 'utf8');
    const listed = new Set([...contents.matchAll(/href="\.\.\/docs\/(page-\d+)\/index\.html"/g)].map((m) => m[1]));
    expect(listed.size).toBe(3000);
    // The page loads the whole tree, which has every page too.
    expect(page(3000, 1500)).toContain('<script defer src="../../all-pages/nav.js"></script>');
    const tree = readFileSync(path.join(out, 'services/flat/all-pages/nav.js'), 'utf8');
    expect(tree.match(/"u":"services\/flat\/docs\/page-\d+\/index\.html"/g)).toHaveLength(3000);
  });
});

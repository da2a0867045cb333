/**
 * Hostile repository metadata through a whole build: a repo.json (as GET /repos/{o}/{r} answers it) whose
 * name would make a URL slug leave services/, and whose html_url is a script URL or another host. The slug
 * and the links come from the repository's name in sources.json.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { checkBundle, makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';

afterAll(removeTemporaryFolders);

/** What each repository's repo.json claims, besides what makeHostileSnapshot writes. */
const CLAIMS: Record<string, Record<string, unknown>> = {
  dots: { name: '..', full_name: 'hostile-org/..', html_url: 'javascript:alert(1)' },
  climb: { name: '../guides/x', full_name: '../guides/x', html_url: 'https://evil.example/hostile-org/climb' },
  index: { name: '../md', full_name: 'hostile-org/../md', html_url: 'http://github.com/hostile-org/index' },
};

function hrefs(html: string): string[] {
  const out: string[] = [];
  visit(fromHtml(html), 'element', (node: Element) => {
    if (typeof node.properties.href === 'string') out.push(node.properties.href);
  });
  return out;
}

describe('hostile repository metadata', () => {
  let snap: HostileSnapshot;
  let result: BuildResult;

  beforeAll(async () => {
    snap = makeHostileSnapshot(Object.keys(CLAIMS).map((name) => ({ name, files: [{ path: 'README.md', content: `# ${name}\n\n[Docs](docs/a.md)\n` }, { path: 'docs/a.md', content: '# A\n' }] })));
    for (const [name, claims] of Object.entries(CLAIMS)) {
      const file = path.join(snap.snapshot, 'hostile-org', name, 'repo.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...claims }));
    }
    result = await build({ config: loadConfig(snap.configFile), source: createSnapshotSource(snap.snapshot), outDir: snap.out, search: false });
  }, 120_000);

  it('builds every repository', () => {
    expect(result.repositories.failed).toEqual([]);
    expect(result.repositories.loaded).toBe(3);
  });

  it('puts every page of a repository under services/<its name in sources.json>/', () => {
    const manifest = JSON.parse(readFileSync(path.join(snap.out, 'manifest.json'), 'utf8')) as { pages: { url: string; repo: string }[] };
    expect(manifest.pages.map((p) => p.url).sort()).toEqual(Object.keys(CLAIMS).flatMap((name) => [`services/${name}/`, `services/${name}/docs/a/`]).sort());
    for (const page of manifest.pages) expect(page.url.split('/')).not.toContain('..');
    expect(readdirSync(snap.out).sort()).not.toContain('guides');
    // The Markdown export's index is its own, not a repository's README.
    expect(readFileSync(path.join(snap.out, 'md/index.md'), 'utf8')).not.toMatch(/^# (dots|climb|index)$/m);
  });

  it('links each service card and the "Sources of this build" table to https://github.com/<its name>', () => {
    // The landing page lists services by name and links to their pages; the catalog's cards carry the GitHub link.
    for (const page of ['services/index.html']) {
      const html = readFileSync(path.join(snap.out, page), 'utf8');
      expect(html, page).not.toMatch(/javascript:|evil\.example|http:\/\/github\.com/);
      for (const name of Object.keys(CLAIMS)) expect(hrefs(html), `${page} ${name}`).toContain(`https://github.com/hostile-org/${name}`);
    }
  });

  it('passes the outside bundle check', () => {
    const check = checkBundle(snap.out);
    if (!check) return; // python3 or the checker is not installed
    expect(check.unsafe, check.output).toBe(0);
    expect(check.broken, check.output).toBe(0);
  });
});

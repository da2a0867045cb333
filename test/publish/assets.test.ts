/**
 * The asset store on its own, over a snapshot: from a file on disk (the snapshot's way) and from bytes in
 * memory (GitHub's way), rasters are told by their bytes, one blob is published once, md/assets/ links the
 * same file, and a rebuild into the same out/ keeps unchanged assets as they were.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetStore } from '../../src/publish/assets.ts';
import { openStaging } from '../../src/publish/write.ts';
import { gitBlobSha } from '../../src/sources/documents.ts';
import { createSnapshotSource, type SnapshotSource } from '../../src/sources/snapshot.ts';
import type { ContentSource, RepoContent } from '../../src/sources/types.ts';
import type { Warning } from '../../src/core/warning.ts';
import { makeHostileSnapshot, removeTemporaryFolders, type HostileSnapshot } from '../support/hostile-snapshot.ts';
import { noisePng } from '../hostile/asset-payloads.ts';

afterAll(removeTemporaryFolders);

const PNG = noisePng(6, 6);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64)]);

describe('AssetStore', () => {
  let snap: HostileSnapshot;
  let snapshot: SnapshotSource;
  let content: RepoContent;

  beforeAll(async () => {
    snap = makeHostileSnapshot([
      {
        name: 'imgs',
        files: [
          { path: 'README.md', content: '# Images\n' },
          { path: 'a/logo.png', content: PNG },
          { path: 'b/logo.png', content: PNG }, // the same blob at another path
          { path: 'photo.JPEG', content: JPEG },
          { path: 'html-named.png', content: '<html><script>window.__pwned=1</script></html>' },
          { path: 'page.xhtml', content: '<html xmlns="http://www.w3.org/1999/xhtml"/>' },
        ],
      },
    ]);
    snapshot = createSnapshotSource(snap.snapshot);
    content = await snapshot.loadRepository({ repo: 'hostile-org/imgs', include: ['README.md'], exclude: [], tags: false });
  });

  async function store(source: Pick<ContentSource, 'readBlob' | 'blobFile'>, outDir: string) {
    const staging = await openStaging(outDir);
    const warnings: Warning[] = [];
    const assets = new AssetStore({
      staging,
      markdown: true,
      maxBytes: 1024 * 1024,
      find: (_repo, p) => {
        const entry = content.tree.find((e) => e.path === p);
        return entry && { content, entry };
      },
      source,
      warn: (w) => warnings.push(w),
    });
    return { staging, assets, warnings };
  }

  const sources = () => [
    { name: 'from files on disk', source: snapshot },
    // Only readBlob: bytes in memory, as the GitHub source gives them.
    { name: 'from bytes in memory', source: { readBlob: snapshot.readBlob.bind(snapshot) } },
  ];

  it('tells rasters by their bytes, names them by what they are, and keeps everything else on GitHub', async () => {
    for (const { name, source } of sources()) {
      const out = path.join(snap.dir, `out-${name.replace(/\W+/g, '-')}`);
      const { staging, assets, warnings } = await store(source, out);
      const sha = (p: string) => content.tree.find((e) => e.path === p)!.sha.slice(0, 16);
      expect(await assets.publish('hostile-org/imgs', 'photo.JPEG'), name).toBe(`assets/files/${sha('photo.JPEG')}-photo.jpg`);
      expect(await assets.publish('hostile-org/imgs', 'html-named.png'), name).toBeUndefined();
      expect(await assets.publish('hostile-org/imgs', 'page.xhtml'), name).toBeUndefined();
      expect(await assets.publish('hostile-org/imgs', 'missing.png'), name).toBeUndefined();
      expect(warnings.map((w) => w.file), name).toEqual(['hostile-org/imgs/html-named.png', 'hostile-org/imgs/page.xhtml']);
      await staging.commit();
      expect(await readFile(path.join(out, `assets/files/${sha('photo.JPEG')}-photo.jpg`))).toEqual(JPEG);
    }
  });

  it('publishes one blob once, however many paths show it, and md/assets/ links that same file', async () => {
    for (const { name, source } of sources()) {
      const out = path.join(snap.dir, `once-${name.replace(/\W+/g, '-')}`);
      const { staging, assets } = await store(source, out);
      const target = `assets/files/${gitBlobSha(PNG).slice(0, 16)}-logo.png`;
      const answers = await Promise.all(['a/logo.png', 'b/logo.png', 'a/logo.png'].map((p) => assets.publish('hostile-org/imgs', p)));
      expect(answers, name).toEqual([target, target, target]);
      expect(assets.stats).toEqual({ published: 1, bytes: PNG.length });
      expect(staging.written).toMatchObject({ files: 2, bytes: 2 * PNG.length });
      await staging.commit();
      const [html, md] = await Promise.all([stat(path.join(out, target)), stat(path.join(out, 'md/assets', path.basename(target)))]);
      expect(md.ino).toBe(html.ino);
      expect(await readFile(path.join(out, target))).toEqual(PNG);
    }
  });

  it('keeps unchanged assets of the previous out/ as they were (same inode) in the next build', async () => {
    const out = path.join(snap.dir, 'again');
    const first = await store(snapshot, out);
    const target = await first.assets.publish('hostile-org/imgs', 'a/logo.png');
    await first.staging.commit();
    const before = await stat(path.join(out, target!));
    const second = await store(snapshot, out);
    expect(await second.assets.publish('hostile-org/imgs', 'a/logo.png')).toBe(target);
    expect(second.staging.written).toMatchObject({ files: 2, unchanged: 2 });
    await second.staging.commit();
    expect((await stat(path.join(out, target!))).ino).toBe(before.ino);
    await rm(out, { recursive: true, force: true });
  });
});

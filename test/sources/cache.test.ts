import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_VERSION, openCache, type CachedRepo } from '../../src/sources/cache.ts';
import { gitBlobSha } from '../../src/sources/documents.ts';

const temp = () => mkdtempSync(path.join(tmpdir(), 'cache-test-'));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const record = (extra: Partial<CachedRepo> = {}): CachedRepo => ({
  repo: 'uc-cdis/fence',
  meta: {
    fullName: 'uc-cdis/fence',
    owner: 'uc-cdis',
    name: 'fence',
    defaultBranch: 'master',
    description: null,
    htmlUrl: 'https://github.com/uc-cdis/fence',
    pushedAt: null,
    archived: false,
    fork: false,
    topics: [],
  },
  ref: 'master',
  commitSha: 'a'.repeat(40),
  tree: [{ path: 'README.md', mode: '100644', type: 'blob', sha: 'b'.repeat(40), size: 3 }],
  treeTruncated: false,
  tags: [],
  missingBlobs: [],
  savedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('content cache', () => {
  it('keeps answers, blobs and repositories in a versioned layout, written atomically', async () => {
    const dir = temp();
    const cache = openCache(dir);
    const bytes = Buffer.from('# Fence\n');
    const sha = gitBlobSha(bytes);
    await cache.writeHttp('application/json https://api/repos/a/b', { url: 'https://api/repos/a/b', etag: '"x"', headers: { link: '<next>' }, body: 'e30=' });
    await cache.writeBlob(sha, bytes);
    await cache.writeRepo(record());
    await cache.writeRepo(record({ requestedRef: 'release/1.0', ref: 'release/1.0' }));

    expect(readFileSync(path.join(dir, 'VERSION'), 'utf8')).toBe(`gen3-docs-cache ${CACHE_VERSION}\n`);
    const layout = files(dir);
    expect(layout).toContain(`blobs/${sha.slice(0, 2)}/${sha}`);
    expect(layout).toContain('repos/uc-cdis/fence/@default.json');
    expect(layout).toContain('repos/uc-cdis/fence/release%2F1.0.json');
    expect(layout.some((f) => f.endsWith('.tmp'))).toBe(false);

    const again = openCache(dir);
    expect((await again.readHttp('application/json https://api/repos/a/b'))?.etag).toBe('"x"');
    expect(await again.readHttp('other')).toBeUndefined();
    expect(await again.readBlob(sha)).toEqual(bytes);
    expect((await again.readRepo('UC-CDIS/fence', undefined))?.commitSha).toBe('a'.repeat(40));
    expect((await again.readRepo('uc-cdis/fence', 'release/1.0'))?.ref).toBe('release/1.0');
    expect(await again.readRepo('uc-cdis/fence', 'v2')).toBeUndefined();
  });

  it('treats damaged and edited entries as misses, naming each', async () => {
    const dir = temp();
    const cache = openCache(dir);
    const bytes = Buffer.from('content');
    const sha = gitBlobSha(bytes);
    await cache.writeBlob(sha, bytes);
    await cache.writeRepo(record());
    await cache.writeHttp('k', { url: 'https://api/repos/a/b', etag: '"x"', headers: {}, body: 'e30=' });
    writeFileSync(path.join(dir, 'blobs', sha.slice(0, 2), sha), 'tampered');
    writeFileSync(path.join(dir, 'repos/uc-cdis/fence/@default.json'), '{"repo": "uc-cd');
    // Edited by hand, still valid JSON after the hash line: the recorded hash no longer matches.
    const [answer] = files(dir).filter((f) => f.startsWith('http/'));
    const text = readFileSync(path.join(dir, answer!), 'utf8');
    expect(text).toContain('"body":"e30="');
    writeFileSync(path.join(dir, answer!), text.replace('"body":"e30="', '"body":"W10="'));
    const warnings: string[] = [];
    const reopened = openCache(dir, { onWarning: (m) => warnings.push(m) });
    expect(await reopened.readBlob(sha)).toBeUndefined();
    expect(await reopened.readRepo('uc-cdis/fence', undefined)).toBeUndefined();
    expect(await reopened.readHttp('k')).toBeUndefined();
    expect(await reopened.readBlob('../../etc/passwd')).toBeUndefined();
    expect(warnings.map((w) => w.replace(dir, 'DIR'))).toEqual([
      `cache DIR: blobs/${sha.slice(0, 2)}/${sha} does not match the hash recorded when it was written (damaged or edited); not used, downloaded again`,
      'cache DIR: repos/uc-cdis/fence/@default.json does not match the hash recorded when it was written (damaged or edited); not used, asked of GitHub again',
      `cache DIR: ${answer} does not match the hash recorded when it was written (damaged or edited); not used, asked of GitHub again`,
    ]);
  });

  it('starts afresh on another version, touching only its own folders', async () => {
    const dir = temp();
    const cache = openCache(dir);
    await cache.writeRepo(record());
    writeFileSync(path.join(dir, 'VERSION'), 'gen3-docs-cache 0\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const warnings: string[] = [];
    const reopened = openCache(dir, { onWarning: (m) => warnings.push(m) });
    expect(await reopened.readRepo('uc-cdis/fence', undefined)).toBeUndefined();
    expect(warnings.join()).toContain('starting it afresh');
    expect(files(dir)).toEqual(['VERSION', 'notes.txt']);
    expect(readFileSync(path.join(dir, 'VERSION'), 'utf8')).toBe(`gen3-docs-cache ${CACHE_VERSION}\n`);
  });

  it('builds on without a cache it cannot write, saying so once', async () => {
    const parent = temp();
    const blocked = path.join(parent, 'cache');
    writeFileSync(blocked, 'a file where the folder should be');
    const warnings: string[] = [];
    const cache = openCache(blocked, { onWarning: (m) => warnings.push(m) });
    await cache.writeBlob(gitBlobSha(Buffer.from('x')), Buffer.from('x'));
    await cache.writeRepo(record());
    expect(await cache.readRepo('uc-cdis/fence', undefined)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('cannot be written');
  });

  it('survives a folder deleted between runs', async () => {
    const dir = path.join(temp(), 'nested', 'cache');
    mkdirSync(path.dirname(dir), { recursive: true });
    const cache = openCache(dir);
    expect(await cache.readRepo('uc-cdis/fence', undefined)).toBeUndefined();
    await cache.writeRepo(record());
    expect((await openCache(dir).readRepo('uc-cdis/fence', undefined))?.repo).toBe('uc-cdis/fence');
  });
});

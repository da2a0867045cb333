/**
 * One tree, three sources: the same hostile files given as a snapshot folder, through the GitHub-compatible
 * server and as a real Git checkout must come out as the same documents with the same warnings.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBlobSha, treeDocuments, UNREADABLE_MESSAGE } from '../../src/sources/documents.ts';
import { createGitHubSource } from '../../src/sources/github.ts';
import { createLocalSource } from '../../src/sources/local.ts';
import { createSnapshotSource } from '../../src/sources/snapshot.ts';
import { MAX_DOCUMENT_BYTES } from '../../src/sources/shared.ts';
import type { RepoContent, RepositoryRequest } from '../../src/sources/types.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';
import { makeHostileSnapshot, removeTemporaryFolders, temporaryFolder, type HostileFile } from '../support/hostile-snapshot.ts';

const REPO = 'hostile-org/trees';
const request: RepositoryRequest = { repo: REPO, include: ['README.md', 'docs/**/*.md', 'docs/**/*.yml'], exclude: [], tags: false };

// Every file can exist in a Git working tree on Linux, so the checkout holds exactly what the snapshot lists;
// listed in Git's order, as a real tree is, so documents come out in one order from every source.
const FILES: HostileFile[] = [
  { path: 'README.md', mode: '120000', content: 'docs/real.md' },
  { path: 'docs/big.md', content: `# Big\n${'a'.repeat(MAX_DOCUMENT_BYTES)}\n` },
  { path: 'docs/binary.md', content: Buffer.from('# Binary\n\0\0\0', 'latin1') },
  // “Q” in Windows-1252: 0x93 and 0x94 are not UTF-8.
  { path: 'docs/cp1252.md', content: Buffer.from([0x23, 0x20, 0x93, 0x51, 0x94, 0x0a]) },
  { path: 'docs/ctl\u0001.md', content: '# Control\n' },
  { path: 'docs/real.md', content: '# Real\n' },
  { path: 'docs/site.yml', content: '\ufeffsite_name: Trees\n' },
  { path: 'docs\\back.md', content: '# Back\n' },
];

const SYMLINK = 'symbolic link (Git mode 120000), not followed: left out; commit the file itself instead of a link';
const EXPECTED_WARNINGS = [
  { path: 'README.md', message: SYMLINK, ruleId: 'symlink' },
  { path: 'docs/big.md', message: '2.0 MB is over the 2 MB limit for Markdown files; skipped', ruleId: 'large-file' },
  { path: 'docs/binary.md', message: 'binary content (NUL bytes), not Markdown; skipped', ruleId: 'file-encoding' },
  { path: 'docs/cp1252.md', message: 'not valid UTF-8; read as Windows-1252', ruleId: 'file-encoding' },
  { path: 'docs/ctl\u0001.md', message: 'left out of the tree: control character in path', ruleId: 'unsafe-path' },
  { path: 'docs\\back.md', message: 'left out of the tree: backslash in path', ruleId: 'unsafe-path' },
];

let snapshot: string;
let checkout: string;
let server: GitHubServer;

function gitCheckout(files: HostileFile[]): string {
  const dir = temporaryFolder('trees-checkout-');
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    if (file.mode === '120000') symlinkSync(String(file.content), target);
    else writeFileSync(target, file.content ?? '');
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'hostile tree');
  return dir;
}

beforeAll(async () => {
  ({ snapshot } = makeHostileSnapshot([
    { name: 'trees', files: FILES },
    { name: 'partial', files: [{ path: 'README.md', content: '# Partial\n' }, { path: 'docs/gone.md' }] },
  ]));
  const treeFile = path.join(snapshot, 'hostile-org', 'partial', 'tree.json');
  writeFileSync(treeFile, JSON.stringify({ ...JSON.parse(readFileSync(treeFile, 'utf8')), truncated: true }));
  checkout = gitCheckout(FILES);
  server = await startGitHubServer({ snapshotDir: snapshot, token: 'token' });
});
afterAll(async () => {
  await server?.close();
  removeTemporaryFolders();
});

const comparable = (content: RepoContent) => ({
  documents: content.documents.map((d) => ({ path: d.path, text: d.text, blobSha: d.blobSha })),
  warnings: content.warnings ?? [],
});

describe('the same tree through every source', () => {
  it('gives the same documents and the same warnings from a snapshot, GitHub and a Git checkout', async () => {
    const fromSnapshot = await createSnapshotSource(snapshot).loadRepository(request);
    const fromGitHub = await createGitHubSource({ baseUrl: server.url, token: 'token', graphql: false }).loadRepository(request);
    const fromCheckout = await createLocalSource(new Map([[REPO, checkout]])).loadRepository(request);

    const expected = comparable(fromSnapshot);
    expect(expected.warnings).toEqual(EXPECTED_WARNINGS);
    expect(expected.documents).toEqual([
      { path: 'docs/cp1252.md', text: '# “Q”\n', blobSha: gitBlobSha(Buffer.from([0x23, 0x20, 0x93, 0x51, 0x94, 0x0a])) },
      { path: 'docs/real.md', text: '# Real\n', blobSha: gitBlobSha(Buffer.from('# Real\n')) },
      // A non-Markdown file loses its byte order mark in every source.
      { path: 'docs/site.yml', text: 'site_name: Trees\n', blobSha: gitBlobSha(Buffer.from('\ufeffsite_name: Trees\n')) },
    ]);
    expect(comparable(fromGitHub)).toEqual(expected);
    expect(comparable(fromCheckout)).toEqual(expected);
    // The symlink stays in the tree (as GitHub lists it), only out of the documents.
    for (const content of [fromSnapshot, fromGitHub, fromCheckout]) {
      expect(content.tree.find((e) => e.path === 'README.md')).toMatchObject({ mode: '120000', sha: gitBlobSha(Buffer.from('docs/real.md')) });
    }
  });

  it('warns alike about a truncated tree and a listed file without content (a snapshot and GitHub; a working tree has neither)', async () => {
    const partial = { ...request, repo: 'hostile-org/partial' };
    const snapshotSource = createSnapshotSource(snapshot);
    const githubSource = createGitHubSource({ baseUrl: server.url, token: 'token', graphql: false });
    const fromSnapshot = await snapshotSource.loadRepository(partial);
    const fromGitHub = await githubSource.loadRepository(partial);
    expect(comparable(fromSnapshot).warnings).toEqual([
      { path: '', message: `the tree of the repository is truncated (${fromSnapshot.tree.length} entries listed): documents outside the listed part are missing`, ruleId: 'truncated-tree' },
      { path: 'docs/gone.md', message: UNREADABLE_MESSAGE, ruleId: 'unreadable-file' },
    ]);
    expect(comparable(fromGitHub)).toEqual(comparable(fromSnapshot));
    expect(githubSource.missing).toEqual(snapshotSource.missing);
  });
});

describe('treeDocuments', () => {
  const listed = { tree: [{ path: 'docs/a.md', mode: '100644', type: 'blob' as const, sha: gitBlobSha(Buffer.from('# A\n')), size: 4 }], truncated: false, dropped: [] };
  const input = { repo: 'o/r', commitSha: 'c'.repeat(40), listed, include: ['docs/*.md'], exclude: [] };

  it('names a blob by the sha of its bytes when asked to check it, and warns when the tree says otherwise', async () => {
    const edited = Buffer.from('# A, edited\n');
    const checked = await treeDocuments({ ...input, read: async () => edited, blobSha: 'checked' });
    expect(checked.documents.map((d) => d.blobSha)).toEqual([gitBlobSha(edited)]);
    expect(checked.warnings).toEqual([{ path: 'docs/a.md', message: `content is blob ${gitBlobSha(edited)}, not blob ${listed.tree[0]!.sha} as the tree lists; the copy is inconsistent`, ruleId: 'blob-mismatch' }]);
    const computed = await treeDocuments({ ...input, read: async () => edited, blobSha: 'computed' });
    expect(computed.documents.map((d) => d.blobSha)).toEqual([gitBlobSha(edited)]);
    expect(computed.warnings).toEqual([]);
    const trusted = await treeDocuments({ ...input, read: async () => edited, blobSha: 'tree' });
    expect(trusted.documents.map((d) => d.blobSha)).toEqual([listed.tree[0]!.sha]);
  });

  it('keeps nothing between calls: one repository read at two commits gives each its own documents', async () => {
    const [first, second] = await Promise.all(
      ['1', '2'].map((n) => treeDocuments({ ...input, commitSha: n.repeat(40), read: async () => Buffer.from(`# A at ${n}\n`), blobSha: 'computed' })),
    );
    expect(first!.documents[0]).toMatchObject({ text: '# A at 1\n', commitSha: '1'.repeat(40), sourceUrl: `https://github.com/o/r/blob/${'1'.repeat(40)}/docs/a.md` });
    expect(second!.documents[0]).toMatchObject({ text: '# A at 2\n', commitSha: '2'.repeat(40) });
  });
});

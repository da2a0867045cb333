/** Changes files of a snapshot folder the way a push would: new blob sha in tree.json, new head commit. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gitBlobSha } from '../../src/sources/documents.ts';

/** Rewrites one file of `owner/repo` in a snapshot and moves the repository's head to a new commit. */
export async function editSnapshotFile(snapshotDir: string, repo: string, filePath: string, edit: (text: string) => string): Promise<void> {
  const repoDir = path.join(snapshotDir, ...repo.split('/'));
  const file = path.join(repoDir, 'files', ...filePath.split('/'));
  const bytes = Buffer.from(edit(await readFile(file, 'utf8')));
  await writeFile(file, bytes);
  const tree = JSON.parse(await readFile(path.join(repoDir, 'tree.json'), 'utf8'));
  const entry = tree.tree.find((e: { path: string }) => e.path === filePath);
  if (!entry) throw new Error(`${filePath} is not in ${repo}/tree.json`);
  entry.sha = gitBlobSha(bytes);
  entry.size = bytes.length;
  tree.sha = createHash('sha1').update(JSON.stringify(tree.tree)).digest('hex');
  await writeFile(path.join(repoDir, 'tree.json'), JSON.stringify(tree));
  const meta = JSON.parse(await readFile(path.join(repoDir, 'repo.json'), 'utf8'));
  meta.head_sha = createHash('sha1').update(`${meta.head_sha}:${filePath}:${entry.sha}`).digest('hex');
  await writeFile(path.join(repoDir, 'repo.json'), JSON.stringify(meta, null, 2));
}

/** Adds a new file to `owner/repo` of a snapshot (tree entry, content) and moves its head to a new commit. */
export async function addSnapshotFile(snapshotDir: string, repo: string, filePath: string, text: string): Promise<void> {
  const repoDir = path.join(snapshotDir, ...repo.split('/'));
  const tree = JSON.parse(await readFile(path.join(repoDir, 'tree.json'), 'utf8'));
  if (tree.tree.some((e: { path: string }) => e.path === filePath)) throw new Error(`${filePath} is already in ${repo}/tree.json`);
  const parts = filePath.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (!tree.tree.some((e: { path: string }) => e.path === dir)) tree.tree.push({ path: dir, mode: '040000', type: 'tree', sha: createHash('sha1').update(`tree ${dir}`).digest('hex') });
  }
  tree.tree.push({ path: filePath, mode: '100644', type: 'blob', sha: '0'.repeat(40), size: 0 });
  await writeFile(path.join(repoDir, 'tree.json'), JSON.stringify(tree));
  await mkdir(path.dirname(path.join(repoDir, 'files', ...parts)), { recursive: true });
  await writeFile(path.join(repoDir, 'files', ...parts), '');
  await editSnapshotFile(snapshotDir, repo, filePath, () => text);
}

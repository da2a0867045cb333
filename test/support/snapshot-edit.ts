/** Changes files of a snapshot folder the way a push would: new blob sha in tree.json, new head commit. */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
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

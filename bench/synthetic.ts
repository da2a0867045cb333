/**
 * Synthetic snapshots, for measuring how build time, output and memory grow with pages:
 *   writeSyntheticOrg   `repos` repositories of `pages` Markdown pages each (a README and docs/), with links
 *                       between pages, a table, code blocks and a link to a source file;
 *   writeSyntheticRepo  one repository of `pages` pages, in folders of `perFolder` with a README each.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const sha1 = (s: string | Buffer) => createHash('sha1').update(s).digest('hex');
const blobSha = (bytes: Buffer) => sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));

function page(repo: number, index: number, pages: number): string {
  const next = (index % (pages - 1)) + 1;
  const lines = [
    index === 0 ? `# Service ${repo}` : `# Topic ${index} of service ${repo}`,
    '',
    `Service ${repo} keeps records of type ${index} and serves them to the data portal. This page explains how it is configured and operated.`,
    '',
    `See [the next topic](${index === 0 ? 'docs/' : ''}topic-${next}.md#configuration), the [overview](${index === 0 ? '' : '../'}README.md) and [the server code](${index === 0 ? '' : '../'}src/server.py).`,
    '',
    '## Configuration',
    '',
    '| setting | default | meaning |',
    '| --- | --- | --- |',
    ...Array.from({ length: 6 }, (_, i) => `| \`option_${i}\` | ${i * 10} | how many records of kind ${i} are kept |`),
    '',
    '```yaml',
    `service: svc-${repo}`,
    `replicas: ${(index % 3) + 1}`,
    'storage:',
    '  bucket: <your-bucket>',
    '```',
    '',
    '## Usage',
    '',
    ...Array.from({ length: 4 }, (_, i) => `${i + 1}. Step ${i + 1}: run \`svc-${repo} step-${i}\` and check the log for *errors*.`),
    '',
    '```python',
    'from gen3.auth import Gen3Auth',
    `auth = Gen3Auth(refresh_file="credentials-${repo}.json")`,
    'print(auth.get_access_token())',
    '```',
    '',
    '## Troubleshooting',
    '',
    'If the service does not start, check the database connection and the credentials, then restart it.',
    '',
  ];
  return lines.join('\n');
}

interface RepoFile {
  path: string;
  bytes: Buffer;
}

/** One repository in the snapshot layout (repo.json, tree.json, tags.json, files/). */
async function writeRepo(dir: string, owner: string, name: string, seed: number, files: RepoFile[]): Promise<void> {
  const repoDir = path.join(dir, owner, name);
  const tree: { path: string; mode: string; type: string; sha: string; size?: number }[] = [
    { path: 'src', mode: '040000', type: 'tree', sha: sha1(`src${seed}`) },
    { path: 'src/server.py', mode: '100644', type: 'blob', sha: sha1(`server${seed}`), size: 1200 },
  ];
  const folders = new Set<string>();
  for (const { path: p, bytes } of files) {
    for (let dirName = path.posix.dirname(p); dirName !== '.' && !folders.has(dirName); dirName = path.posix.dirname(dirName)) {
      folders.add(dirName);
      tree.push({ path: dirName, mode: '040000', type: 'tree', sha: sha1(`${dirName}${seed}`) });
    }
    await mkdir(path.join(repoDir, 'files', path.dirname(p)), { recursive: true });
    await writeFile(path.join(repoDir, 'files', p), bytes);
    tree.push({ path: p, mode: '100644', type: 'blob', sha: blobSha(bytes), size: bytes.length });
  }
  tree.sort((a, b) => (a.path < b.path ? -1 : 1));
  const head = sha1(`head${seed}`);
  await writeFile(path.join(repoDir, 'tree.json'), JSON.stringify({ sha: sha1(`tree${seed}`), truncated: false, tree }));
  await writeFile(
    path.join(repoDir, 'repo.json'),
    JSON.stringify({ name, full_name: `${owner}/${name}`, owner: { login: owner }, default_branch: 'main', head_sha: head, pushed_at: '2026-01-01T00:00:00Z', html_url: `https://github.com/${owner}/${name}`, archived: false, fork: false, topics: [], description: `Synthetic service ${seed}` }),
  );
  await writeFile(path.join(repoDir, 'tags.json'), JSON.stringify([{ name: '1.0.0', commit: { sha: head }, date: '2026-01-01T00:00:00Z' }]));
}

/**
 * Writes one repository of `pages` pages into `dir`: README.md and docs/part-NNN/ folders of `perFolder` pages,
 * each folder with a README, each page linking to the next one and to the repository's README. Returns the path
 * of a sources.json that builds it.
 */
export async function writeSyntheticRepo(dir: string, pages: number, perFolder = 50): Promise<string> {
  const owner = 'synthetic-org';
  const name = 'big-service';
  const folderOf = (i: number) => `docs/part-${String(Math.floor((i - 1) / perFolder)).padStart(4, '0')}`;
  const fileOf = (i: number) => ((i - 1) % perFolder === 0 ? `${folderOf(i)}/README.md` : `${folderOf(i)}/topic-${i}.md`);
  const readme = page(0, 0, 2).replace(/\]\([^)]*topic-[^)]*\)/, `](${fileOf(1)}#configuration)`);
  const files: RepoFile[] = [{ path: 'README.md', bytes: Buffer.from(readme) }];
  for (let i = 1; i < pages; i++) {
    const next = i + 1 < pages ? i + 1 : 1;
    const text = page(0, i, 2)
      .replace(/^# .*/, (first) => ((i - 1) % perFolder === 0 ? `# Part ${Math.floor((i - 1) / perFolder)}` : first))
      .replace(/\]\([^)]*topic-[^)]*\)/, `](${path.posix.relative(path.posix.dirname(fileOf(i)), fileOf(next))}#configuration)`)
      .replace(/\]\([^)]*README\.md\)/, '](../../README.md)')
      .replace(/\]\([^)]*src\/server\.py\)/, '](../../src/server.py)');
    files.push({ path: fileOf(i), bytes: Buffer.from(text) });
  }
  await writeRepo(dir, owner, name, 0, files);
  const config = path.join(dir, 'sources.json');
  await writeFile(config, JSON.stringify({ site: { title: 'Synthetic docs' }, repositories: [{ repo: `${owner}/${name}`, section: 'Group 0' }] }, null, 2));
  return config;
}

/** Writes the organisation into `dir` and returns the path of a sources.json that builds it. */
export async function writeSyntheticOrg(dir: string, repos: number, pages: number): Promise<string> {
  const owner = 'synthetic-org';
  const entries: { repo: string; section: string }[] = [];
  for (let r = 0; r < repos; r++) {
    const name = `service-${String(r).padStart(4, '0')}`;
    const files: RepoFile[] = [{ path: 'README.md', bytes: Buffer.from(page(r, 0, pages)) }];
    for (let i = 1; i < pages; i++) files.push({ path: `docs/topic-${i}.md`, bytes: Buffer.from(page(r, i, pages)) });
    await writeRepo(dir, owner, name, r, files);
    entries.push({ repo: `${owner}/${name}`, section: `Group ${r % 5}` });
  }
  const config = path.join(dir, 'sources.json');
  await writeFile(config, JSON.stringify({ site: { title: 'Synthetic docs' }, repositories: entries }, null, 2));
  return config;
}

/**
 * One repository of `images` PNG files of about `bytesEach` bytes (noise, so nothing compresses them), shown
 * ten to a page: for measuring that memory does not grow with the bytes of the images a build publishes.
 * Signature and chunk layout are a PNG's; the pixels are not meant to be decoded.
 */
export async function writeSyntheticImages(dir: string, images: number, bytesEach: number): Promise<string> {
  const owner = 'synthetic-org';
  const name = 'gallery';
  const repoDir = path.join(dir, owner, name);
  const header = Buffer.from('89504e470d0a1a0a0000000d494844520000010000000100080200000000000000', 'hex');
  const tree: { path: string; mode: string; type: string; sha: string; size: number }[] = [];
  const add = async (p: string, bytes: Buffer) => {
    await mkdir(path.join(repoDir, 'files', path.dirname(p)), { recursive: true });
    await writeFile(path.join(repoDir, 'files', p), bytes);
    tree.push({ path: p, mode: '100644', type: 'blob', sha: blobSha(bytes), size: bytes.length });
  };
  const pages = Math.ceil(images / 10);
  const image = () => {
    // One IDAT chunk of noise after the header (checksums left zero), then IEND: the chunk layout is a PNG's.
    const data = randomBytes(Math.max(0, bytesEach - header.length - 24));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([header, length, Buffer.from('IDAT'), data, Buffer.alloc(4), Buffer.from('0000000049454e4400000000', 'hex')]);
  };
  for (let i = 0; i < images; i++) await add(`docs/img/image-${i}.png`, image());
  await add('README.md', Buffer.from(`# Gallery\n\n${Array.from({ length: pages }, (_, p) => `- [Page ${p}](docs/page-${p}.md)`).join('\n')}\n`));
  for (let p = 0; p < pages; p++) {
    const shown = Array.from({ length: 10 }, (_, k) => p * 10 + k).filter((i) => i < images);
    await add(`docs/page-${p}.md`, Buffer.from(`# Page ${p}\n\n${shown.map((i) => `![Image ${i}](img/image-${i}.png)`).join('\n\n')}\n`));
  }
  tree.push({ path: 'docs', mode: '040000', type: 'tree', sha: sha1('docs'), size: 0 }, { path: 'docs/img', mode: '040000', type: 'tree', sha: sha1('docs/img'), size: 0 });
  tree.sort((a, b) => (a.path < b.path ? -1 : 1));
  const head = sha1('gallery head');
  await writeFile(path.join(repoDir, 'tree.json'), JSON.stringify({ sha: sha1('gallery tree'), truncated: false, tree }));
  await writeFile(
    path.join(repoDir, 'repo.json'),
    JSON.stringify({ name, full_name: `${owner}/${name}`, owner: { login: owner }, default_branch: 'main', head_sha: head, pushed_at: '2026-01-01T00:00:00Z', html_url: `https://github.com/${owner}/${name}`, archived: false, fork: false, topics: [], description: 'Synthetic image gallery' }),
  );
  await writeFile(path.join(repoDir, 'tags.json'), '[]');
  const config = path.join(dir, 'sources.json');
  await writeFile(config, JSON.stringify({ site: { title: 'Synthetic images' }, repositories: [{ repo: `${owner}/${name}`, section: 'Images', include: ['README.md', 'docs/**/*.md'] }] }, null, 2));
  return config;
}

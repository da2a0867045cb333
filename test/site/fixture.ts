/** A small in-memory set of repositories, with hostile strings where repositories control text. */
import { createHash } from 'node:crypto';
import type { Config } from '../../src/config/types.ts';
import type { ContentSource, RepoContent, RepositoryRequest, Tag } from '../../src/sources/types.ts';
import { selectDocuments } from '../../src/sources/select.ts';

export const HOSTILE = `<script>alert("x")</script> & "q" 'a' </title><img src="https://x.invalid/a.png" onerror=alert(1)>`;

interface FixtureRepo {
  description?: string | null;
  pushedAt?: string;
  tags?: Tag[];
  files: Record<string, string>;
  /** Dates of the last change of some files, as a snapshot's tree may give them. */
  dates?: Record<string, string>;
}

const sha = (s: string) => createHash('sha1').update(s).digest('hex');

export const MKDOCS_YML = `site_name: Acme
nav:
  - Home: index.md
  - Start here:
    - start/index.md
    - Install: start/install.md
    - Missing page: start/gone.md
  - Developer Guide:
    - Contribute Code: gen3-resources/developer-guide/contribute.md
  - start/bare.md
  - Demo site: https://demo.example.org/
  - Bad link: javascript:alert(1)
  - orphan.md
markdown_extensions:
  - pymdownx.emoji:
      emoji_generator: !!python/name:pymdownx.emoji.to_svg
`;

export const REPOS: Record<string, FixtureRepo> = {
  'acme/widget': {
    description: HOSTILE,
    dates: { 'README.md': '2026-04-30' },
    pushedAt: '2026-05-04T11:09:27-05:00',
    tags: [
      { name: '2026.09', sha: sha('t1') },
      { name: '13.3.0-rc.1', sha: sha('t2') },
      { name: '13.2.0', sha: sha('t3') },
      { name: 'v9.10.1', sha: sha('t4') },
    ],
    files: {
      'README.md': `# Widget ${HOSTILE}\n\nThe widget service.\n\n## Install it\n\nSteps.\n\n## Configure\n\nMore.\n`,
      'docs/a.md': '---\norder: 2\n---\n# Alpha\n\nA.\n',
      'docs/b.md': '---\norder: 1\n---\n# Beta\n\nB.\n',
      'docs/c.md': '# Gamma\n\nC.\n',
      'docs/sub/README.md': '# Sub folder\n\nS.\n',
      'docs/sub/d.md': '# Delta\n\nD.\n',
      'docs/secret.md': '---\nhidden: true\n---\n# Hidden page\n',
    },
  },
  'acme/gadget': {
    description: null,
    pushedAt: '2025-01-02T00:00:00Z',
    files: { 'README.md': '# Gadget\n\nA gadget.\n' },
  },
  'acme/guides': {
    files: {
      'mkdocs.yml': MKDOCS_YML,
      'docs/index.md': '# Guides home\n\nWelcome.\n',
      'docs/start/index.md': '# Start\n\nStart.\n',
      'docs/start/install.md': '# Install\n\nInstall.\n\n## Requirements\n\nR.\n',
      'docs/start/bare.md': '# Bare page\n',
      'docs/gen3-resources/developer-guide/contribute.md': '# Contributing\n\nHow to contribute.\n',
      'docs/contact.md': '# Contact us\n',
      'docs/orphan.md': `---\ntitle: ${JSON.stringify(HOSTILE)}\ndescription: ${JSON.stringify(HOSTILE)}\n---\n# Orphan\n`,
    },
  },
  'acme/manifest': {
    files: {
      'README.md': '# Manifest\n',
      'releases/2026/06/gen3-release-notes.md': '# Core Gen3 Release 2026.06 (Garnet)\n\n## uc-cdis/fence\n\n- fix\n',
      'releases/2026/07/gen3-release-notes.md': `# Core Gen3 Release 2026.07 (Zircon)\n\n## uc-cdis/fence\n\n- a\n\n## uc-cdis/indexd\n\n- b\n\n## ${HOSTILE}\n\n- c\n`,
      'releases/2026/07/knownbugs.md': '# Known bugs\n',
    },
  },
};

export function fixtureConfig(overrides: Partial<Config['site']> = {}): Config {
  return {
    file: '/fixture/sources.json',
    site: { title: 'Acme Docs', baseUrl: '/', ...overrides },
    repositories: [
      { repo: 'acme/widget', section: `Core ${HOSTILE}` },
      { repo: 'acme/gadget', section: 'Tools', description: 'Configured description' },
    ],
    releaseNotes: { repo: 'acme/manifest', path: 'releases' },
    guides: { repo: 'acme/guides', path: 'docs', nav: 'mkdocs.yml' },
  };
}

export function fixtureSource(repos: Record<string, FixtureRepo> = REPOS): ContentSource {
  return {
    kind: 'snapshot',
    async loadRepository(request: RepositoryRequest): Promise<RepoContent> {
      const repo = repos[request.repo];
      if (!repo) throw new Error(`no such repository: ${request.repo}`);
      const [owner, name] = request.repo.split('/') as [string, string];
      const commitSha = sha(request.repo);
      const tree = Object.entries(repo.files).map(([p, text]) => ({ path: p, mode: '100644', type: 'blob' as const, sha: sha(text), size: text.length, ...(repo.dates?.[p] ? { updated: repo.dates[p] } : {}) }));
      const documents = selectDocuments(tree, request.include, request.exclude).map((e) => ({
        repo: request.repo,
        path: e.path,
        text: repo.files[e.path]!,
        blobSha: e.sha,
        commitSha,
        sourceUrl: `https://github.com/${request.repo}/blob/${commitSha}/${e.path}`,
      }));
      return {
        meta: {
          fullName: request.repo,
          owner,
          name,
          defaultBranch: 'main',
          description: repo.description ?? null,
          htmlUrl: `https://github.com/${request.repo}`,
          pushedAt: repo.pushedAt ?? null,
          archived: false,
          fork: false,
          topics: [],
        },
        ref: request.ref ?? 'main',
        commitSha,
        tree,
        treeTruncated: false,
        tags: request.tags ? (repo.tags ?? []) : [],
        documents,
      };
    },
    async readBlob() {
      return undefined;
    },
  };
}

/**
 * Release planning, between the catalog and rendering: the notes parsed into the model, each release page's
 * document swapped for Markdown generated from it, and the generated pages (a service's changes by release,
 * the breaking changes) added to the catalog:
 *
 *  - releases/<version>/         each core release
 *  - releases/breaking-changes/  every "Breaking Changes" item, by release then service
 *  - services/<slug>/changes/    a service's items from every release (a page of its own: fence alone has
 *                                hundreds of items in ~70 releases, which would bury its README)
 *
 * Generated pages are catalog pages with a SourceDocument-shaped input, so the build renders them like any
 * other page (sanitizer, link resolution, heading ids, caching). Links between them are GitHub blob URLs
 * of the notes, which link resolution maps to the bundle pages and checks, fragments included.
 */
import { slug } from 'github-slugger';
import type { Config } from '../config/types.ts';
import type { Catalog, CatalogPage, ServiceEntry } from '../catalog/catalog.ts';
import { warning, type Warning } from '../core/warning.ts';
import { github as forge } from '../forge/github.ts';
import { gitBlobSha } from '../sources/documents.ts';
import type { ApiRelease, SourceDocument } from '../sources/types.ts';
import type { ApiPlan } from '../api/plan.ts';
import { linkEndpoints } from './api-links.ts';
import { compareNewestFirst, parseReleaseNotes, releaseFromGitHubRelease, type Release } from './index.ts';
import type { ParseWarning } from './types.ts';
import { MarkdownOut, type Origin, categorisedItems, itemsOf, writeBreakingChanges, writeReleasePage, writeServiceChanges } from './pages.ts';
export const BREAKING_URL = 'releases/breaking-changes/';

interface Generated {
  page: CatalogPage;
  /** Generated line (1-based) -> origin; warnings on other lines keep the generated document's name. */
  lines: (Origin | undefined)[];
}

export interface CoreRelease {
  release: Release;
  page: CatalogPage;
}

export interface ReleasePlan {
  notesRepo: string;
  notesPath: string;
  commitSha: string;
  /** Core releases with their pages, newest first. */
  core: CoreRelease[];
  /** Releases of single services from GitHub, newest first; they are not pages of their own. */
  github: Release[];
  changesPages: Map<ServiceEntry, CatalogPage>;
  breakingPage: CatalogPage;
  warnings: Warning[];
  generated: Generated[];
}


/** Git's blob id of a text: the identity of generated documents, as blobSha is for repository files. */
function textSha(text: string): string {
  return gitBlobSha(Buffer.from(text, 'utf8'));
}

export interface PlanInput {
  config: Config;
  catalog: Catalog;
  githubReleases?: { repo: string; releases: ApiRelease[] }[];
  /** The notes parser (default parseReleaseNotes; the build passes a cached one). */
  parse?: typeof parseReleaseNotes;
  /** The services' API references: endpoints named in items link to their operations. */
  apis?: ApiPlan;
}

/**
 * Parses every release page's notes (with knownbugs.md and manifest.json beside them), swaps each page's
 * document for the Markdown generated from its model, and adds the generated pages to the catalog. Runs
 * between the catalog and rendering; undefined without release notes.
 */
export function planReleases({ config, catalog, githubReleases = [], parse = parseReleaseNotes, apis }: PlanInput): ReleasePlan | undefined {
  const notesConfig = config.releaseNotes;
  const notes = notesConfig && catalog.repos.get(notesConfig.repo.toLowerCase());
  if (!notesConfig || !notes) return undefined;
  const notesRepo = notes.meta.fullName;
  const notesPath = notesConfig.path.replace(/\/+$/, '');
  const warnings: Warning[] = [];
  const generated: Generated[] = [];
  const documents = new Map(notes.documents.map((d) => [d.path, d]));
  const sibling = (file: string, name: string) => {
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    return [...documents.values()].find((d) => d.path.slice(0, dir.length) === dir && d.path.slice(dir.length).toLowerCase() === name);
  };
  const serviceByRepo = new Map(catalog.services.map((s) => [s.repo.toLowerCase(), s]));
  // By branch, not commit: the renderer turns it into the service page either way, and the generated text (and
  // so every release page's cached render) stays the same when the service gets a new commit.
  const serviceUrl = (repo: string) => {
    const service = serviceByRepo.get(repo.toLowerCase());
    const readme = service?.pages.find((p) => p.kind === 'readme');
    return readme ? forge.blobUrl(readme.doc.repo, service!.content.meta.defaultBranch, readme.doc.path) : forge.repositoryUrl(repo);
  };

  // Items are shared by every page that lists them (the release, the service's changes, the breaking changes).
  const withApiLinks = (release: Release): Release => {
    if (!apis?.pages.length) return release;
    const branchOf = (repo: string) => serviceByRepo.get(repo.toLowerCase())?.content.meta.defaultBranch;
    const services = release.services.map((s) => ({
      ...s,
      categories: s.categories.map((c) => ({ ...c, items: c.items.map((item) => ({ ...item, markdown: linkEndpoints(item.markdown, s.repo, apis.operationAt, branchOf) })) })),
    }));
    return { ...release, services };
  };

  const core: CoreRelease[] = [];
  for (const page of catalog.releases) {
    const original = page.doc;
    const knownBugs = sibling(original.path, 'knownbugs.md');
    const manifest = sibling(original.path, 'manifest.json');
    const result = parse({ path: original.path, text: original.text, repo: notesRepo, knownBugs: knownBugs?.text, manifestJson: manifest?.text });
    for (const w of result.warnings) warnings.push(located(`${notesRepo}/${w.file}`, w));
    const release = withApiLinks(result.release);
    const out = new MarkdownOut();
    writeReleasePage(out, release, { original, knownBugs, notesRepo, serviceUrl });
    page.doc = { ...original, text: out.text, blobSha: textSha(out.text) };
    generated.push({ page, lines: out.lines });
    core.push({ release, page });
  }
  core.sort((a, b) => compareNewestFirst(a.release, b.release));

  const github: Release[] = [];
  for (const { repo, releases } of githubReleases) {
    for (const api of releases) {
      const result = releaseFromGitHubRelease(repo, api);
      for (const w of result.warnings) warnings.push(located(w.file, w));
      if (result.release.year === 0) {
        warnings.push(warning(api.html_url, 'github-releases', `GitHub release ${api.tag_name} of ${repo} has no date; left out`));
        continue;
      }
      github.push(withApiLinks(result.release));
    }
  }
  github.sort(compareNewestFirst);

  const releaseLink = (entry: Release, repo?: string): string => {
    const page = core.find((c) => c.release === entry)?.page;
    if (!page) return entry.sourcePath;
    return `${forge.blobUrl(notesRepo, page.doc.commitSha, page.doc.path)}${repo ? `#${slug(repo)}` : ''}`;
  };
  const generatedDoc = (name: string, out: MarkdownOut): SourceDocument => {
    const path = `${notesPath}/${name}`;
    return { repo: notesRepo, path, text: out.text, blobSha: textSha(out.text), commitSha: notes.commitSha, sourceUrl: forge.treeUrl(notesRepo, notes.commitSha, notesPath) };
  };
  const everything = [...core.map((c) => c.release), ...github].sort(compareNewestFirst);

  const changesPages = new Map<ServiceEntry, CatalogPage>();
  for (const service of catalog.services) {
    const history = everything
      .map((release) => ({ release, service: release.services.find((s) => s.repo.toLowerCase() === service.repo.toLowerCase()) }))
      .filter((h) => h.service && itemsOf(h.service).length > 0);
    if (!history.length) continue;
    const out = new MarkdownOut();
    writeServiceChanges(out, service, history.map((h) => ({ release: h.release, items: categorisedItems(h.service!) })), releaseLink, notesRepo);
    const page = catalog.addPage({ kind: 'changes', url: `services/${service.slug}/changes/`, doc: generatedDoc(`changes-by-release/${service.slug}.md`, out), service });
    service.pages.push(page);
    changesPages.set(service, page);
    generated.push({ page, lines: out.lines });
  }

  const out = new MarkdownOut();
  writeBreakingChanges(out, everything, releaseLink, notesRepo);
  const breakingPage = catalog.addPage({ kind: 'changes', url: BREAKING_URL, doc: generatedDoc('breaking-changes.md', out) });
  generated.push({ page: breakingPage, lines: out.lines });

  return { notesRepo, notesPath, commitSha: notes.commitSha, core, github, changesPages, breakingPage, warnings, generated };
}

function located(file: string, w: ParseWarning): Warning {
  return warning(file, w.ruleId ?? 'release-notes', w.message, { line: w.line });
}

/**
 * Points the rendering warnings of generated documents at the notes as written (file and line of the item or
 * section), and drops the copies an item's problem gets on the other pages that repeat it. Call once every
 * page is rendered and cross links are resolved.
 */
export function relocateWarnings(plan: ReleasePlan, warningsOf: (page: CatalogPage) => Warning[] | undefined, warnings: Warning[]): void {
  const moved = new Set<Warning>();
  for (const { page, lines } of plan.generated) {
    const file = `${page.doc.repo}/${page.doc.path}`;
    for (const w of warningsOf(page) ?? []) {
      if (w.file !== file || w.line === undefined || moved.has(w)) continue;
      const origin = lines[w.line];
      if (!origin) continue;
      w.file = origin.file;
      w.line = origin.line;
      moved.add(w);
    }
  }
  const seen = new Set<string>();
  for (let i = 0; i < warnings.length; i++) {
    const w = warnings[i]!;
    if (!moved.has(w)) continue;
    const key = `${w.file}\0${w.line}\0${w.message}`;
    if (seen.has(key)) warnings.splice(i--, 1);
    else seen.add(key);
  }
}

/**
 * The sources stage: every repository of the configuration (organisations discovered first), the guides and
 * the release notes, loaded a few at a time from one content source.
 */
import type { Config, RepositoryConfig } from '../config/types.ts';
import { apiGlobs, DEFAULT_INCLUDE } from '../config/types.ts';
import { BuildError, type OnProgress } from '../core/build-events.ts';
import { mapLimit } from '../core/concurrency.ts';
import { warning, type Warning } from '../core/warning.ts';
import { discoverRepositories } from './discover.ts';
import { loadOnce } from './load-once.ts';
import { SourceError, type ApiRelease, type ContentSource, type RepoContent, type RepositoryRequest } from './types.ts';

export type SourceRole = 'service' | 'guides' | 'releases';

export interface LoadedRepository {
  role: SourceRole;
  /** The sources.json entry of a service. */
  config?: RepositoryConfig;
  request: RepositoryRequest;
  /** Undefined when the source failed for this repository. */
  content?: RepoContent;
  /** Why the source failed. */
  failure?: string;
}

export interface LoadedSources {
  /** The listed repositories plus the ones discovered in the listed organisations. */
  repositories: RepositoryConfig[];
  discovered: string[];
  loads: LoadedRepository[];
  failed: { repo: string; message: string }[];
  stale: { repo: string; reason: string }[];
  warnings: Warning[];
}

export interface LoadInput {
  config: Config;
  source: ContentSource;
  /** Lower-case "owner/name" of the only services to load; the guides and release notes are kept. */
  only?: string[];
  onProgress?: OnProgress;
  /** Lets the source answer with deferred content (RepoContent.deferred): completeSources reads the rest. */
  defer?: boolean;
}

function serviceRequest(entry: RepositoryConfig): RepositoryRequest {
  // API documents are read with the Markdown (the catalog tells them by their content); `exclude` applies to both.
  return { repo: entry.repo, ref: entry.ref, include: [...(entry.include ?? DEFAULT_INCLUDE), ...apiGlobs(entry)], exclude: entry.exclude ?? [], tags: true };
}

/** The requests of one build: a service per repository, then the guides and the release notes. */
export function sourceRequests(config: Config, services: RepositoryConfig[]): Omit<LoadedRepository, 'content'>[] {
  const requests: Omit<LoadedRepository, 'content'>[] = services.map((c) => ({ role: 'service', config: c, request: serviceRequest(c) }));
  if (config.guides) {
    const g = config.guides;
    const docs = g.path.replace(/\/+$/, '');
    // The blog's authors file (Material's blog plugin) names the posts' authors.
    const include = [`${docs}/**/*.md`, `${docs}/**/authors.yml`, `${docs}/**/.authors.yml`, ...(g.nav ? [g.nav] : [])];
    requests.push({ role: 'guides', request: { repo: g.repo, ref: g.ref, include, exclude: [], tags: false } });
  }
  if (config.releaseNotes) {
    const base = config.releaseNotes.path.replace(/\/+$/, '');
    const include = [`${base}/**/*.md`, `${base}/**/manifest.json`];
    requests.push({ role: 'releases', request: { repo: config.releaseNotes.repo, ref: config.releaseNotes.ref, include, exclude: [], tags: false } });
  }
  return requests;
}

/** A rejected token or an exhausted rate limit would fail every other repository the same way: stop. */
function stopOnFatal(error: unknown): never {
  throw error instanceof SourceError && error.fatal ? new BuildError(error.message) : error;
}

type Settled = Pick<LoadedSources, 'failed' | 'stale'>;

/** The outcome of one repository's load: its content (a stale copy noted), or why it failed. */
async function settle(item: LoadedRepository, loading: Promise<RepoContent>, settled: Settled): Promise<LoadedRepository> {
  const repo = item.request.repo;
  const { content: _previous, failure: _failure, ...request } = item;
  try {
    const content = await loading;
    if (content.freshness === 'stale') settled.stale.push({ repo, reason: content.staleReason ?? 'the source failed' });
    return { ...request, content };
  } catch (error) {
    if (error instanceof SourceError && error.fatal) stopOnFatal(error);
    const message = (error as Error).message;
    settled.failed.push({ repo, message });
    return { ...request, failure: message };
  }
}

/** The per-path warnings of the loaded repositories, in the order of the loads. */
function loadWarnings(loads: readonly LoadedRepository[]): Warning[] {
  return loads.flatMap((l) => (l.content?.warnings ?? []).map((w) => warning(w.path ? `${l.request.repo}/${w.path}` : l.request.repo, w.ruleId, w.message)));
}

export async function loadSources({ config, source, only, onProgress, defer }: LoadInput): Promise<LoadedSources> {
  const discovery = await discoverRepositories(config, source).catch((error: unknown) => {
    throw error instanceof SourceError ? new BuildError(`organisation discovery failed: ${error.message}`) : error;
  });
  if (config.organizations?.length) {
    onProgress?.({ stage: 'discover', repositories: discovery.repositories.length, added: discovery.added });
    // The CLI checks --only against the listed repositories; discovered ones are only known now.
    const unknown = (only ?? []).filter((o) => !discovery.repositories.some((r) => r.repo.toLowerCase() === o));
    if (unknown.length > 0) throw new BuildError(`--only ${unknown.join(', ')}: neither listed in ${config.file} nor discovered in its organisations`);
  }
  const requests = sourceRequests(config, discovery.repositories.filter((r) => !only || only.includes(r.repo.toLowerCase())));
  const settled: Settled = { failed: [], stale: [] };
  let done = 0;
  // Lets a source ask for every repository's head at once (GitHub GraphQL) instead of one by one.
  await source.prefetch?.(requests.map((r) => r.request)).catch(stopOnFatal);
  const load = loadOnce(source, requests.map((r) => r.request), defer ? { defer } : undefined);
  const loads = await mapLimit(requests, 8, async (item): Promise<LoadedRepository> => {
    const loaded = await settle(item, load(item.request), settled);
    const { content, failure } = loaded;
    const stale = content?.freshness === 'stale' ? { stale: content.staleReason ?? '' } : {};
    onProgress?.({ stage: 'load', repo: item.request.repo, done: ++done, total: requests.length, ...(failure !== undefined ? { failed: failure } : stale) });
    return loaded;
  });
  return { repositories: discovery.repositories, discovered: discovery.added, loads, ...settled, warnings: loadWarnings(loads) };
}

/**
 * The sources with every deferred repository completed (its tree and texts read), for the stages after the
 * sources. A repository that fails now is failed or stale as it would have been when first loaded.
 */
export async function completeSources(sources: LoadedSources): Promise<LoadedSources> {
  if (!sources.loads.some((l) => l.content?.deferred)) return sources;
  const settled: Settled = { failed: [...sources.failed], stale: [...sources.stale] };
  const loads = await mapLimit(sources.loads, 8, (item) => {
    const deferred = item.content?.deferred;
    return deferred ? settle(item, deferred.complete(), settled) : Promise.resolve(item);
  });
  return { ...sources, loads, ...settled, warnings: loadWarnings(loads) };
}

/** The loaded content of a role's repositories (a failed one is left out). */
export function contentOf(sources: LoadedSources, role: SourceRole): LoadedRepository[] {
  return sources.loads.filter((l) => l.role === role && l.content);
}

/** The GitHub releases of the services releaseNotes.githubReleases names; a repository that fails is a warning and lists none. */
export async function loadGitHubReleases(config: Config, source: ContentSource, warnings: Warning[]): Promise<{ repo: string; releases: ApiRelease[] }[]> {
  const repos = config.releaseNotes?.githubReleases ?? [];
  if (!repos.length) return [];
  if (!source.listReleases) {
    warnings.push(warning(config.file, 'github-releases', `this source cannot list GitHub releases; releaseNotes.githubReleases (${repos.join(', ')}) is ignored`));
    return [];
  }
  return Promise.all(
    repos.map(async (repo) => {
      try {
        return { repo, releases: await source.listReleases!(repo) };
      } catch (error) {
        warnings.push(warning(repo, 'github-releases', `GitHub releases not loaded: ${(error as Error).message}`));
        return { repo, releases: [] };
      }
    }),
  );
}

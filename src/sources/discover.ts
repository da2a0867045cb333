/**
 * Organisation discovery: turns the `organizations` of sources.json into repository entries, so a new
 * repository of uc-cdis shows up without editing the configuration.
 */
import picomatch from 'picomatch';
import type { Config, OrganizationConfig, RepositoryConfig } from '../config/types.ts';
import { SourceError, type RepoMeta } from './types.ts';

export interface RepositoryLister {
  listOrgRepositories?(org: string): Promise<RepoMeta[]>;
}

/** The repositories of one organisation that its entry selects, by name. */
export function selectOrgRepositories(entry: OrganizationConfig, repos: readonly RepoMeta[]): RepoMeta[] {
  const options = { nocase: true, dot: true };
  const include = picomatch(entry.include ?? ['*'], options);
  const exclude = entry.exclude?.length ? picomatch(entry.exclude, options) : () => false;
  const topics = entry.topics?.map((t) => t.toLowerCase());
  return repos
    .filter((r) => include(r.name) && !exclude(r.name))
    .filter((r) => (entry.archived ?? false) || !r.archived)
    .filter((r) => (entry.forks ?? false) || !r.fork)
    .filter((r) => !topics || r.topics.some((t) => topics.includes(t.toLowerCase())))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}

/**
 * Listed repositories first, in their order and with their settings; then the discovered ones not listed,
 * organisation by organisation, each in its organisation's section.
 */
export function mergeRepositories(listed: readonly RepositoryConfig[], discovered: readonly RepositoryConfig[]): RepositoryConfig[] {
  const seen = new Set(listed.map((r) => r.repo.toLowerCase()));
  const out = [...listed];
  for (const entry of discovered) {
    const key = entry.repo.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}

export interface Discovery {
  repositories: RepositoryConfig[];
  /** "owner/name" of the repositories discovery added (not listed). */
  added: string[];
}

/** Lists every configured organisation and merges what it selects into the listed repositories. */
export async function discoverRepositories(config: Config, source: RepositoryLister): Promise<Discovery> {
  const organizations = config.organizations ?? [];
  if (organizations.length === 0) return { repositories: config.repositories, added: [] };
  if (!source.listOrgRepositories) {
    throw new SourceError(`${config.file}: "organizations" needs a source that can list repositories (GitHub or --snapshot)`, organizations[0]!.org);
  }
  const discovered: RepositoryConfig[] = [];
  for (const entry of organizations) {
    const repos = await source.listOrgRepositories(entry.org);
    for (const meta of selectOrgRepositories(entry, repos)) discovered.push({ repo: meta.fullName, section: entry.section });
  }
  const repositories = mergeRepositories(config.repositories, discovered);
  return { repositories, added: repositories.slice(config.repositories.length).map((r) => r.repo) };
}

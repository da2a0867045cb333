/** The shape of sources.json once validated. sources.schema.json is the authority for what is allowed. */

export interface RepositoryConfig {
  /** "owner/name" */
  repo: string;
  /** Group in the services catalog, e.g. "Core services". */
  section: string;
  title?: string;
  description?: string;
  /** Globs of the Markdown files to take; default: the README plus docs/**\/*.md. */
  include?: string[];
  exclude?: string[];
  ref?: string;
  /**
   * OpenAPI/Swagger documents to render as API references: paths in the repository, or false for none.
   * Undefined: found in the tree (apiCandidateGlobs, then recognised by their content).
   */
  api?: string | string[] | false;
}

/** Repositories of a GitHub organisation taken in by name, topic and state instead of one by one. */
export interface OrganizationConfig {
  org: string;
  /** Catalog group of the discovered repositories. */
  section: string;
  /** Globs over repository names (case-insensitive); default ["*"]. */
  include?: string[];
  exclude?: string[];
  /** Only repositories with at least one of these topics. */
  topics?: string[];
  /** Take archived repositories too (default false). */
  archived?: boolean;
  /** Take forks too (default false). */
  forks?: boolean;
}

export interface ReleaseNotesConfig {
  repo: string;
  /** Folder holding YYYY/MM/<notes>.md */
  path: string;
  ref?: string;
  /** Repositories ("owner/name") whose GitHub releases are listed with the service's changes. */
  githubReleases?: string[];
}

export interface GuidesConfig {
  repo: string;
  /** Folder of the guide pages, e.g. "docs". */
  path: string;
  /** MkDocs configuration whose `nav` orders the guides. */
  nav?: string;
  ref?: string;
  title?: string;
}

export interface SiteConfig {
  title: string;
  /** Path prefix the site is served under, e.g. "/docs/"; only absolute URLs (sitemap, feed) use it. */
  baseUrl: string;
  /** Public origin for absolute URLs in the sitemap and feed, e.g. "https://docs.example.org". */
  origin?: string;
}

export interface Config {
  /** Absolute path of the file this came from, for messages. */
  file: string;
  site: SiteConfig;
  /** The listed repositories; with `organizations`, discovery adds more before the build (discover.ts). */
  repositories: RepositoryConfig[];
  organizations?: OrganizationConfig[];
  releaseNotes?: ReleaseNotesConfig;
  guides?: GuidesConfig;
  /** Old site paths ("gen3-resources/old-page/") -> bundle page URLs ("guides/new-page/", "#fragment" allowed). */
  redirects?: Record<string, string>;
}

export const DEFAULT_INCLUDE = ['README.md', 'docs/**/*.md'];

/**
 * Where OpenAPI/Swagger documents are looked for when a repository does not name its own: YAML or JSON files
 * whose name says openapi or swagger, at most three folders deep (deeper ones are test fixtures and vendored
 * copies). Only those whose top level has an `openapi` or `swagger` field are taken (catalog stage).
 */
export const API_DISCOVERY_GLOBS = [
  '{,*/,*/*/,*/*/*/}*{openapi,swagger,OpenAPI,Swagger,OpenApi}*.{yaml,yml,json}',
];

/** The files a repository entry asks for besides its Markdown: its named API documents, or the discovery globs. */
export function apiGlobs(entry: RepositoryConfig): string[] {
  if (entry.api === false) return [];
  if (entry.api === undefined) return API_DISCOVERY_GLOBS;
  return typeof entry.api === 'string' ? [entry.api] : entry.api;
}

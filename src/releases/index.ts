export * from './types.ts';
export { CANONICAL_CATEGORIES, normaliseCategory } from './categories.ts';
export { isReleaseNotesPath, parseReleaseNotes, parseTitle, versionFromPath } from './parse.ts';
export type { ReleaseNotesInput } from './parse.ts';
export { releaseFromGitHubRelease } from './github-releases.ts';
export type { GitHubApiRelease } from './github-releases.ts';

import type { Release } from './types.ts';

/** The content of out/releases/index.json (docs/schemas/releases-index.schema.json). */
export interface ReleasesIndex {
  bundleVersion: string;
  releases: Release[];
}

/** Newest first: by year, month, then version. */
export function compareNewestFirst(a: Release, b: Release): number {
  return b.year - a.year || b.month - a.month || b.version.localeCompare(a.version, 'en', { numeric: true });
}

export function buildReleasesIndex(bundleVersion: string, releases: Release[]): ReleasesIndex {
  return { bundleVersion, releases: [...releases].sort(compareNewestFirst) };
}

/**
 * GitHub's web URLs: built for a repository, file, folder, ref, line, pull request or release, and read back
 * from links authors wrote. Everything else in the build asks this module rather than spelling a host.
 *
 * Links found in documents are read leniently (http: and www. as browsers follow them); URLs a server gave
 * are trusted only when https: on the forge's own host (`ownUrl`).
 */
import type { Forge, PullRequestLocation, WebLocation } from './types.ts';

export type { Forge, PullRequestLocation, WebLocation } from './types.ts';

export const WEB_ORIGIN = 'https://github.com';
export const RAW_ORIGIN = 'https://raw.githubusercontent.com';

const WEB_URL = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)\/(blob|tree|raw)\/([^?#]+)(\?[^#]*)?(?:#(.*))?$/i;
const RAW_URL = /^https:\/\/raw\.githubusercontent\.com\/([\w.-]+)\/([\w.-]+)\/([^?#]+)(\?[^#]*)?(?:#(.*))?$/i;
const PULL_URL = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+\/[\w.-]+)\/pull\/([1-9]\d{0,8})(?:[/?#].*)?$/i;
const PULL_URLS = /https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+\/pull\/[1-9]\d{0,8}(?!\d)/gi;
const REPOSITORY_URL = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?\/?(?:[?#].*)?$/i;
const LINE_FRAGMENT = /^L(\d+)(?:-L\d+)?$/;

/** Percent-encodes each segment so names with spaces, '#', '?', '%' or non-ASCII stay valid URLs. */
function encodeSegments(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

export function repositoryUrl(repo: string, webOrigin = WEB_ORIGIN): string {
  return `${webOrigin}/${repo}`;
}

export function blobUrl(repo: string, ref: string, filePath: string, line?: number): string {
  const url = `${WEB_ORIGIN}/${repo}/blob/${ref}/${encodeSegments(filePath)}`;
  return line === undefined ? url : `${url}#L${line}`;
}

export function treeUrl(repo: string, ref: string, folder: string): string {
  return folder ? `${WEB_ORIGIN}/${repo}/tree/${ref}/${encodeSegments(folder)}` : `${WEB_ORIGIN}/${repo}/tree/${ref}`;
}

export function rawUrl(repo: string, ref: string, filePath: string): string {
  return `${RAW_ORIGIN}/${repo}/${ref}/${encodeSegments(filePath)}`;
}

/** The branch is encoded segment by segment like the path: it may hold '#' or '%' but keeps its slashes. */
export function editUrl(repo: string, branch: string, filePath: string): string {
  return `${WEB_ORIGIN}/${repo}/edit/${encodeSegments(branch)}/${encodeSegments(filePath)}`;
}

export function commitUrl(repo: string, sha: string): string {
  return `${WEB_ORIGIN}/${repo}/commit/${sha}`;
}

export function pullRequestUrl(repo: string, number: number | string): string {
  return `${WEB_ORIGIN}/${repo}/pull/${number}`;
}

export function releaseUrl(repo: string, tag: string, webOrigin = WEB_ORIGIN): string {
  return `${webOrigin}/${repo}/releases/tag/${encodeURIComponent(tag)}`;
}

/** The Atom id prefix of a feed made from a file of a repository (RFC 4151 tag URI on the forge's host). */
export function feedTagUri(repo: string, filePath: string): string {
  return `tag:github.com,2008:${repo}/${filePath}`;
}

function lineOf(fragment: string | undefined): number | undefined {
  const m = fragment === undefined ? null : LINE_FRAGMENT.exec(fragment);
  return m ? Number(m[1]) : undefined;
}

/** A github.com blob/tree/raw URL, as repository, kind and the ref-and-path segments. */
export function parseWebUrl(url: string): WebLocation | undefined {
  const m = WEB_URL.exec(url);
  if (!m) return undefined;
  const fragment = m[6];
  return {
    repo: `${m[1]}/${m[2]!.replace(/\.git$/, '')}`,
    kind: m[3]!.toLowerCase() as WebLocation['kind'],
    segments: m[4]!.replace(/\/+$/, '').split('/'),
    ...(m[5] !== undefined && { query: m[5] }),
    ...(fragment !== undefined && { fragment }),
    ...(lineOf(fragment) !== undefined && { line: lineOf(fragment) }),
  };
}

/** A raw.githubusercontent.com URL, read as a raw file location. */
export function parseRawUrl(url: string): WebLocation | undefined {
  const m = RAW_URL.exec(url);
  if (!m) return undefined;
  return {
    repo: `${m[1]}/${m[2]}`,
    kind: 'raw',
    segments: m[3]!.replace(/\/+$/, '').split('/'),
    ...(m[4] !== undefined && { query: m[4] }),
    ...(m[5] !== undefined && { fragment: m[5] }),
  };
}

/** A file's blob or raw page on github.com -> the same file on raw.githubusercontent.com, segments kept as written. */
export function rawUrlOfWebUrl(url: string): string | undefined {
  const location = parseWebUrl(url);
  if (!location || location.kind === 'tree') return undefined;
  return `${RAW_ORIGIN}/${location.repo}/${location.segments.join('/')}`;
}

export function parsePullRequestUrl(url: string): PullRequestLocation | undefined {
  const m = PULL_URL.exec(url);
  return m ? { repo: m[1]!, number: Number(m[2]), digits: m[2]! } : undefined;
}

/** Every pull request URL written in `text`, with where it starts. */
export function pullRequestUrlsIn(text: string): { url: string; index: number }[] {
  return [...text.matchAll(PULL_URLS)].map((m) => ({ url: m[0], index: m.index ?? 0 }));
}

/** "owner/name" of a repository's own page URL ("https://github.com/o/r", ".git" and a trailing "/" allowed). */
export function parseRepositoryUrl(url: string): string | undefined {
  return REPOSITORY_URL.exec(url)?.[1];
}

/** Web origin of the forge whose API root is `apiBaseUrl`: github.com, or a GitHub Enterprise host (<host>/api/v3). */
export function webOriginOfApi(apiBaseUrl: string): string {
  try {
    const url = new URL(apiBaseUrl);
    if (url.protocol === 'https:' && /\/api\/v3\/?$/.test(url.pathname)) return url.origin;
  } catch {
    // not a URL: the build fails on it elsewhere
  }
  return WEB_ORIGIN;
}

/** `url` when it is an https: URL on the forge's own host (and carries no credentials), else undefined. */
export function ownUrl(url: string, webOrigin = WEB_ORIGIN): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return undefined;
  return parsed.host.toLowerCase() === new URL(webOrigin).host.toLowerCase() ? parsed.href : undefined;
}

export const github: Forge = {
  webOrigin: WEB_ORIGIN,
  repositoryUrl: (repo) => repositoryUrl(repo),
  blobUrl,
  treeUrl,
  rawUrl,
  editUrl,
  commitUrl,
  pullRequestUrl,
  releaseUrl: (repo, tag) => releaseUrl(repo, tag),
  parseWebUrl,
  parseRawUrl,
  rawUrlOfWebUrl,
  parsePullRequestUrl,
  pullRequestUrlsIn,
  parseRepositoryUrl,
  feedTagUri,
  ownUrl: (url) => ownUrl(url),
};

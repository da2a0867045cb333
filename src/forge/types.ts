/**
 * What the build needs to know about a forge's web URLs: how to link to a repository, a file or folder at a
 * ref, a pull request or a release, and how to read such a link back. A stage that links to the forge asks
 * this interface, so another forge (GitHub Enterprise, GitLab) is another implementation plus a source.
 */
export interface Forge {
  /** Scheme and host of the web pages, e.g. "https://github.com". */
  readonly webOrigin: string;
  repositoryUrl(repo: string): string;
  /** A file's page at `ref`; `line` adds the #L<n> anchor of the source view. */
  blobUrl(repo: string, ref: string, filePath: string, line?: number): string;
  /** A folder's page at `ref`; the repository's root when `folder` is empty. */
  treeUrl(repo: string, ref: string, folder: string): string;
  /** The file's bytes at `ref`, served as they are. */
  rawUrl(repo: string, ref: string, filePath: string): string;
  /** The forge's editor for the file on `branch`. */
  editUrl(repo: string, branch: string, filePath: string): string;
  commitUrl(repo: string, sha: string): string;
  pullRequestUrl(repo: string, number: number | string): string;
  releaseUrl(repo: string, tag: string): string;
  /** Reads a web URL of a file, folder or raw file back; undefined when it is not one of the forge's. */
  parseWebUrl(url: string): WebLocation | undefined;
  /** Reads a raw file URL (the bytes' own host) back; undefined when it is not one of the forge's. */
  parseRawUrl(url: string): WebLocation | undefined;
  /** A file's web page -> the file's raw URL, path kept as written; undefined when not a file's page. */
  rawUrlOfWebUrl(url: string): string | undefined;
  /** Reads a pull request's URL back; undefined when it is not one. */
  parsePullRequestUrl(url: string): PullRequestLocation | undefined;
  /** Every pull request URL written in `text`, with where it starts. */
  pullRequestUrlsIn(text: string): { url: string; index: number }[];
  /** "owner/name" of a repository's own page URL; undefined when it is not one. */
  parseRepositoryUrl(url: string): string | undefined;
  /** The Atom id of a feed made from a file of a repository. */
  feedTagUri(repo: string, filePath: string): string;
  /** `url` when it is https: on the forge's own host without credentials, else undefined. */
  ownUrl(url: string): string | undefined;
}

/**
 * Where a blob/tree/raw URL points. The ref may hold slashes ("feat/x"), so the URL alone cannot tell where
 * it ends: `segments` are the ref and path segments as written (still percent-encoded), split by the caller
 * that knows the repository's files.
 */
export interface WebLocation {
  repo: string;
  kind: 'blob' | 'tree' | 'raw';
  segments: string[];
  /** The query with its '?', when there is one. */
  query?: string;
  /** The fragment without its '#', still percent-encoded, when there is one. */
  fragment?: string;
  /** The line the fragment names (#L10 or #L10-L20), when it names one. */
  line?: number;
}

export interface PullRequestLocation {
  repo: string;
  number: number;
  /** The number as written in the URL. */
  digits: string;
}

/** The shape of out/ that every stage writing into it shares: its files, their names and the layout's version. */

/** Bumped on any breaking change of the out/ layout or its JSON files. */
export const BUNDLE_VERSION = '1.1.0';

/** One file of the bundle, made by a stage and written by publish. */
export interface OutputFile {
  /** Path inside out/. */
  path: string;
  content: string | Buffer;
  /** The producer took these bytes from the file out/ holds at this path now: the staging folder links that file. */
  sameAsOut?: boolean;
}

/** Files shown as images that are larger than this stay on GitHub, unless a build sets its own limit. */
export const DEFAULT_MAX_ASSET_BYTES = 10 * 1024 * 1024;

export const MANIFEST_FILE = 'manifest.json';
export const REPORT_FILE = 'build-report.json';
export const RELEASES_FEED_FILE = 'releases/feed.xml';
export const RELEASES_INDEX_FILE = 'releases/index.json';

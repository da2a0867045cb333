/** The contract between the catalog and the renderer: what a page needs to know about the rest of the bundle. */
import type { RepoTree } from '../catalog/catalog.ts';
import type { MarkdownPage } from './markdown-page.ts';
import type { Warning } from '../core/warning.ts';
import type { Dialect } from './dialect.ts';

export interface RenderContext {
  repo: string;
  path: string;
  commitSha: string;
  /** Out-relative folder URL of the page being rendered. */
  pageUrl: string;
  /** The Markdown dialect the page is written in; undefined for GitHub's. */
  dialect?: Dialect;
  /** Out-relative URL of the page made from a repository file, if that file is in the bundle. */
  pageUrlForFile(repo: string, filePath: string): string | undefined;
  /**
   * The bundle page (and fragment) a link to the guides' old site stands for ("https://docs.example.org/a/b/"),
   * or undefined when the URL is not one of that site's pages.
   */
  pageForOldSiteUrl?(url: string): { targetUrl: string; fragment?: string } | undefined;
  /** The Git tree of a repository that was loaded, to tell existing files from broken links. */
  treeOf(repo: string): RepoTree | undefined;
  /**
   * Publishes a repository file shown as an image into the bundle and returns its out-relative path, or
   * undefined when it stays on GitHub: its bytes are not available, are no image the bundle publishes
   * (a verified raster or a sanitized SVG), or are over the size limit.
   */
  publishAsset(repo: string, filePath: string): Promise<string | undefined>;
}

export interface TocEntry {
  depth: 2 | 3;
  id: string;
  text: string;
}

/** A link to another page with a fragment, checked once every page's ids are known. */
export interface CrossLink {
  href: string;
  targetUrl: string;
  fragment: string;
  line?: number;
}

export interface FrontMatter {
  title?: string;
  description?: string;
  order?: number;
  hidden?: boolean;
}

/** Counters of one page; summed by the build. */
export interface RenderStats {
  /** Links and image sources changed: to a bundle page, a published asset or a pinned GitHub URL. */
  linksRewritten: number;
  /** Links whose target matches nothing (missing file, unknown anchor); each also has a warning. */
  linksBroken: number;
  /** Milliseconds spent in syntax highlighting (starry-night) for this page. */
  highlightMs?: number;
}

export interface RenderedPage {
  /** Sanitized HTML of the page body, its single H1 included. */
  html: string;
  title: string;
  /** Plain text, at most about 200 characters. */
  description: string;
  toc: TocEntry[];
  frontMatter: FrontMatter;
  /** Every id in the body, for anchor checks. */
  ids: string[];
  /** A heading's id on the page (MkDocs') -> the id GitHub gives it in the Markdown export, where they differ. */
  githubIds?: Record<string, string>;
  crossLinks: CrossLink[];
  warnings: Warning[];
  stats: RenderStats;
  /**
   * Where the page comes from, for "view source" and "edit" links in the templates: the blob URL pinned to the
   * commit the page was built from, the edit URL on the default branch (undefined when the repository's
   * default branch is unknown), and the commit sha.
   */
  sourceUrl: string;
  editUrl?: string;
  commit: string;
  /** The page as normalised Markdown for out/md/, when the build asked for the export. */
  markdown?: MarkdownPage;
}

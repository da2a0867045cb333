/**
 * The typed model of Gen3 release notes. Core releases (cdis-manifest `releases/YYYY/MM/`) and the GitHub
 * releases of single services are both turned into `Release`, so the site renders them the same way.
 */
import type { RuleId } from '../core/warning.ts';

/** One Gen3 release. */
export interface Release {
  /** "2026.07" for core releases; the tag without a leading "v" for GitHub releases. */
  version: string;
  /** "Hambergite": the name in parentheses at the end of the title, or null. */
  codename: string | null;
  year: number;
  /** 1..12 */
  month: number;
  /** The title as written, without the leading "#" ("Core Gen3 Release (Streeterville)"). */
  title: string;
  /** Where the notes came from: a path in cdis-manifest, or the html_url of a GitHub release. */
  sourcePath: string;
  /** Free sections that are not a service: "Release Highlights and Announcements", text under the title... */
  highlights: Section[];
  /** One entry per repository, in order of first appearance. */
  services: ServiceChanges[];
  /** Markdown of `knownbugs.md` beside the notes, or null. */
  knownBugs: string | null;
  /** The `versions` map of `manifest.json` beside the notes, in file order. */
  imageVersions: ImageVersion[];
}

/** A free section of Markdown. */
export interface Section {
  /** The heading text; empty for text that stood directly under the release title. */
  title: string;
  /** The section body as written (sub-headings included), without leading or trailing blank lines. */
  markdown: string;
}

export interface ServiceChanges {
  /** "uc-cdis/fence" */
  repo: string;
  categories: Category[];
}

export interface Category {
  /** Normalised name ("Bug Fixes"), or the heading as written when it is not a known category. */
  name: string;
  /** The heading text as written ("Bug fixes:", "# Changes Included In This Pr"); empty when there was none. */
  heading: string;
  items: Item[];
}

export interface Item {
  /** Source Markdown of the item: marker and indentation removed, wrapped lines joined, bare PR refs linked. */
  markdown: string;
  pullRequests: PullRequestRef[];
  /** 1-based line of the item in its source. */
  line: number;
}

export interface PullRequestRef {
  /** "uc-cdis/fence" */
  repo: string;
  number: number;
  url: string;
}

export interface ImageVersion {
  /** Key of the manifest's `versions` map ("fence", "portal", "wts"). */
  service: string;
  /** Image without its tag ("quay.io/cdis/fence"). */
  image: string;
  /** Tag or digest ("2026.07", "sha256:..."). */
  version: string;
}

export interface ParseWarning {
  file: string;
  /** 1-based; 0 when the warning is about the file as a whole. */
  line: number;
  message: string;
  /** Default 'release-notes'. */
  ruleId?: RuleId;
}

export interface ParseResult {
  release: Release;
  warnings: ParseWarning[];
}

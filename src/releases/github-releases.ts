/**
 * Converts one GitHub release of a single service (GET /repos/{o}/{r}/releases) into the model the core
 * release notes use, so that the site lists both the same way.
 */
import type { List } from 'mdast';
import { normaliseCategory } from './categories.ts';
import { SourceText, extractItem, headingSource, lastLine, parseMarkdown, startLine } from './markdown.ts';
import type { Category, ParseResult, ParseWarning, Release, Section } from './types.ts';

/** The fields of a GitHub release this module reads. */
export interface GitHubApiRelease {
  tag_name: string;
  name: string | null;
  body: string | null;
  published_at: string | null;
  html_url: string;
}

/** Category of list items that stand under no heading. */
export const UNCATEGORISED = 'Changes';

export function releaseFromGitHubRelease(repo: string, apiRelease: GitHubApiRelease): ParseResult {
  const file = apiRelease.html_url;
  const warnings: ParseWarning[] = [];
  const version = apiRelease.tag_name.trim().replace(/^v(?=\d)/i, '');
  const title = apiRelease.name?.trim() || apiRelease.tag_name.trim();
  const codename = /\(([^()]+)\)\s*$/.exec(title)?.[1]?.trim() ?? null;

  let year = 0;
  let month = 0;
  const dated = /^(\d{4})\.(0[1-9]|1[0-2])(?!\d)/.exec(version);
  const published = apiRelease.published_at ? new Date(apiRelease.published_at) : null;
  if (dated) {
    year = Number(dated[1]);
    month = Number(dated[2]);
  } else if (published && !Number.isNaN(published.getTime())) {
    year = published.getUTCFullYear();
    month = published.getUTCMonth() + 1;
  } else {
    warnings.push({ file, line: 0, message: `no date: the tag "${apiRelease.tag_name}" is not YYYY.MM and there is no published_at` });
  }

  const source = new SourceText(apiRelease.body ?? '');
  const categories: Category[] = [];
  const highlights: Section[] = [];
  // Each heading opens a group: its lists become a category, its other blocks a free section.
  let heading: { text: string; category: Category | null; section: Section | null } = { text: '', category: null, section: null };

  for (const node of parseMarkdown(source).children) {
    if (node.type === 'heading') {
      heading = { text: headingSource(node, source), category: null, section: null };
      continue;
    }
    if (node.type === 'list') {
      if (!heading.category) {
        const name = heading.text ? normaliseCategory(heading.text).name || UNCATEGORISED : UNCATEGORISED;
        heading.category = categories.find((c) => c.name === name) ?? null;
        if (!heading.category) {
          heading.category = { name, heading: heading.text, items: [] };
          categories.push(heading.category);
        }
      }
      for (const item of (node as List).children) heading.category.items.push(extractItem(item, source, repo));
      continue;
    }
    if (node.type === 'thematicBreak') continue;
    if (!heading.section) {
      heading.section = { title: heading.text, markdown: '' };
      highlights.push(heading.section);
    }
    const block = source.slice(startLine(node), lastLine(node, source)).trim();
    heading.section.markdown = heading.section.markdown ? `${heading.section.markdown}\n\n${block}` : block;
  }

  const release: Release = {
    version,
    codename,
    year,
    month,
    title,
    sourcePath: apiRelease.html_url,
    highlights,
    services: categories.length > 0 ? [{ repo, categories }] : [],
    knownBugs: null,
    imageVersions: [],
  };
  return { release, warnings };
}

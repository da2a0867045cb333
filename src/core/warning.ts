/**
 * Warnings: problems the build reports and works around instead of failing. Each names the rule that found it,
 * so that --strict, the console and readers of build-report.json can select by rule. Render plugins report
 * through unified's own channel (`file.message(reason, {place, ruleId, source})`); `warningOf` turns such a
 * message into a Warning, the one shape every later stage (report, terminal, GitHub annotations) reads.
 */
import type { VFile } from 'vfile';

type VFileMessage = VFile['messages'][number];

/** The `source` of every message this tool reports, as a linter names itself in its messages. */
export const WARNING_SOURCE = 'gen3-docs';

/** Every rule, with what it is about ('links' are shown apart on the console) and when it fires. */
export const RULES = {
  'broken-link': { about: 'links', when: 'a link or image names a file that is not in the repository at the commit built' },
  'broken-anchor': { about: 'links', when: 'a link names a heading or id that its target page does not have; it leads to the top of the page' },
  'link-case': { about: 'links', when: 'a link differs in letter case from the file it names; GitHub would not resolve it' },
  'landing-link': { about: 'links', when: 'a link or card of the landing page template (templates/landing.md) has no target or is malformed; it is left out' },
  'unsafe-path': { about: 'files', when: 'a path of the tree is unsafe to write (.., absolute, control characters) and is left out' },
  symlink: { about: 'files', when: 'a selected path is a symbolic link; it is not followed' },
  'truncated-tree': { about: 'files', when: "GitHub's tree listing was truncated; files past the cut are missing" },
  'large-file': { about: 'files', when: 'a Markdown file is over the size limit and is left out' },
  'unreadable-file': { about: 'files', when: 'a file the tree lists could not be read' },
  'file-encoding': { about: 'files', when: 'a file is binary or not UTF-8; it is left out or its bytes are repaired' },
  'blob-mismatch': { about: 'files', when: "a file's bytes are not the blob the tree lists (an inconsistent snapshot)" },
  'asset-not-published': { about: 'files', when: 'an image is too large or its bytes are not the type its name says; it stays on GitHub' },
  'front-matter': { about: 'pages', when: 'the front matter of a page cannot be read; the page is rendered without it' },
  'too-complex': { about: 'pages', when: 'a page is too large or nested too deep to render as Markdown; it is shown as plain text' },
  'render-failed': { about: 'pages', when: 'a page could not be rendered; it is shown as plain text' },
  'export-failed': { about: 'pages', when: 'a page could not be exported as Markdown' },
  'admonition-malformed': { about: 'pages', when: 'a line looks like an MkDocs admonition but is not one; it is shown as text' },
  'attr-list-dropped': { about: 'pages', when: 'an attribute list sets what the site does not allow (style, event handlers, other classes); that part is dropped' },
  'md-in-html-unclosed': { about: 'pages', when: 'an HTML block with Markdown inside is not closed; it ends with its parent' },
  'md-in-html-too-deep': { about: 'pages', when: 'HTML blocks with Markdown inside nest deeper than the limit; the deeper ones stay HTML' },
  'mkdocs-extension': { about: 'pages', when: "an mkdocs.yml lists a Markdown extension that is not supported, or its list cannot be read" },
  'navigation': { about: 'pages', when: 'a navigation file or entry names a page that does not exist, or cannot be read, or leaves guide pages out (they are built but not in the sidebar)' },
  openapi: { about: 'pages', when: 'an OpenAPI or Swagger document cannot be read in full (invalid, over a limit, a $ref to another file or host, duplicate operationIds); its page shows what could be read' },
  redirect: { about: 'pages', when: "a redirect (sources.json redirects, mkdocs.yml redirect_maps) leads outside the bundle, to no page, or to an address already taken; it is skipped" },
  diagram: { about: 'pages', when: 'a mermaid diagram could not be drawn at build time (it does not parse, or its SVG is refused); the reader\'s browser draws it' },
  blog: { about: 'pages', when: 'a blog post has no valid date, an unknown author, or a category whose address is taken' },
  'release-notes': { about: 'releases', when: 'a release note does not follow the expected format; what could be read is kept' },
  'release-manifest': { about: 'releases', when: "a release's manifest.json is invalid or too large; its image versions are left out" },
  'github-releases': { about: 'releases', when: 'GitHub releases could not be listed, or a release has no date' },
  'sitemap-skipped': { about: 'build', when: 'sitemap.xml is not written because the site has no absolute address' },
  'cache-damaged': { about: 'build', when: 'a cache entry does not match its recorded hash and is not used' },
} as const satisfies Record<string, { about: string; when: string }>;

export type RuleId = keyof typeof RULES;

export interface Warning {
  /** "owner/name/path" of the source file, or a file of the build ("sitemap.xml", the config). */
  file: string;
  /** 1-based line and column in `file`, where known. */
  line?: number;
  column?: number;
  message: string;
  ruleId: RuleId;
}

export function isRuleId(id: unknown): id is RuleId {
  return typeof id === 'string' && Object.hasOwn(RULES, id);
}

/** A Warning, the position left out where unknown (0 or undefined), so reports stay compact. */
export function warning(file: string, ruleId: RuleId, message: string, place?: { line?: number; column?: number }): Warning {
  const w: Warning = { file, message, ruleId };
  if (place?.line) w.line = place.line;
  if (place?.line && place.column) w.column = place.column;
  return w;
}

/** The Warning of a vfile message reported about `file`; messages of other tools keep their rule under 'render-failed'. */
export function warningOf(message: VFileMessage, file: string): Warning {
  const place = message.place && 'start' in message.place ? message.place.start : message.place;
  const ruleId = isRuleId(message.ruleId) ? message.ruleId : 'render-failed';
  return warning(file, ruleId, message.reason, place ? { line: place.line, column: place.column } : undefined);
}

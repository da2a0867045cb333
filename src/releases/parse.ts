/**
 * Parser of the monthly Gen3 core release notes of cdis-manifest (`releases/YYYY/MM/*release*notes.md`).
 *
 * The notes are generated, then edited by hand, and their format drifted over the years: versions written
 * 202002 or 2022.01 or not at all, an empty "# " before the title, free sections before the services,
 * category headings spelled several ways, PR-description headings pasted in as categories, repeated
 * sections. The parser works on the mdast of remark-parse + remark-gfm and keeps everything it cannot
 * place, with a warning, rather than throwing.
 */
import type { Heading, List, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { github as forge } from '../forge/github.ts';
import { normaliseCategory } from './categories.ts';
import { parseManifestVersions } from './manifest-json.ts';
import { SourceText, extractItem, headingSource, lastLine, parseMarkdown, startLine } from './markdown.ts';
import type {
  Category,
  Item,
  ParseResult,
  ParseWarning,
  Release,
  Section,
  ServiceChanges,
} from './types.ts';

export interface ReleaseNotesInput {
  /** Path inside cdis-manifest, e.g. "releases/2021/08/gen3_release_notes.md". */
  path: string;
  text: string;
  /**
   * "owner/name" of the repository holding the notes, or just an owner (default "uc-cdis/cdis-manifest").
   * Its owner completes service headings written without one ("## fence").
   */
  repo?: string;
  /** Text of `knownbugs.md` beside the notes. */
  knownBugs?: string;
  /** Text of `manifest.json` beside the notes. */
  manifestJson?: string;
}

const DEFAULT_REPO = 'uc-cdis/cdis-manifest';
const NOTES_PATH = /(?:^|\/)releases\/\d{4}\/(?:0[1-9]|1[0-2])\/(?:gen3[_-])?release[_-]notes\.md$/i;
const FOLDER_VERSION = /(?:^|\/)(\d{4})\/(0[1-9]|1[0-2])\/[^/]+$/;
const OTHER = 'Other';

/** True for the release-notes files of cdis-manifest (not knownbugs.md nor manifest.json). */
export function isReleaseNotesPath(path: string): boolean {
  return NOTES_PATH.test(toSlashes(path));
}

/** "2021.08" for ".../2021/08/<file>", else null. */
export function versionFromPath(path: string): string | null {
  const match = FOLDER_VERSION.exec(toSlashes(path));
  return match ? `${match[1]}.${match[2]}` : null;
}

/** Version ("2020.02" from "202002" or "2020.02") and codename of a title such as "Core Gen3 Release 202002 (Aurora)". */
export function parseTitle(title: string): { version: string | null; codename: string | null } {
  const paren = /\(([^()]*)\)\s*$/.exec(title);
  const codename = paren?.[1]?.trim() || null;
  const rest = paren ? title.slice(0, paren.index) : title;
  const match = /(?<!\d)(\d{4})[.\-/]?(0[1-9]|1[0-2])(?!\d)/.exec(rest);
  return { version: match ? `${match[1]}.${match[2]}` : null, codename };
}

function toSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

interface FreeMode {
  kind: 'free';
  section: Section;
  depth: number;
  first: number;
  last: number;
}

interface ServiceMode {
  kind: 'service';
  service: ServiceChanges;
  depth: number;
  category: Category | null;
  /** A second section for a repo already seen: its repeated categories are expected, not worth a warning. */
  merged: boolean;
}

type Mode = { kind: 'none' } | FreeMode | ServiceMode;

export function parseReleaseNotes(input: ReleaseNotesInput): ParseResult {
  const file = input.path;
  const warnings: ParseWarning[] = [];
  const warn = (line: number, message: string): void => {
    warnings.push({ file, line, message });
  };
  const owner = (input.repo ?? DEFAULT_REPO).split('/')[0] || 'uc-cdis';

  const source = new SourceText(input.text);
  const root = parseMarkdown(source);
  const nodes = root.children;

  let title: string | null = null;
  let titleLine = 0;
  const highlights: Section[] = [];
  const services: ServiceChanges[] = [];
  const serviceLines = new Map<ServiceChanges, number>();
  const categoryLines = new Map<Category, number>();
  let mode: Mode = { kind: 'none' };

  const closeFree = (): void => {
    if (mode.kind === 'free' && mode.first > 0) {
      mode.section.markdown = trimBlankLines(source.slice(mode.first, mode.last));
    }
  };
  const openFree = (sectionTitle: string, depth: number): FreeMode => {
    closeFree();
    const section: Section = { title: sectionTitle, markdown: '' };
    highlights.push(section);
    return { kind: 'free', section, depth, first: 0, last: 0 };
  };

  const categoryFor = (m: ServiceMode, name: string, heading: string, line: number): Category => {
    const service = m.service;
    const existing = service.categories.find((c) => c.name === name);
    if (existing) {
      if (name !== OTHER && !m.merged) {
        warn(line, `category "${name}" appears again under ${service.repo}; its items are merged into the first one (line ${categoryLines.get(existing)})`);
      }
      return existing;
    }
    const category: Category = { name, heading, items: [] };
    service.categories.push(category);
    categoryLines.set(category, line);
    return category;
  };

  const uncategorised = (m: ServiceMode, line: number, what: string): Category => {
    warn(line, `${what} directly under ${m.service.repo}, outside any category, kept under "${OTHER}"`);
    m.category = categoryFor(m, OTHER, '', line);
    return m.category;
  };

  nodes.forEach((node, index) => {
    const line = startLine(node);
    if (node.type === 'heading') {
      const text = headingSource(node, source);
      const named = serviceRepo(node, nodes, index, owner);
      if (named) {
        closeFree();
        if (named.drift) warn(line, `service heading "${text}" ${named.drift}; read as ${named.repo}`);
        let service = services.find((s) => s.repo.toLowerCase() === named.repo.toLowerCase());
        const merged = service !== undefined;
        if (service) {
          warn(line, `second section for ${service.repo}; merged into the first one (line ${serviceLines.get(service)})`);
        } else {
          service = { repo: named.repo, categories: [] };
          services.push(service);
          serviceLines.set(service, line);
        }
        mode = { kind: 'service', service, depth: node.depth, category: null, merged };
        return;
      }
      if (mode.kind === 'service' && node.depth > mode.depth) {
        const { name, known, stray } = normaliseCategory(text);
        if (!name) {
          mode.category = categoryFor(mode, OTHER, text, line);
          warn(line, `empty category heading under ${mode.service.repo}; its items are kept under "${OTHER}"`);
        } else {
          if (stray && !known) {
            // The generator made a category of each heading found in a PR description, "# Validation"
            // included; its items are that PR's, not the previous category's, so it stays a category.
            warn(line, `stray heading "${source.line(line).trim()}" under ${mode.service.repo} kept as category "${name}"`);
          } else if (!known) {
            warn(line, `unknown category "${text}" under ${mode.service.repo} kept as written`);
          }
          mode.category = categoryFor(mode, name, text, line);
        }
        return;
      }
      if (node.depth === 1 && title === null) {
        if (text === '') return; // an empty "# " line above the real title
        closeFree();
        title = text;
        titleLine = line;
        mode = { kind: 'none' };
        return;
      }
      if (mode.kind === 'free' && node.depth > mode.depth) {
        extend(mode, node, source);
        return;
      }
      if (text === '' && node.depth === 1) return;
      mode = openFree(text, node.depth);
      return;
    }

    if (mode.kind === 'service') {
      const m = mode;
      const push = (category: Category, item: Item): void => {
        if (item.markdown === '') warn(item.line, `empty item under ${m.service.repo}`);
        else if (onlyComment(item.markdown)) {
          warn(item.line, `item under ${m.service.repo} holds only an HTML comment (an unfilled PR template section)`);
        }
        category.items.push(item);
      };
      if (node.type === 'list') {
        const category = m.category ?? uncategorised(m, line, 'list');
        for (const item of (node as List).children) push(category, extractItem(item, source, m.service.repo));
      } else if (node.type !== 'thematicBreak') {
        // A thematic break is only a separator; anything else is content to keep.
        if (m.category) warn(line, `text outside a list (${node.type}) under ${m.service.repo} / ${m.category.name} kept as an item`);
        const category = m.category ?? uncategorised(m, line, 'text');
        push(category, extractItem(node, source, m.service.repo));
      }
      return;
    }

    if (mode.kind === 'none') mode = openFree('', Number.POSITIVE_INFINITY);
    if (mode.kind === 'free') extend(mode, node, source);
  });
  closeFree();

  if (title === null) warn(1, 'no release title ("# Core Gen3 Release YYYY.MM (Name)")');
  const fromTitle = parseTitle(title ?? '');
  const fromPath = versionFromPath(file);
  let version = fromPath ?? fromTitle.version;
  if (fromPath && fromTitle.version && fromPath !== fromTitle.version) {
    warn(titleLine, `the title says ${fromTitle.version} but the folder says ${fromPath}; the folder is kept`);
  }
  if (!version) {
    warn(titleLine, 'no version in the title nor in the path');
    version = '';
  }
  const [year, month] = version ? version.split('.').map(Number) : [0, 0];

  const release: Release = {
    version,
    codename: fromTitle.codename,
    year: year ?? 0,
    month: month ?? 0,
    title: title ?? '',
    sourcePath: file,
    highlights,
    services,
    knownBugs: knownBugsMarkdown(input.knownBugs),
    imageVersions:
      input.manifestJson === undefined ? [] : parseManifestVersions(input.manifestJson, siblingPath(file, 'manifest.json'), warnings),
  };
  return { release, warnings };
}

function extend(mode: FreeMode, node: RootContent, source: SourceText): void {
  if (mode.first === 0) mode.first = startLine(node);
  mode.last = Math.max(mode.last, lastLine(node, source));
}

/** "<!-- ... --> (#12)": nothing a reader would see but the PR ref. */
function onlyComment(markdown: string): boolean {
  if (!markdown.includes('<!--')) return false;
  const rest = markdown
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/\(\s*(?:\[#\d+\]\([^)]*\)|#\d+)(?:\s*,\s*(?:\[#\d+\]\([^)]*\)|#\d+))*\s*\)/g, '');
  return rest.trim() === '';
}

function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}

const OWNER_REPO = /^([A-Za-z0-9][\w.-]*)\/([\w.-]+)$/;
const BARE_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The repository a heading names: "uc-cdis/fence", "[uc-cdis/fence](https://...)", a GitHub URL, or, when
 * the section under it has category headings, a lower-case name alone ("fence") or a repository followed
 * by other words ("uc-cdis/fence 10.2.0").
 */
function serviceRepo(heading: Heading, nodes: RootContent[], index: number, owner: string): ServiceHeading | null {
  const text = toString(heading).trim().replace(/\s*:$/, '');
  // "CI/CD" and the like are words, not repositories.
  if (OWNER_REPO.test(text) && text !== text.toUpperCase()) return { repo: text, drift: null };
  const link = heading.children.find((c) => c.type === 'link');
  const fromUrl = forge.parseRepositoryUrl(link?.type === 'link' ? link.url : text);
  if (fromUrl && (heading.children.length === 1 || BARE_NAME.test(text))) return { repo: fromUrl, drift: null };
  if (!hasCategoryHeading(nodes, index, heading.depth)) return null;
  if (BARE_NAME.test(text)) return { repo: `${owner}/${text}`, drift: 'has no owner' };
  const leading = /^([\w.-]+\/[\w.-]+)\s+\S/.exec(text);
  if (leading && leading[1] !== leading[1]?.toUpperCase()) return { repo: leading[1] as string, drift: 'has more than the repository' };
  return null;
}

interface ServiceHeading {
  repo: string;
  /** What is odd about the heading, for the warning; null when it is plain. */
  drift: string | null;
}

function hasCategoryHeading(nodes: RootContent[], index: number, depth: number): boolean {
  for (const node of nodes.slice(index + 1)) {
    if (node.type !== 'heading') continue;
    if (node.depth <= depth) return false;
    if (normaliseCategory(toString(node)).known) return true;
  }
  return false;
}

function knownBugsMarkdown(text: string | undefined): string | null {
  if (text === undefined) return null;
  const markdown = trimBlankLines(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  return markdown === '' ? null : markdown;
}

function siblingPath(path: string, name: string): string {
  const slash = toSlashes(path).lastIndexOf('/');
  return slash < 0 ? name : `${toSlashes(path).slice(0, slash)}/${name}`;
}

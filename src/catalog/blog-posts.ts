/**
 * Blog posts as Material for MkDocs' blog plugin reads them: `<blog_dir>/posts/**.md` with a front matter
 * `date`, `slug`, `title`, `authors`, `categories` and `draft`; each published at
 * `<blog_dir>/<post_url_format>/` ("{date}/{slug}" by default, the date as yyyy/MM/dd).
 */
import YAML from 'yaml';

export interface BlogSettings {
  /** Folder of the blog inside the docs folder, e.g. "blog". */
  dir: string;
  /** The authors file, from the docs folder (default "<dir>/.authors.yml"). */
  authorsFile: string;
  urlFormat: string;
  dateFormat: string;
  /** The plugin's `draft` setting: drafts are built too (default false: a draft is not built at all). */
  buildDrafts?: boolean;
}

export interface PostFrontMatter {
  title?: string;
  slug?: string;
  /** As written: "2024-01-31", "2024-01-31 10:00", or `created:` of a date map. */
  date?: unknown;
  /** Line of the `date:` key in the file, for warnings. */
  dateLine?: number;
  authors: string[];
  authorsLine?: number;
  categories: string[];
  draft: boolean;
  /** The first `# ` heading of the body, which titles a post without a front matter title. */
  heading?: string;
}

export function isBlogPost(docPath: string, blog: BlogSettings): boolean {
  return docPath.startsWith(`${blog.dir}/posts/`) && /\.(md|markdown)$/i.test(docPath);
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const MAX_FRONT_MATTER = 64 * 1024;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);

function lineOfKey(block: string, key: string): number | undefined {
  const index = block.split(/\r?\n/).findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return index === -1 ? undefined : index + 2; // the opening fence is line 1
}

/** The blog fields of a post's front matter; a block that cannot be read gives none. */
export function readPostFrontMatter(text: string): PostFrontMatter {
  const m = FRONT_MATTER.exec(text);
  let data: Record<string, unknown> = {};
  if (m && m[1]!.length <= MAX_FRONT_MATTER) {
    try {
      const parsed: unknown = YAML.parse(m[1]!, { logLevel: 'silent', maxAliasCount: 50 });
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
    } catch {
      // the renderer reports unreadable front matter
    }
  }
  const body = m ? text.slice(m[0].length) : text;
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body)?.[1];
  const block = m?.[1] ?? '';
  return {
    ...(typeof data.title === 'string' && data.title.trim() && { title: data.title.trim() }),
    ...((typeof data.slug === 'string' || typeof data.slug === 'number') && String(data.slug) !== '' && { slug: String(data.slug) }),
    ...(data.date !== undefined && { date: data.date, dateLine: lineOfKey(block, 'date') }),
    authors: strings(data.authors),
    ...(data.authors !== undefined && { authorsLine: lineOfKey(block, 'authors') }),
    categories: strings(data.categories),
    draft: data.draft === true,
    ...(heading && { heading }),
  };
}

/** Material's post slug: pymdownx's slugify, lower case (tags removed, NFC, word characters, '-' and spaces kept, spaces to '-'). */
export function postSlugify(title: string): string {
  return title
    .normalize('NFC')
    .replace(/<\/?[^>]*>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The post's date as [year, month, day], or why it has none. */
export function postDate(date: unknown): [number, number, number] | { problem: string } {
  const value = date && typeof date === 'object' && !Array.isArray(date) ? (date as Record<string, unknown>).created : date;
  if (value === undefined || value === null) return { problem: 'no date in its front matter (date: YYYY-MM-DD)' };
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim()) : null;
  if (!m) return { problem: `date ${JSON.stringify(value)} is not a date (write YYYY-MM-DD)` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return { problem: `date ${JSON.stringify(value)} is no day of the calendar` };
  return [y, mo, d];
}

function formatDate([y, m, d]: [number, number, number], format: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return format.replace(/yyyy|MM|dd/g, (token) => (token === 'yyyy' ? String(y) : token === 'MM' ? pad(m) : pad(d)));
}

/** The post's slug: front matter `slug` as written, else its title slugified. */
export function postSlug(post: PostFrontMatter, fileName: string): string {
  return post.slug ?? postSlugify(post.title ?? post.heading ?? fileName);
}

/** Where Material published a post, as a folder URL from the site root, or why it has no address. */
export function blogPostPath(post: PostFrontMatter, blog: BlogSettings, fileName = ''): { path: string } | { problem: string; line?: number } {
  const date = postDate(post.date);
  if (!Array.isArray(date)) return { problem: date.problem, line: post.dateLine };
  const slug = postSlug(post, fileName);
  const rest = blog.urlFormat
    .replace(/\{date\}/g, formatDate(date, blog.dateFormat))
    .replace(/\{slug\}/g, slug)
    .replace(/\{file\}/g, fileName)
    .replace(/\{categories\}/g, post.categories.map(postSlugify).join('/'));
  return { path: `${blog.dir}/${rest.replace(/^\/+|\/+$/g, '')}/` };
}

export interface BlogAuthor {
  name: string;
  description?: string;
  /** A link to the author's picture; never loaded by the site. */
  avatar?: string;
}

export interface BlogPost {
  /** Bundle page URL and repository path of the post. */
  url: string;
  path: string;
  /** YYYY-MM-DD */
  date: string;
  authors: string[];
  categories: string[];
  /** Where the old site had it. */
  oldPath: string;
}

export interface Blog {
  dir: string;
  /** The blog's own page in the bundle (<blog_dir>/index.md), when there is one. */
  indexUrl?: string;
  /** Newest first; drafts and undated posts left out. */
  posts: BlogPost[];
  authors: Record<string, BlogAuthor>;
  /** Every category of a published post, by name, with its page URL in the bundle and its old path. */
  categories: { name: string; slug: string; url: string; oldPath: string }[];
}

/** The authors file (`authors:` map of id -> name, description, avatar); problems are messages for its file. */
export function readAuthors(text: string | undefined, problems: string[]): Record<string, BlogAuthor> {
  if (text === undefined) return {};
  let data: unknown;
  try {
    data = YAML.parse(text, { logLevel: 'silent', maxAliasCount: 50 });
  } catch (error) {
    problems.push(`cannot read the authors: ${(error as Error).message.split('\n')[0]}`);
    return {};
  }
  const authors = data && typeof data === 'object' ? (data as Record<string, unknown>).authors : undefined;
  if (!authors || typeof authors !== 'object' || Array.isArray(authors)) {
    problems.push('has no `authors:` map; posts show author ids only');
    return {};
  }
  const out: Record<string, BlogAuthor> = {};
  for (const [id, value] of Object.entries(authors as Record<string, unknown>)) {
    const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const text = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
    const avatar = text(v.avatar);
    out[id] = {
      name: text(v.name) ?? id,
      ...(text(v.description) && { description: text(v.description) }),
      ...(avatar && /^https:\/\//i.test(avatar) && { avatar }),
    };
  }
  return out;
}

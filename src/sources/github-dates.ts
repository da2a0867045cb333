/**
 * When each published file last changed, from GitHub's GraphQL API (the REST tree has no dates): one query per
 * repository and batch of paths, each path an aliased `history(first: 1, path:)` of the head commit. Only with
 * a token (GraphQL needs one); without, no date is shown rather than a guessed one.
 *
 * Dates travel in the tree entries (`updated`), so they are cached with the repository's tree: a rebuild at
 * the same head commit asks nothing, and after the head moved only the paths whose blob changed are asked
 * (an unchanged blob keeps its date; a file changed and changed back is the one case this misses).
 */
import type { CachedRepo } from './cache.ts';
import { isRecord, type GraphQLAnswer } from './github-graphql.ts';
import type { SourceDocument, TreeEntry } from './types.ts';
import { isMarkdownPath } from '../core/paths.ts';

/** Paths per query: each is one `history` connection; 50 keeps a query small next to GitHub's limits. */
export const DATES_BATCH = 50;

/** Pages are made of Markdown files; other documents (mkdocs.yml, manifests) show no date. */

type Ask = (what: string, query: string) => Promise<GraphQLAnswer>;

/** The query for a batch of paths at one commit; `h<i>` is the alias of the i-th path. */
export function datesQuery(owner: string, name: string, commitSha: string, paths: readonly string[]): string {
  const histories = paths.map((p, i) => `h${i}: history(first: 1, path: ${JSON.stringify(p)}) { nodes { committedDate } }`);
  return `query {\n repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(name)}) { object(expression: ${JSON.stringify(commitSha)}) { ... on Commit {\n${histories.join('\n')}\n } } }\n}`;
}

/** The day of each answered path (YYYY-MM-DD); a path without history, or an answer not as expected, has none. */
export function datesFromAnswer(data: Record<string, unknown> | null, paths: readonly string[]): Map<string, string> {
  const dates = new Map<string, string>();
  const repository = data?.repository;
  const commit = isRecord(repository) ? repository.object : undefined;
  if (!isRecord(commit)) return dates;
  paths.forEach((path, i) => {
    const history = commit[`h${i}`];
    const node = isRecord(history) && Array.isArray(history.nodes) ? history.nodes[0] : undefined;
    const date = isRecord(node) ? node.committedDate : undefined;
    if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(date) && !Number.isNaN(Date.parse(date))) dates.set(path, date.slice(0, 10));
  });
  return dates;
}

const key = (e: { path: string; sha: string }) => `${e.sha}:${e.path}`;

export interface DateRequest {
  repo: string;
  owner: string;
  name: string;
  commitSha: string;
  tree: TreeEntry[];
  documents: readonly SourceDocument[];
  /** The cached state before this build, whose dates are kept for unchanged blobs. */
  record: CachedRepo | undefined;
  ask: Ask;
  /** A failure that should stop the build (rejected token) is thrown; any other is reported here. */
  explain(error: unknown): Error & { fatal: boolean };
  warn(message: string): void;
}

/**
 * Sets `updated` on the tree entries of the repository's page files, asking GitHub only for those the cache
 * does not know. Returns the entries asked about that have no date (kept in the cache so they are not asked
 * again at the same blob), how many were asked, and how many could not be read (asked again next time).
 */
export async function dateTree(request: DateRequest): Promise<{ undated: string[]; asked: number; failed: number }> {
  const { record, tree } = request;
  const before = new Map<string, string>();
  for (const e of record?.tree ?? []) if (e.updated) before.set(key(e), e.updated);
  const undatedBefore = new Set(record?.undated ?? []);
  const published = new Set(request.documents.filter((d) => isMarkdownPath(d.path)).map((d) => d.path));
  const wanted: TreeEntry[] = [];
  const undated: string[] = [];
  for (const entry of tree) {
    if (entry.type !== 'blob' || !published.has(entry.path) || entry.updated) continue;
    const known = before.get(key(entry));
    if (known) entry.updated = known;
    else if (undatedBefore.has(key(entry))) undated.push(key(entry));
    else wanted.push(entry);
  }
  let asked = 0;
  let failed = 0;
  for (let start = 0; start < wanted.length; start += DATES_BATCH) {
    const chunk = wanted.slice(start, start + DATES_BATCH);
    const paths = chunk.map((e) => e.path);
    try {
      asked += chunk.length;
      const { data, errors } = await request.ask(`${request.repo}: dates of ${chunk.length} files`, datesQuery(request.owner, request.name, request.commitSha, paths));
      if (!data) throw new Error(errors.map((e) => e.message).join('; ') || 'no data');
      const dates = datesFromAnswer(data, paths);
      for (const entry of chunk) {
        const date = dates.get(entry.path);
        if (date) entry.updated = date;
        else undated.push(key(entry));
      }
    } catch (error) {
      const failure = request.explain(error);
      if (failure.fatal) throw failure;
      failed += chunk.length;
      // Not remembered as undated: the next build asks again.
      request.warn(`${request.repo}: the dates of ${chunk.length} files could not be read (${failure.message}); their pages show no "Last updated"`);
    }
  }
  return { undated, asked, failed };
}

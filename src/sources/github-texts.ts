/**
 * The text files of a commit (Markdown, mkdocs.yml, manifests) read many to a GraphQL query instead of one
 * REST request each: a `repository` with an aliased `object(oid:)` per blob, selected as a Blob's `text`.
 * GraphQL needs a token. Only what hashes back to its blob sha is taken: GraphQL gives text as UTF-8, so a
 * file that is not UTF-8, truncated or binary does not come through unchanged and is read through REST as
 * before, like anything a failed query did not give.
 */
import { gitBlobSha } from './documents.ts';
import { isRecord, type GraphQLAnswer } from './github-graphql.ts';
import type { TreeEntry } from './types.ts';

/** Blobs per query, and bytes of text per query: an answer stays a few MB of JSON. */
export const TEXTS_BATCH = 100;
export const TEXTS_BATCH_BYTES = 1024 * 1024;
/** Larger files are read through REST: GitHub may truncate a Blob's text. */
export const TEXT_MAX_BYTES = 512 * 1024;

type Ask = (what: string, query: string) => Promise<GraphQLAnswer>;

/** The query for a batch of blobs of one repository; `b<i>` is the alias of the i-th sha. */
export function textsQuery(owner: string, name: string, shas: readonly string[]): string {
  const objects = shas.map((sha, i) => `b${i}: object(oid: ${JSON.stringify(sha)}) { ... on Blob { text isTruncated } }`);
  return `query {\n repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(name)}) {\n${objects.join('\n')}\n }\n}`;
}

/** The bytes of each answered blob whose text hashes to its sha; any other answer is left out. */
export function textsFromAnswer(data: Record<string, unknown> | null, shas: readonly string[]): Map<string, Buffer> {
  const texts = new Map<string, Buffer>();
  const repository = data?.repository;
  if (!isRecord(repository)) return texts;
  shas.forEach((sha, i) => {
    const blob = repository[`b${i}`];
    if (!isRecord(blob) || typeof blob.text !== 'string' || blob.isTruncated !== false) return;
    const bytes = Buffer.from(blob.text, 'utf8');
    if (gitBlobSha(bytes) === sha) texts.set(sha, bytes);
  });
  return texts;
}

/** Consecutive batches of at most TEXTS_BATCH blobs and TEXTS_BATCH_BYTES of listed size (one larger blob alone). */
export function textBatches(entries: readonly TreeEntry[]): TreeEntry[][] {
  const batches: TreeEntry[][] = [];
  let current: TreeEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.size ?? TEXT_MAX_BYTES;
    if (current.length && (current.length >= TEXTS_BATCH || bytes + size > TEXTS_BATCH_BYTES)) {
      batches.push(current);
      [current, bytes] = [[], 0];
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

export interface TextsRequest {
  repo: string;
  owner: string;
  name: string;
  /** The blobs wanted, each once; those over TEXT_MAX_BYTES (or of unknown size) are not asked for. */
  entries: readonly TreeEntry[];
  ask: Ask;
  /** A failure that should stop the build (rejected token) is thrown; any other only leaves the batch to REST. */
  explain(error: unknown): Error & { fatal: boolean };
  /** Receives each blob read, as it is read. */
  take(sha: string, bytes: Buffer): Promise<void>;
}

/** Reads the wanted blobs through GraphQL, batch after batch, handing each to `take`. */
export async function fetchTexts(request: TextsRequest): Promise<void> {
  const wanted = request.entries.filter((e) => e.size !== undefined && e.size <= TEXT_MAX_BYTES);
  for (const batch of textBatches(wanted)) {
    const shas = batch.map((e) => e.sha);
    let texts: Map<string, Buffer>;
    try {
      const { data } = await request.ask(`${request.repo}: ${batch.length} text files`, textsQuery(request.owner, request.name, shas));
      texts = textsFromAnswer(data, shas);
    } catch (error) {
      const failure = request.explain(error);
      if (failure.fatal) throw failure;
      continue;
    }
    for (const [sha, bytes] of texts) await request.take(sha, bytes);
  }
}

/** Blob contents for the GitHub source: from the cache by sha, else from the API (and then into the cache). */
import type { Octokit } from '@octokit/rest';
import type { ContentCache } from './cache.ts';
import type { GitHubErrors } from './github-errors.ts';
import type { GraphQLAnswer } from './github-graphql.ts';
import { fetchTexts } from './github-texts.ts';
import type { GitHubState } from './github-types.ts';
import { blobAt, parseRepoName, unsafePathReason } from './shared.ts';
import type { RepoContent, TreeEntry } from './types.ts';

export interface BlobContext {
  octokit: Octokit;
  failures: GitHubErrors;
  state: GitHubState;
  cache: ContentCache | undefined;
  /** Sends a GraphQL query (with a token); without, every blob is read through REST. */
  ask?: (what: string, query: string) => Promise<GraphQLAnswer>;
}

/** One blob of one repository, as the reads in flight, the texts read ahead and the known 404s are kept. */
const blobKey = (repo: string, sha: string) => `${repo.toLowerCase()}\0${sha}`;

/** Largest blob fetched ahead of its reader. */
export const PREFETCH_MAX_BYTES = 1024 * 1024;

export interface GitHubBlobs {
  /** The bytes of a blob of `repo`, or undefined when the API has none (404). */
  getBlob(repo: string, sha: string, path: string): Promise<Buffer | undefined>;
  /** Fetches a file's blob into the cache ahead of its getBlob; without a cache there is nowhere to keep it. */
  prefetchBlob(content: RepoContent, path: string): void;
  /** Reads these text files of `repo` many to a GraphQL query, for the getBlob calls that follow (github-texts.ts). */
  prefetchTexts(repo: string, entries: readonly TreeEntry[]): Promise<void>;
}

export function githubBlobs({ octokit, failures, state, cache, ask }: BlobContext): GitHubBlobs {
  /**
   * Bytes of a blob; undefined when the API has no such blob (404). Asked for raw: the bytes themselves rather
   * than base64 in JSON, several times their size in memory and parsed by Octokit's slower JSON parser. GitHub
   * labels raw bytes UTF-8 whatever they are, so Octokit is told not to decode the body; the transport checks
   * that the bytes hash to the blob's sha (github-transport.ts). A server that answers JSON anyway is read as before.
   */
  async function fetchBlob(repo: string, owner: string, name: string, sha: string, path: string): Promise<Buffer | undefined> {
    if (state.fatal) throw state.fatal;
    let response;
    let body: Buffer;
    try {
      response = await octokit.rest.git.getBlob({ owner, repo: name, file_sha: sha, mediaType: { format: 'raw' }, request: { parseSuccessResponseBody: false } });
      body = Buffer.from(await new Response(response.data as unknown as ReadableStream<Uint8Array> | null).arrayBuffer());
    } catch (error) {
      if ((error as { status?: number }).status === 404 && (error as { response?: unknown }).response) return undefined;
      throw failures.explain(error, repo, `blob ${sha} (${path})`);
    }
    if (!/\bjson\b/i.test(String(response.headers['content-type'] ?? ''))) return body;
    let data: { content?: unknown; encoding?: unknown };
    try {
      data = JSON.parse(body.toString('utf8')) as typeof data;
    } catch {
      throw failures.unexpected(repo, `blob ${sha} (${path})`, response.url);
    }
    const { content, encoding } = data ?? {};
    if (typeof content !== 'string') throw failures.unexpected(repo, `blob ${sha} (${path})`, response.url);
    if (encoding === 'base64') return Buffer.from(content, 'base64');
    if (encoding === 'utf-8' || encoding === 'utf8') return Buffer.from(content, 'utf8');
    throw failures.unexpected(repo, `blob ${sha} (${path})`, response.url);
  }

  /** A blob from the cache, else from the API (and then into the cache); asked again while read, the same read. */
  function getBlob(repo: string, sha: string, path: string): Promise<Buffer | undefined> {
    const key = blobKey(repo, sha);
    // A text read ahead is kept until each path that holds the blob has had it (without a cache, a second path
    // would read it again), counted by every caller, also one that would have joined a read in flight.
    const early = texts.get(key);
    if (early) {
      if (--early.readers <= 0) texts.delete(key);
      return Promise.resolve(early.bytes);
    }
    let reading = inFlight.get(key);
    if (!reading) {
      reading = readBlob(repo, sha, path, key).finally(() => inFlight.delete(key));
      inFlight.set(key, reading);
    }
    return reading;
  }

  async function readBlob(repo: string, sha: string, path: string, key: string): Promise<Buffer | undefined> {
    if (missingBlobs.has(key)) return undefined;
    const hit = await cache?.readBlob(sha);
    if (hit) return hit;
    // A blob the API did not have is not asked for again: its sha names the same content forever.
    if (await cache?.isMissingBlob(repo, sha)) {
      missingBlobs.add(key);
      return undefined;
    }
    const { owner, name } = parseRepoName(repo);
    const bytes = await fetchBlob(repo, owner, name, sha, path);
    if (bytes && cache) await cache.writeBlob(sha, bytes);
    if (!bytes) {
      missingBlobs.add(key);
      await cache?.markMissingBlob(repo, sha);
    }
    return bytes;
  }
  const missingBlobs = new Set<string>();
  const inFlight = new Map<string, Promise<Buffer | undefined>>();
  /** Texts read through GraphQL, with how many of the paths read ahead have yet to ask (also written to the cache, when there is one). */
  const texts = new Map<string, { bytes: Buffer; readers: number }>();

  async function prefetchTexts(repo: string, entries: readonly TreeEntry[]): Promise<void> {
    if (!ask || state.fatal) return;
    const { owner, name } = parseRepoName(repo);
    const wanted = new Map<string, TreeEntry>();
    const readers = new Map<string, number>();
    for (const entry of entries) {
      const key = blobKey(repo, entry.sha);
      readers.set(entry.sha, (readers.get(entry.sha) ?? 0) + 1);
      if (wanted.has(entry.sha) || texts.has(key) || missingBlobs.has(key) || cache?.hasBlob(entry.sha)) continue;
      wanted.set(entry.sha, entry);
    }
    if (!wanted.size) return;
    await fetchTexts({
      repo,
      owner,
      name,
      entries: [...wanted.values()],
      ask,
      explain: (error) => failures.explain(error, repo, 'text files'),
      take: async (sha, bytes) => {
        texts.set(blobKey(repo, sha), { bytes, readers: readers.get(sha) ?? 1 });
        await cache?.writeBlob(sha, bytes);
      },
    });
  }

  function prefetchBlob(content: RepoContent, path: string): void {
    if (!cache || unsafePathReason(path)) return;
    const entry = blobAt(content.tree, path);
    // A blob is held whole while it arrives, briefly twice (the answer, then its bytes): large ones are left to
    // the page that shows them, a few at a time. A failure is met again, and reported, by that read.
    if (entry && (entry.size ?? Infinity) <= PREFETCH_MAX_BYTES) getBlob(content.meta.fullName, entry.sha, path).catch(() => {});
  }

  return { getBlob, prefetchBlob, prefetchTexts };
}

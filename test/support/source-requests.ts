/** What the source suites share: the usual repository request, a rejected load, and answers made comparable. */
import { createServer, type AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { SourceError, type RepoContent, type RepositoryRequest } from '../../src/sources/types.ts';

/** A repository's README and docs tree, with tags: what most source tests load. */
export const docsRequest = (repo: string, extra: Partial<RepositoryRequest> = {}): RepositoryRequest => ({
  repo,
  include: ['README.md', 'docs/**/*.md'],
  exclude: [],
  tags: true,
  ...extra,
});

/** The SourceError a load rejects with; the test fails if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

/** GET /repos/{o}/{r}/tags has no dates; a snapshot's tags.json has them. Everything else must be equal. */
export function withoutTagDates(content: RepoContent): RepoContent {
  return { ...content, tags: content.tags.map(({ name, sha }) => ({ name, sha })) };
}

/** A port on 127.0.0.1 that nothing listens on: bound, then closed again. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

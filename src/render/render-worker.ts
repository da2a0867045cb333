/** A worker thread that renders pages: the same renderMarkdown, asking the main thread only to publish images. */
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceDocument } from '../sources/types.ts';
import { recordingContext, type Dependency } from './dependencies.ts';
import { linkIndexLookups, type LinkIndex } from './link-index.ts';
import { renderJob } from './render-job.ts';
import type { RenderedPage } from './types.ts';
import type { Dialect } from './dialect.ts';

export type ToWorker =
  | { type: 'render'; id: number; doc: SourceDocument; pageUrl: string; dialect?: Dialect; markdown: boolean }
  | { type: 'asset'; request: number; name: string | null };

export type FromWorker =
  | { type: 'done'; id: number; page: RenderedPage; deps: Dependency[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'asset'; request: number; repo: string; path: string };

const port = parentPort!;
const lookups = linkIndexLookups((workerData as { index: LinkIndex }).index);
const pendingAssets = new Map<number, (name: string | undefined) => void>();
let nextRequest = 0;

function publishAsset(repo: string, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = nextRequest++;
    pendingAssets.set(request, resolve);
    port.postMessage({ type: 'asset', request, repo, path } satisfies FromWorker);
  });
}

port.on('message', async (message: ToWorker) => {
  if (message.type === 'asset') {
    pendingAssets.get(message.request)?.(message.name ?? undefined);
    pendingAssets.delete(message.request);
    return;
  }
  const { id, doc, pageUrl, dialect, markdown } = message;
  const deps: Dependency[] = [];
  try {
    const ctx = recordingContext({ repo: doc.repo, path: doc.path, commitSha: doc.commitSha, pageUrl, dialect, ...lookups, publishAsset }, deps);
    const page = await renderJob(doc, ctx, markdown);
    port.postMessage({ type: 'done', id, page, deps } satisfies FromWorker);
  } catch (error) {
    port.postMessage({ type: 'failed', id, message: (error as Error).stack ?? String(error) } satisfies FromWorker);
  }
});

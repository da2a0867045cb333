/** One GitHub test server per describe block: started before its tests, reset before each, closed after. */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startGitHubServer, type GitHubServer, type GitHubServerOptions } from './github-server.ts';

/**
 * Registers the hooks and returns a stand-in for the server that forwards to it once started, so tests
 * write `server.url` as they would with the server itself. Options may be computed when the block starts
 * (a snapshot written in an earlier hook); `reset: false` keeps state between the block's tests.
 */
export function useGitHubServer(options: GitHubServerOptions | (() => GitHubServerOptions), { reset = true } = {}): GitHubServer {
  let started: GitHubServer | undefined;
  beforeAll(async () => {
    started = await startGitHubServer(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  if (reset) beforeEach(() => started?.reset());
  return new Proxy({} as GitHubServer, {
    get(_target, key) {
      if (!started) throw new Error(`the GitHub test server is not running: read server.${String(key)} inside a test`);
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

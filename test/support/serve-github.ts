/**
 * Serves a snapshot folder as a GitHub-compatible API, for manual builds without network:
 *   npx tsx test/support/serve-github.ts --snapshot ../shared/corpus [--port 8787] [--token T] [--rate-limit N]
 * then run the build with GITHUB_API_URL set to the printed URL.
 */
import { parseArgs } from 'node:util';
import { startGitHubServer } from './github-server.ts';

const { values } = parseArgs({
  options: {
    snapshot: { type: 'string' },
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    'rate-limit': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || !values.snapshot) {
  console.log('usage: serve-github --snapshot DIR [--port N] [--token T] [--rate-limit N]');
  process.exit(values.help ? 0 : 2);
}

const port = Number.parseInt(values.port, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}

const server = await startGitHubServer({
  snapshotDir: values.snapshot,
  port,
  ...(values.token !== undefined ? { token: values.token } : {}),
  ...(values['rate-limit'] !== undefined ? { rateLimit: Number.parseInt(values['rate-limit'], 10) } : {}),
});
console.log(server.url);
console.error(`serving ${values.snapshot}; build with GITHUB_API_URL=${server.url}; Ctrl-C to stop`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}

// Preloaded with `node --import`: writes to the file MODULE_LOG names the URL of every module the program loads,
// one a line: the ES modules as Node.js loads them (module-log-hooks.mjs), and the CommonJS modules that were
// required, when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.MODULE_LOG;
if (log) {
  register('./module-log-hooks.mjs', import.meta.url, { data: { log } });
  const required = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    appendFileSync(log, Object.keys(required).map((file) => `${pathToFileURL(file).href}\n`).join(''));
  });
}

// Keeps dist/ (the program compiled ahead of time by tsc) in step with src/: compiles when a source or the
// compiler settings are newer than the last compilation. A packed or installed copy ships dist/ without src/
// and is used as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = path.join(ROOT, 'dist', '.compiled');

function newest(target) {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const name of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, name)));
  return latest;
}

/** Whether dist/ is older than what it is compiled from. */
export function stale() {
  if (!existsSync(path.join(ROOT, 'src'))) return false;
  let compiled;
  try {
    compiled = statSync(STAMP).mtimeMs;
  } catch {
    return true;
  }
  const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'sources.schema.json'];
  return Math.max(...inputs.map((name) => newest(path.join(ROOT, name)))) > compiled;
}

/**
 * Compiles src/ into dist/ without type checking (`npm run typecheck` does that): emitting takes a third of the
 * time of a checked compilation. Exits the process with tsc's message when it fails.
 */
export function compile() {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('error: src/ is newer than dist/ and TypeScript is not installed to compile it: run `npm ci`\n');
    process.exit(1);
  }
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--noCheck'], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('error: compiling src/ into dist/ failed\n');
    process.exit(1);
  }
  // The configuration's validator, compiled from sources.schema.json (src/config/validator.ts).
  const validator = pathToFileURL(path.join(ROOT, 'dist', 'config', 'validator.js')).href;
  const written = spawnSync(process.execPath, ['--input-type=module', '-e', 'const { writeCompiledValidator } = await import(process.argv[1]); writeCompiledValidator();', validator], { stdio: 'inherit' });
  if (written.status !== 0) {
    process.stderr.write('error: compiling the validator of sources.schema.json failed\n');
    process.exit(1);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  if (process.env.CI === undefined) process.stderr.write(`compiled src/ into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

export function ensureCompiled() {
  if (stale()) compile();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `prepare` compiles unconditionally, but only in a checkout (an installed copy has dist/ and no src/).
  if (process.argv.includes('--force') && existsSync(path.join(ROOT, 'src'))) compile();
  else ensureCompiled();
}

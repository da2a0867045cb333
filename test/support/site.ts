/** Helpers for end-to-end tests: comparing built sites and running the CLI. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './corpus.ts';

/** path -> sha256 of every file of a built site; the build report holds timings and is left out. */
export function treeHashes(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) for (const [k, v] of treeHashes(full, `${prefix}${name}/`)) out.set(k, v);
    else if (`${prefix}${name}` !== 'build-report.json') out.set(`${prefix}${name}`, createHash('sha256').update(readFileSync(full)).digest('hex'));
  }
  return out;
}

/** The CLI in a child process, with CI set so progress is line by line. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CI: 'true', ...env },
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The command line in a child process, as users run it: bin/gen3-docs.js on the compiled program (dist/, brought
 * up to date with src/ once per test run by test/support/compile.ts), CI set so progress is line by line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './corpus.ts';

const CLI = path.join(PROJECT_ROOT, 'bin/gen3-docs.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeout?: number;
}

function cliArgs(args: string[]): string[] {
  return [CLI, ...args];
}

/**
 * Never the network by default: GITHUB_API_URL points at a closed port and no token is passed on. No browser
 * either (CHROMIUM_PATH empty): diagrams are left to the reader's browser unless a test asks for Chromium.
 */
function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CI: 'true', GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: '', CHROMIUM_PATH: '', ...env };
}

/** Runs the CLI to completion, blocking: only for builds that need nothing from this process. */
export function runCli(args: string[], options: CliOptions = {}): CliRun {
  const result = spawnSync(process.execPath, cliArgs(args), {
    cwd: options.cwd ?? PROJECT_ROOT,
    encoding: 'utf8',
    env: cliEnv(options.env),
    timeout: options.timeout ?? 120_000,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI without blocking, so a server in this process (the GitHub test server) can answer it. */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = startCli(args, options);
    const killer = setTimeout(() => child.kill(), options.timeout ?? 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Starts the CLI without waiting: node itself is the child, so signals reach the build. */
export function startCli(args: string[], options: Omit<CliOptions, 'timeout'> = {}): ChildProcess {
  return spawn(process.execPath, cliArgs(args), {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

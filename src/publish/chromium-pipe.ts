/**
 * Chromium driven through the DevTools protocol over its pipe (`--remote-debugging-pipe`: JSON messages ended
 * by a NUL byte, commands written to its fd 3, answers and events read from its fd 4). The build needs a
 * handful of commands to draw diagrams; playwright-core would keep about 24 MB of its own source and state in
 * the build's heap for them, at the point where the build's memory peaks. A pipe, unlike a debugging port,
 * is open to no other process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { processExists } from '../core/process.ts';

type Params = Record<string, unknown>;

/** One page's side of the protocol (a flattened target session), or the browser's when `sessionId` is empty. */
export interface CdpSession {
  send<T = Params>(method: string, params?: Params): Promise<T>;
  on(event: string, listener: (params: Params) => void): void;
}

export interface Chromium {
  readonly pid: number | undefined;
  /** The profile folder the browser was given, removed by `close`. */
  readonly profile: string;
  /** A new page, attached; its commands and events go through the returned session. */
  newPage(): Promise<CdpSession>;
  /** Closes the browser (killing it if it does not go within seconds) and removes its profile folder. */
  close(): Promise<void>;
}

/** Longest a command may wait for its answer: Chromium hung is an error, never a stuck build. */
const COMMAND_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 5_000;

const PROFILE_PREFIX = 'gen3-docs-chromium-';
/** A profile's folder name: the prefix, the id of the build's process, mkdtemp's suffix. */
const PROFILE_NAME = new RegExp(`^${PROFILE_PREFIX}(\\d+)-`);

/**
 * Removes the profiles of builds that are gone. One stopped by a signal removes its own as it exits, but
 * Chromium's helper processes, which outlive the browser process by moments, may write into it again.
 */
function removeStaleProfiles(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(PROFILE_NAME.exec(name)?.[1]);
    if (pid && pid !== process.pid && !processExists(pid)) removeProfile(path.join(tmpdir(), name));
  }
}

/** Best effort, never throws: Chromium's helpers may still be writing into it (ENOTEMPTY), hence the retries. */
function removeProfile(folder: string): void {
  try {
    rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // left for the next launch to remove
  }
}

/** Removes the profile until it stays gone, for up to three seconds. */
async function removeSettledProfile(folder: string): Promise<void> {
  for (let i = 0; i < 30 && existsSync(folder); i++) {
    removeProfile(folder);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function launchChromium(executable: string, args: string[]): Promise<Chromium> {
  removeStaleProfiles();
  const profile = mkdtempSync(path.join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  const child = spawn(executable, [...args, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const commands = child.stdio[3] as Writable;
  const answers = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));

  let nextId = 0;
  const pending = new Map<number, { resolve(value: Params): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  const listeners = new Map<string, ((params: Params) => void)[]>();
  let exited: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    const gone = (why: string) => {
      exited ??= new Error(`Chromium ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`);
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(exited);
      }
      pending.clear();
      resolve();
    };
    child.on('error', (error) => gone(`did not start (${error.message})`));
    child.on('exit', (code, signal) => gone(`exited (${signal ?? `code ${code}`})`));
  });
  commands.on('error', () => {}); // a closed pipe is reported by the exit above
  // A build stopped by a signal exits at once (cli.ts): Chromium goes with its pipe, its profile goes here.
  const onExit = () => {
    child.kill('SIGKILL');
    removeProfile(profile);
  };
  process.on('exit', onExit);

  const dispatch = (text: string) => {
    const message = JSON.parse(text) as { id?: number; method?: string; params?: Params; sessionId?: string; result?: Params; error?: { message: string } };
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.error) call.reject(new Error(message.error.message));
      else call.resolve(message.result ?? {});
    } else if (message.method) {
      for (const listener of listeners.get(`${message.sessionId ?? ''} ${message.method}`) ?? []) listener(message.params ?? {});
    }
  };
  // A message may come in many chunks (a large drawing): only each new chunk is searched for the NUL that ends
  // it, and the parts are joined once, so that the cost stays linear in the size of the message.
  let parts: string[] = [];
  answers.setEncoding('utf8').on('data', (chunk: string) => {
    let start = 0;
    for (let end = chunk.indexOf('\0'); end >= 0; end = chunk.indexOf('\0', start)) {
      parts.push(chunk.slice(start, end));
      const text = parts.join('');
      parts = [];
      start = end + 1;
      try {
        dispatch(text);
      } catch {
        // Not the protocol: nothing more from this browser can be trusted to mean what it says.
        stderr += '\na message on the DevTools pipe was not JSON';
        child.kill('SIGKILL');
        return;
      }
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  });

  const session = (sessionId: string): CdpSession => ({
    send<T>(method: string, params: Params = {}) {
      if (exited) return Promise.reject(exited);
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`Chromium did not answer ${method} within ${COMMAND_TIMEOUT_MS / 1000} s`));
        }, COMMAND_TIMEOUT_MS);
        pending.set(id, { resolve: resolve as (value: Params) => void, reject, timer });
        commands.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      });
    },
    on(event, listener) {
      const key = `${sessionId} ${event}`;
      listeners.set(key, [...(listeners.get(key) ?? []), listener]);
    },
  });
  const browser = session('');

  const close = async () => {
    const died = !!exited;
    if (!died) {
      browser.send('Browser.close').catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    }
    process.off('exit', onExit);
    // A browser that closed itself has stopped its helpers; one that died may leave them writing a moment longer.
    if (died) await removeSettledProfile(profile);
    else removeProfile(profile);
  };

  try {
    await browser.send('Browser.getVersion');
  } catch (error) {
    await close();
    throw error;
  }
  return {
    pid: child.pid,
    profile,
    async newPage() {
      const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      return session(sessionId);
    },
    close,
  };
}

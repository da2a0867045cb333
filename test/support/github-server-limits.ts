/** Tokens, rate limits, injected faults and the HTTP helpers of the GitHub test server. */
import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import picomatch from 'picomatch';
import { type Fault, type FaultAction, type FaultMatcher, type GitHubServerOptions, type RequestInfo } from './github-server.ts';

export const DOCS = 'https://docs.github.com/rest';
export const NOT_FOUND = { message: 'Not Found', documentation_url: DOCS, status: '404' };
export const JSON_TYPE = 'application/json; charset=utf-8';

export interface Auth {
  kind: 'token' | 'anonymous' | 'bad';
  identity: string;
}

export function authenticate(header: string | undefined, expected: string | undefined): Auth {
  if (!header) return { kind: 'anonymous', identity: 'anonymous' };
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  const token = m?.[1];
  if (!token || (expected !== undefined && token !== expected)) return { kind: 'bad', identity: 'bad' };
  return { kind: 'token', identity: `token:${createHash('sha1').update(token).digest('hex')}` };
}

export class Counter {
  used = 0;
  resetAt: number;

  constructor(
    readonly limit: number,
    readonly resource: string,
    private readonly windowSeconds: number,
  ) {
    this.resetAt = Math.ceil(Date.now() / 1000) + windowSeconds;
  }

  private roll(): void {
    const now = Date.now() / 1000;
    if (now >= this.resetAt) {
      this.used = 0;
      this.resetAt = Math.ceil(now) + this.windowSeconds;
    }
  }

  exhausted(): boolean {
    this.roll();
    return this.used >= this.limit;
  }

  use(): void {
    this.roll();
    this.used += 1;
  }

  headers(): Record<string, string> {
    this.roll();
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-resource': this.resource,
    };
  }

  summary(): Record<string, number> {
    this.roll();
    return { limit: this.limit, used: this.used, remaining: Math.max(0, this.limit - this.used), reset: this.resetAt };
  }

  graphqlSummary(): Record<string, unknown> {
    this.roll();
    return { limit: this.limit, used: this.used, remaining: Math.max(0, this.limit - this.used), resetAt: new Date(this.resetAt * 1000).toISOString(), cost: 1 };
  }
}

export class RateLimits {
  private readonly counters = new Map<string, Counter>();
  private readonly limit: number;
  private readonly anonymousLimit: number;
  private readonly windowSeconds: number;

  constructor(options: GitHubServerOptions) {
    this.limit = options.rateLimit ?? 5000;
    this.anonymousLimit = options.anonymousLimit ?? (options.token !== undefined ? 60 : this.limit);
    this.windowSeconds = options.rateLimitWindowSeconds ?? 3600;
  }

  counter(identity: string, resource: string): Counter {
    const key = `${identity} ${resource}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = new Counter(identity === 'anonymous' ? this.anonymousLimit : this.limit, resource, this.windowSeconds);
      this.counters.set(key, counter);
    }
    return counter;
  }

  summary(identity: string): Record<string, unknown> {
    const core = this.counter(identity, 'core').summary();
    return { resources: { core, graphql: this.counter(identity, 'graphql').summary() }, rate: core };
  }

  reset(): void {
    this.counters.clear();
  }
}

export class ActiveFault {
  hits = 0;
  remaining: number | undefined;
  readonly probability: number | undefined;
  readonly delayMs: number | undefined;
  readonly action: FaultAction;
  readonly matches: (request: RequestInfo) => boolean;

  constructor(matcher: FaultMatcher, fault: Fault) {
    const { times, probability, delayMs, ...action } = fault;
    this.action = action as FaultAction;
    this.remaining = times;
    this.probability = probability;
    this.delayMs = delayMs;
    this.matches = compileMatcher(matcher);
  }
}

export function compileMatcher(matcher: FaultMatcher): (request: RequestInfo) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (matcher instanceof RegExp) return (request) => matcher.test(request.path);
  const m = /^([A-Z]+)\s+(.*)$/.exec(matcher);
  const method = m?.[1];
  const isMatch = picomatch(m ? m[2]! : matcher, { dot: true });
  return (request) => (method === undefined || request.method === method) && isMatch(request.path);
}

export function normalizeFault(fault: Fault | number | 'hang' | 'invalidJson' | 'cutShort' | 'truncatedTree'): Fault {
  if (typeof fault === 'number') return { kind: 'status', status: fault };
  if (typeof fault === 'string') return { kind: fault } as Fault;
  return fault;
}

export function etagMatches(header: string, etag: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || strip(candidate) === strip(etag));
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | null): number {
  const length = body?.length ?? 0;
  res.writeHead(status, body ? { ...headers, 'content-length': String(length) } : headers);
  res.end(body ?? undefined);
  return length;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  send(res, status, { ...headers, 'content-type': JSON_TYPE }, Buffer.from(JSON.stringify(body)));
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** Small seeded generator, so probabilistic faults repeat from run to run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function numericId(text: string): number {
  return Number.parseInt(createHash('sha1').update(text).digest('hex').slice(0, 8), 16);
}

export function nodeId(prefix: string, text: string): string {
  return `${prefix}_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
}

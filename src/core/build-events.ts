/** What the build tells its caller while it runs, and how it stops when it cannot go on. */

/** The build cannot go on: a fatal source error (bad token, rate limit) or a --strict violation. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

export type ProgressEvent =
  | { stage: 'discover'; repositories: number; added: string[] }
  | { stage: 'load'; repo: string; done: number; total: number; failed?: string; stale?: string }
  | { stage: 'render'; done: number; total: number }
  | { stage: 'compose'; pages: number }
  | { stage: 'publish'; files: number };

export type OnProgress = (event: ProgressEvent) => void;

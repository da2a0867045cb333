import type { ContentSource } from './types.ts';

export function createGitHubSource(): ContentSource {
  throw new Error('the GitHub source is not available yet');
}

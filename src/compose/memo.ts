/**
 * Pages whose template and context are the same as the last build's are not rendered again: their file is
 * taken from out/, where that build left it. The key of a page is a hash of the code and templates' version,
 * the template's name and the whole context it is given; a context holding anything JSON does not spell out
 * (a function, a Map) has no key, and its page is always rendered.
 */
import { createHash } from 'node:crypto';
import type { OutputFile } from '../core/bundle.ts';
import type { TemplateEngine } from './templates.ts';

export interface ComposeMemo {
  /** Version of the code and templates, part of every key. */
  readonly version: string;
  /** The bytes the last build wrote at `path` from this key, when out/ still holds them untouched; else undefined. */
  reuse(path: string, key: string): Buffer | undefined;
  /** The key of each page file this build composed, for the next build. */
  readonly keys: Record<string, string>;
}

class NoKey extends Error {}

const plainOnly = (_key: string, value: unknown) => {
  if (typeof value === 'function' || value instanceof Map || value instanceof Set) throw new NoKey();
  return value;
};

function keyOf(version: string, template: string, context: Record<string, unknown>): string | undefined {
  try {
    return createHash('sha256').update(version).update('\0').update(template).update('\0').update(JSON.stringify(context, plainOnly)).digest('hex');
  } catch (error) {
    if (error instanceof NoKey) return undefined;
    throw error;
  }
}

/** The page file at `path` from `template` and `context`: rendered, or the last build's when its key is the same. */
export function composedFile(memo: ComposeMemo | undefined, path: string, template: string, context: Record<string, unknown>, engine: TemplateEngine): OutputFile {
  const key = memo && keyOf(memo.version, template, context);
  if (memo && key) {
    memo.keys[path] = key;
    const kept = memo.reuse(path, key);
    if (kept) return { path, content: kept, sameAsOut: true };
  }
  return { path, content: engine.render(template, context) };
}

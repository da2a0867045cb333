/**
 * Front matter: a leading `---` YAML block, read with the `yaml` package instead of gray-matter's js-yaml so
 * that a huge block or an alias bomb is refused quickly (size cap, maxAliasCount) instead of hanging a build.
 *
 * The block is replaced by as many empty lines, so line numbers in warnings still match the source file.
 * Malformed front matter yields an error message and empty data; the body is rendered all the same.
 */
import { parse } from 'yaml';
import type { FrontMatter } from './types.ts';

export interface FrontMatterOptions {
  /** Largest front matter block read, in characters (default 64 KiB). */
  maxLength?: number;
  /** Largest number of alias nodes resolved (default 50); alias bombs exceed it at once. */
  maxAliasCount?: number;
}

export interface FrontMatterResult {
  data: FrontMatter;
  /** The source with the front matter blanked out (same line count). */
  body: string;
  /** Why the front matter was ignored, when it was. */
  error?: string;
}

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*\r?$/m;

export function parseFrontMatter(text: string, options: FrontMatterOptions = {}): FrontMatterResult {
  const open = OPEN.exec(text);
  if (!open) return { data: {}, body: text };
  const maxLength = options.maxLength ?? 64 * 1024;
  const rest = text.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) return { data: {}, body: text }; // A lone leading "---" is a thematic break, not front matter.
  const yamlText = rest.slice(0, close.index);
  const blockEnd = open[0].length + close.index + close[0].length;
  const body = '\n'.repeat(countLines(text.slice(0, blockEnd)) - 1) + text.slice(blockEnd);
  if (yamlText.length > maxLength) {
    return { data: {}, body, error: `front matter is larger than ${maxLength} characters; ignored` };
  }
  let raw: unknown;
  try {
    raw = parse(yamlText, { maxAliasCount: options.maxAliasCount ?? 50, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return { data: {}, body, error: `malformed front matter (${message}); ignored` };
  }
  if (raw === null || raw === undefined) return { data: {}, body };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { data: {}, body, error: 'front matter is not a mapping; ignored' };
  }
  return { data: pick(raw as Record<string, unknown>), body };
}

function countLines(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Only the known keys, with the expected types: anything else in front matter is not ours to trust. */
function pick(raw: Record<string, unknown>): FrontMatter {
  const data: FrontMatter = {};
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : undefined);
  const title = text(raw.title);
  if (title) data.title = title;
  const description = text(raw.description);
  if (description) data.description = description;
  if (typeof raw.order === 'number' && Number.isFinite(raw.order)) data.order = raw.order;
  else if (typeof raw.order === 'string' && /^-?\d+(\.\d+)?$/.test(raw.order.trim())) data.order = Number(raw.order);
  if (typeof raw.hidden === 'boolean') data.hidden = raw.hidden;
  return data;
}

/**
 * Front matter: gray-matter finds the leading `---` block; its YAML is read with the `yaml` package instead of
 * gray-matter's default js-yaml so that a huge block or an alias bomb is refused quickly (size cap,
 * maxAliasCount) instead of hanging a build.
 *
 * The block is replaced by as many empty lines, so line numbers in warnings still match the source file.
 * Malformed front matter yields an error message and empty data; the body is rendered all the same.
 */
import matter from 'gray-matter';
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

const CAPPED_OUT = Symbol('front matter too large');

export function parseFrontMatter(text: string, options: FrontMatterOptions = {}): FrontMatterResult {
  const source = text.replace(/^\uFEFF/, '');
  // Without a closing fence a leading "---" is a thematic break; gray-matter would take the whole file.
  if (!matter.test(source) || !/\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.test(source.slice(3))) return { data: {}, body: text };
  const maxLength = options.maxLength ?? 64 * 1024;
  // gray-matter picks an engine from the opening fence ("---js") and its JavaScript engine runs eval: only
  // YAML is ever handed to it; a block in another language is blanked and ignored.
  const language = /^---([^\r\n]*)/.exec(source)![1]!.trim();
  if (language !== '' && language.toLowerCase() !== 'yaml') {
    return { data: {}, body: blankBlock(source), error: `front matter in ${JSON.stringify(language.slice(0, 20))} is not read, only YAML; ignored` };
  }
  let yamlError: string | undefined;
  let file: matter.GrayMatterFile<string>;
  try {
    // gray-matter finds the block; the `yaml` package reads it, with a size cap and an alias limit.
    file = matter(source, {
      language: 'yaml',
      engines: {
        yaml: (block: string): object => {
          if (block.length > maxLength) throw CAPPED_OUT;
          try {
            const raw: unknown = parse(block, { maxAliasCount: options.maxAliasCount ?? 50, prettyErrors: false, uniqueKeys: false });
            return { value: raw };
          } catch (error) {
            yamlError = (error as Error).message.split('\n')[0];
            return { value: undefined };
          }
        },
      },
    });
  } catch (error) {
    // Whatever gray-matter trips over costs the page its front matter, never the build.
    if (error !== CAPPED_OUT) return { data: {}, body: blankBlock(source), error: `unreadable front matter (${String((error as Error)?.message ?? error).split('\n')[0]}); ignored` };
    return { data: {}, body: blankBlock(source), error: `front matter is larger than ${maxLength} characters; ignored` };
  }
  // A "---" that gray-matter could not close is a thematic break, not front matter.
  if (file.matter === undefined || !source.endsWith(file.content)) return { data: {}, body: text };
  const body = blankLines(source.slice(0, source.length - file.content.length)) + file.content;
  if (yamlError) return { data: {}, body, error: `malformed front matter (${yamlError}); ignored` };
  const raw = (file.data as { value?: unknown }).value;
  if (raw === null || raw === undefined) return { data: {}, body };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { data: {}, body, error: 'front matter is not a mapping; ignored' };
  }
  return { data: pick(raw as Record<string, unknown>), body };
}

/** The source with its front matter block (known to have a closing fence) replaced by empty lines. */
function blankBlock(source: string): string {
  const close = /\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source.slice(3))!;
  const end = 3 + close.index + close[0].length;
  return blankLines(source.slice(0, end)) + source.slice(end);
}

/** As many empty lines as `s` has line breaks, so line numbers in warnings still match the source. */
function blankLines(s: string): string {
  return '\n'.repeat(countLines(s) - 1);
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

/**
 * micromark syntax extension for the inline marks of pymdownx `caret`, `mark` and `tilde`:
 *
 *   ^^insert^^ -> <ins>    ^sup^ -> <sup>    ==mark== -> <mark>    ~sub~ -> <sub>    (~~del~~ stays GFM's)
 *
 * Built like GFM strikethrough: a run of markers becomes a temporary sequence that may open, close or both, and a
 * resolver pairs each closer with the nearest opener of the same kind (with a stack, so that the cost stays linear
 * in the number of runs), so code spans, links and emphasis keep their precedence and the marks nest with them. Unpaired runs are plain text. Rules, as pymdownx's defaults:
 *   - `^^` and `==` (smart): open when not followed by white space and not preceded by a letter or digit;
 *     close when not preceded by white space and not followed by a letter or digit (`a==b==c` stays text);
 *   - `^` and `~`: open when not followed by white space, close when not preceded by it, and hold no white space
 *     (`~a b~` stays text);
 *   - runs of another length are text (`^^^`, `===`); `~~` is left to GFM strikethrough.
 * The `~` construct is registered before GFM's, so a single `~` is a subscript or plain text, never GFM's
 * single-tilde strikethrough (pymdownx `tilde` has none).
 *
 * Options (mkdocsInlineMarksSyntax(options)): insert, superscript, mark, subscript: booleans, default true.
 */
import { classifyCharacter } from 'micromark-util-classify-character';
import { resolveAll } from 'micromark-util-resolve-all';
import { splice } from 'micromark-util-chunked';
import { codes, constants, types } from 'micromark-util-symbol';
import type { Code, Construct, Effects, Event, Extension, State, Token, TokenizeContext } from 'micromark-util-types';

export type InlineMarkKind = 'insert' | 'superscript' | 'mark' | 'subscript';

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    mkdocsInlineMarkSequenceTemporary: 'mkdocsInlineMarkSequenceTemporary';
    mkdocsInsert: 'mkdocsInsert';
    mkdocsSuperscript: 'mkdocsSuperscript';
    mkdocsMark: 'mkdocsMark';
    mkdocsSubscript: 'mkdocsSubscript';
    mkdocsInlineMarkSequence: 'mkdocsInlineMarkSequence';
    mkdocsInlineMarkText: 'mkdocsInlineMarkText';
  }
}

export interface MkdocsInlineMarksSyntaxOptions {
  insert?: boolean;
  superscript?: boolean;
  mark?: boolean;
  subscript?: boolean;
}

const TOKEN_OF = {
  insert: 'mkdocsInsert',
  superscript: 'mkdocsSuperscript',
  mark: 'mkdocsMark',
  subscript: 'mkdocsSubscript',
} as const;

/** The kinds a run of `size` markers can be, by marker. */
function kindOf(marker: Code, size: number, enabled: Required<MkdocsInlineMarksSyntaxOptions>): InlineMarkKind | undefined {
  if (marker === codes.caret) return size === 2 && enabled.insert ? 'insert' : size === 1 && enabled.superscript ? 'superscript' : undefined;
  if (marker === codes.equalsTo) return size === 2 && enabled.mark ? 'mark' : undefined;
  if (marker === codes.tilde) return size === 1 && enabled.subscript ? 'subscript' : undefined;
  return undefined;
}

const WHITESPACE = constants.characterGroupWhitespace;
const isSmart = (kind: InlineMarkKind) => kind === 'insert' || kind === 'mark';

export function mkdocsInlineMarksSyntax(options: MkdocsInlineMarksSyntaxOptions = {}): Extension {
  const enabled = { insert: true, superscript: true, mark: true, subscript: true, ...options };
  const kinds = new WeakMap<Token, InlineMarkKind>();
  const construct: Construct = {
    name: 'mkdocsInlineMark',
    tokenize(effects, ok, nok) {
      return tokenizeSequence.call(this, effects, ok, nok);
    },
    resolveAll: resolvePairs,
    add: 'before',
  };
  const text: Record<number, Construct> = {};
  if (enabled.insert || enabled.superscript) text[codes.caret] = construct;
  if (enabled.mark) text[codes.equalsTo] = construct;
  if (enabled.subscript) text[codes.tilde] = construct;
  return { text, insideSpan: { null: [construct] } };

  function tokenizeSequence(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const previous = this.previous;
    const events = this.events;
    let marker: Code = null;
    let size = 0;
    return start;

    function start(code: Code): State | undefined {
      // Inside a longer run, which was read (or refused) where it began; an escaped marker starts nothing.
      if (previous === code && events[events.length - 1]?.[1].type !== types.characterEscape) return nok(code);
      marker = code;
      effects.enter('mkdocsInlineMarkSequenceTemporary');
      return run(code);
    }

    function run(code: Code): State | undefined {
      if (code === marker) {
        effects.consume(code);
        size++;
        return run;
      }
      const kind = kindOf(marker, size, enabled);
      // `~~` (and longer) belong to GFM strikethrough; other runs of the wrong length are text.
      if (!kind) return marker === codes.tilde && size > 1 ? nok(code) : asText(code);
      const token = effects.exit('mkdocsInlineMarkSequenceTemporary');
      kinds.set(token, kind);
      const before = classifyCharacter(previous);
      const after = classifyCharacter(code);
      if (isSmart(kind)) {
        token._open = after !== WHITESPACE && (before !== undefined || previous === codes.underscore);
        token._close = before !== WHITESPACE && (after !== undefined || code === codes.underscore);
      } else {
        token._open = after !== WHITESPACE;
        token._close = before !== WHITESPACE;
      }
      return ok(code);
    }

    function asText(code: Code): State | undefined {
      const token = effects.exit('mkdocsInlineMarkSequenceTemporary');
      token._open = token._close = false;
      return ok(code);
    }
  }

  function resolvePairs(events: Event[], context: TokenizeContext): Event[] {
    const partners = pairUp(events, context);
    let index = -1;
    while (++index < events.length) {
      const closer = events[index]![1];
      const opener = events[index]![0] === 'enter' ? partners.get(closer) : undefined;
      if (!opener) continue;
      let open = index;
      while (open-- && !(events[open]![0] === 'exit' && events[open]![1] === opener));
      opener.type = 'mkdocsInlineMarkSequence';
      closer.type = 'mkdocsInlineMarkSequence';
      const whole: Token = { type: TOKEN_OF[kinds.get(closer)!], start: { ...opener.start }, end: { ...closer.end } };
      const inner: Token = { type: 'mkdocsInlineMarkText', start: { ...opener.end }, end: { ...closer.start } };
      const next: Event[] = [
        ['enter', whole, context],
        ['enter', opener, context],
        ['exit', opener, context],
        ['enter', inner, context],
      ];
      // Emphasis and the like inside are resolved within the span, so that they cannot pair across its edges.
      const insideSpan = context.parser.constructs.insideSpan.null;
      const inside = events.slice(open + 1, index);
      splice(next, next.length, 0, insideSpan ? resolveAll(insideSpan, inside, context) : inside);
      splice(next, next.length, 0, [
        ['exit', inner, context],
        ['enter', closer, context],
        ['exit', closer, context],
        ['exit', whole, context],
      ]);
      splice(events, open - 1, index - open + 3, next);
      index = open + next.length - 2;
    }
    for (const event of events) {
      if (event[1].type === 'mkdocsInlineMarkSequenceTemporary') event[1].type = types.data;
    }
    return events;
  }

  /**
   * Which opener each closer ends: the nearest open one of its kind, with a stack as CommonMark pairs emphasis,
   * so that a run without a partner costs nothing and openers inside a closed span are dropped with it.
   */
  function pairUp(events: Event[], context: TokenizeContext): Map<Token, Token> {
    const partners = new Map<Token, Token>();
    const stack: Token[] = [];
    const positions: Record<InlineMarkKind, number[]> = { insert: [], superscript: [], mark: [], subscript: [] };
    for (const [kind, token] of events) {
      if (kind !== 'enter' || token.type !== 'mkdocsInlineMarkSequenceTemporary') continue;
      const markKind = kinds.get(token);
      if (!markKind) continue;
      const nearest = positions[markKind].at(-1);
      if (token._close && nearest !== undefined) {
        const opener = stack[nearest]!;
        // Superscripts and subscripts hold no white space.
        const fits = isSmart(markKind) || !/\s/.test(context.sliceSerialize({ start: opener.end, end: token.start }));
        if (fits) {
          partners.set(token, opener);
          stack.length = nearest;
          for (const list of Object.values(positions)) while (list.length && list.at(-1)! >= nearest) list.pop();
          continue;
        }
      }
      if (token._open) {
        positions[markKind].push(stack.length);
        stack.push(token);
      }
    }
    return partners;
  }
}

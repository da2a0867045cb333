/**
 * micromark syntax extension for MkDocs admonitions (Python-Markdown `admonition`) and collapsible blocks
 * (pymdownx `details`):
 *
 *     !!! note "Optional title"          ??? tip "Closed by default"        ???+ tip "Open"
 *         Body: any Markdown,                Body, as for `!!!`.                 Body.
 *         indented four columns.
 *
 * The first line is `!!!`, `???` or `???+`, at most one space, one or more class names (letters, digits, `_`,
 * `-`) separated by spaces, then an optional title in double quotes (everything up to the last `"` on the line).
 * `???` also takes a title with no class (`??? "Title"`). Anything else on the line makes it ordinary text, as
 * in MkDocs. The body is every following line indented four columns past the marker's own indentation, blank
 * lines included; the first line indented less ends the block (no lazy continuation, unlike block quotes).
 *
 * Written as a flow construct that hands its body to a nested document, the way container directives
 * (micromark-extension-directive) do it: the body can hold lists, code, tables and further admonitions, and a
 * block nested in a list or block quote ends where its container does. Each body line costs one look at the
 * next line's indentation, so the construct is linear in the input however deep or long it is.
 *
 * Tokens: mkdocsAdmonition > mkdocsAdmonitionFence (mkdocsAdmonitionMarker, mkdocsAdmonitionClass*,
 * mkdocsAdmonitionTitleMarker, mkdocsAdmonitionTitle > chunkText) and mkdocsAdmonitionContent (linePrefix,
 * chunkDocument).
 *
 * Options (mkdocsAdmonitionSyntax(options)):
 *   admonition  read `!!!` blocks (Python-Markdown `admonition`), default true
 *   details     read `???` / `???+` blocks (pymdownx `details`), default true
 *   maxDepth    a marker further right than column 4 x maxDepth (where that many nested bodies put it) is left as
 *               text: each level of nesting parses its body once more, so unbounded depth would be quadratic.
 *               Default 32.
 */
import { factorySpace } from 'micromark-factory-space';
import { markdownLineEnding, markdownSpace } from 'micromark-util-character';
import { codes, constants, types } from 'micromark-util-symbol';
import type { Code, Construct, Effects, Extension, State, Token, TokenizeContext } from 'micromark-util-types';

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    mkdocsAdmonition: 'mkdocsAdmonition';
    mkdocsAdmonitionFence: 'mkdocsAdmonitionFence';
    mkdocsAdmonitionMarker: 'mkdocsAdmonitionMarker';
    mkdocsAdmonitionClass: 'mkdocsAdmonitionClass';
    mkdocsAdmonitionTitleMarker: 'mkdocsAdmonitionTitleMarker';
    mkdocsAdmonitionTitle: 'mkdocsAdmonitionTitle';
    mkdocsAdmonitionContent: 'mkdocsAdmonitionContent';
  }
}

/** Columns of indentation that put a line in the body (Python-Markdown's tab length). */
const BODY_INDENT = constants.tabSize;

export interface MkdocsAdmonitionSyntaxOptions {
  admonition?: boolean;
  details?: boolean;
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 32;

export function mkdocsAdmonitionSyntax(options: MkdocsAdmonitionSyntaxOptions = {}): Extension {
  const maxColumn = BODY_INDENT * (options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const construct: Construct = {
    name: 'mkdocsAdmonition',
    tokenize(effects, ok, nok) {
      return tokenizeAdmonition.call(this, effects, ok, nok, maxColumn);
    },
  };
  const flow: Record<number, Construct> = {};
  if (options.admonition !== false) flow[codes.exclamationMark] = construct;
  if (options.details !== false) flow[codes.questionMark] = construct;
  return { flow };
}

/** Python's `[\w-]` in a class name; lone surrogates (micromark reads UTF-16 units) are let through. */
function isClassCode(code: Code): boolean {
  if (code === null || code < 0) return false;
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return /[\p{L}\p{N}\p{M}_-]/u.test(String.fromCharCode(code));
}

function tokenizeAdmonition(this: TokenizeContext, effects: Effects, ok: State, nok: State, maxColumn: number): State {
  const self = this;
  const tail = self.events[self.events.length - 1];
  const indent = tail && tail[1].type === types.linePrefix ? tail[2].sliceSerialize(tail[1], true).length : 0;
  const bodyIndent = indent + BODY_INDENT;
  let marker: Code = null;
  let markerSize = 0;
  let previousChunk: Token | undefined;
  const nextLineInBody: Construct = { tokenize: tokenizeNextLineInBody, partial: true };
  const closingQuote: Construct = { tokenize: tokenizeClosingQuote, partial: true };

  return start;

  function start(code: Code): State | undefined {
    if (self.now().column > maxColumn) return nok(code);
    marker = code;
    effects.enter('mkdocsAdmonition');
    effects.enter('mkdocsAdmonitionFence');
    effects.enter('mkdocsAdmonitionMarker');
    return sequence(code);
  }

  function sequence(code: Code): State | undefined {
    if (code === marker && markerSize < 3) {
      effects.consume(code);
      markerSize++;
      return sequence;
    }
    if (markerSize < 3) return nok(code);
    if (marker === codes.questionMark && code === codes.plusSign) {
      effects.consume(code);
      effects.exit('mkdocsAdmonitionMarker');
      return afterMarker;
    }
    effects.exit('mkdocsAdmonitionMarker');
    return afterMarker(code);
  }

  // At most one space between the marker and the first class.
  function afterMarker(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace);
      effects.consume(code);
      effects.exit(types.whitespace);
      return firstItem;
    }
    return firstItem(code);
  }

  function firstItem(code: Code): State | undefined {
    if (isClassCode(code)) return classStart(code);
    // `??? "Title"`: a title with no class, for collapsible blocks only, after a space.
    if (marker === codes.questionMark && self.previous !== null && markdownSpace(self.previous)) {
      if (code === codes.quotationMark) return titleStart(code);
      if (markdownSpace(code)) return factorySpace(effects, titleOnly, types.whitespace)(code);
    }
    return nok(code);
  }

  function titleOnly(code: Code): State | undefined {
    return code === codes.quotationMark ? titleStart(code) : nok(code);
  }

  function classStart(code: Code): State | undefined {
    effects.enter('mkdocsAdmonitionClass');
    effects.consume(code);
    return classRest;
  }

  function classRest(code: Code): State | undefined {
    if (isClassCode(code)) {
      effects.consume(code);
      return classRest;
    }
    effects.exit('mkdocsAdmonitionClass');
    if (markdownSpace(code)) return factorySpace(effects, afterClassSpace, types.whitespace)(code);
    return fenceEnd(code);
  }

  function afterClassSpace(code: Code): State | undefined {
    if (isClassCode(code)) return classStart(code);
    if (code === codes.quotationMark) return titleStart(code);
    return fenceEnd(code);
  }

  function titleStart(code: Code): State | undefined {
    effects.enter('mkdocsAdmonitionTitleMarker');
    effects.consume(code);
    effects.exit('mkdocsAdmonitionTitleMarker');
    return effects.check(closingQuote, closeTitle, titleTextStart);
  }

  function titleTextStart(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return nok(code);
    effects.enter('mkdocsAdmonitionTitle');
    effects.enter(types.chunkText, { contentType: constants.contentTypeText });
    effects.consume(code);
    return titleText;
  }

  function titleText(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return nok(code);
    if (code === codes.quotationMark) return effects.check(closingQuote, titleTextEnd, titleTextConsume)(code);
    effects.consume(code);
    return titleText;
  }

  function titleTextConsume(code: Code): State | undefined {
    effects.consume(code);
    return titleText;
  }

  function titleTextEnd(code: Code): State | undefined {
    effects.exit(types.chunkText);
    effects.exit('mkdocsAdmonitionTitle');
    return closeTitle(code);
  }

  function closeTitle(code: Code): State | undefined {
    effects.enter('mkdocsAdmonitionTitleMarker');
    effects.consume(code);
    effects.exit('mkdocsAdmonitionTitleMarker');
    return factorySpace(effects, fenceEnd, types.whitespace);
  }

  function fenceEnd(code: Code): State | undefined {
    if (code !== codes.eof && !markdownLineEnding(code)) return nok(code);
    effects.exit('mkdocsAdmonitionFence');
    if (code === codes.eof) return done(code);
    return effects.check(nextLineInBody, bodyStart, done)(code);
  }

  function bodyStart(code: Code): State | undefined {
    effects.enter(types.lineEnding);
    effects.consume(code);
    effects.exit(types.lineEnding);
    return linePrefix;
  }

  // The look-ahead already made sure this line belongs to the body: consume its indentation.
  function linePrefix(code: Code): State | undefined {
    return factorySpace(effects, lineStart, types.linePrefix, bodyIndent + 1)(code);
  }

  function lineStart(code: Code): State | undefined {
    if (code === codes.eof) return contentEnd(code);
    if (markdownLineEnding(code)) return effects.check(nextLineInBody, blankLine, contentEnd)(code);
    enterChunk();
    effects.consume(code);
    return chunk;
  }

  function blankLine(code: Code): State | undefined {
    enterChunk();
    effects.consume(code);
    effects.exit(types.chunkDocument);
    return linePrefix;
  }

  function chunk(code: Code): State | undefined {
    if (code === codes.eof) {
      effects.exit(types.chunkDocument);
      return contentEnd(code);
    }
    if (markdownLineEnding(code)) return effects.check(nextLineInBody, chunkLineEnding, chunkEnd)(code);
    effects.consume(code);
    return chunk;
  }

  function chunkLineEnding(code: Code): State | undefined {
    effects.consume(code);
    effects.exit(types.chunkDocument);
    return linePrefix;
  }

  function chunkEnd(code: Code): State | undefined {
    effects.exit(types.chunkDocument);
    return contentEnd(code);
  }

  function contentEnd(code: Code): State | undefined {
    if (previousChunk) effects.exit('mkdocsAdmonitionContent');
    return done(code);
  }

  function done(code: Code): State | undefined {
    effects.exit('mkdocsAdmonition');
    return ok(code);
  }

  // The content token opens with the first chunk: a body of blank lines has none (tokens are never empty).
  function enterChunk(): void {
    if (!previousChunk) effects.enter('mkdocsAdmonitionContent');
    const token = effects.enter(types.chunkDocument, { contentType: constants.contentTypeDocument, previous: previousChunk });
    if (previousChunk) previousChunk.next = token;
    previousChunk = token;
  }

  /** At a line ending: is the next line blank, or indented into the body, and not a lazy line of a container? */
  function tokenizeNextLineInBody(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const context = this;
    let size = 0;
    return (code) => {
      effects.enter(types.lineEnding);
      effects.consume(code);
      effects.exit(types.lineEnding);
      return lineBegin;
    };

    // End of input (or of the container) after the line ending: the body ends before it.
    function lineBegin(code: Code): State | undefined {
      if (code === codes.eof || context.parser.lazy[context.now().line]) return nok(code);
      if (!markdownSpace(code)) return indentationEnd(code);
      effects.enter(types.linePrefix);
      return indentation(code);
    }

    function indentation(code: Code): State | undefined {
      if (markdownSpace(code) && size < bodyIndent) {
        size++;
        effects.consume(code);
        return indentation;
      }
      effects.exit(types.linePrefix);
      return indentationEnd(code);
    }

    function indentationEnd(code: Code): State | undefined {
      return markdownLineEnding(code) || (code !== codes.eof && size >= bodyIndent) ? ok(code) : nok(code);
    }
  }

  /** At a `"` in the title: is it the last one on the line, followed only by white space? */
  function tokenizeClosingQuote(effects: Effects, ok: State, nok: State): State {
    return (code) => {
      effects.enter('mkdocsAdmonitionTitleMarker');
      effects.consume(code);
      effects.exit('mkdocsAdmonitionTitleMarker');
      return factorySpace(effects, after, types.whitespace);
    };
    function after(code: Code): State | undefined {
      return code === codes.eof || markdownLineEnding(code) ? ok(code) : nok(code);
    }
  }
}


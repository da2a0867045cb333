/**
 * remark plugin: pymdownx `caret` (`^^insert^^`, `^sup^`), `mark` (`==mark==`) and `tilde` (`~sub~`; `~~del~~`
 * stays GFM strikethrough). The syntax is mkdocs-inline-marks-syntax.ts; this adds the mdast nodes
 * `insert`, `superscript`, `mark` and `subscript` (phrasing parents, rendered as <ins>, <sup>, <mark>, <sub>
 * through `data.hName`) and writes them back with the same markers. Use after remark-gfm.
 *
 * Options: { insert?, superscript?, mark?, subscript? }: booleans, default true.
 */
import type { Parent, Parents, PhrasingContent } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown';
import type { Info, Options as ToMarkdownExtension, State } from 'mdast-util-to-markdown';
import type { Processor } from 'unified';
import { mkdocsInlineMarksSyntax, type InlineMarkKind, type MkdocsInlineMarksSyntaxOptions } from './mkdocs-inline-marks-syntax.ts';

interface InlineMark<Kind extends InlineMarkKind> extends Parent {
  type: Kind;
  children: PhrasingContent[];
}
export type Insert = InlineMark<'insert'>;
export type Superscript = InlineMark<'superscript'>;
export type Mark = InlineMark<'mark'>;
export type Subscript = InlineMark<'subscript'>;

declare module 'mdast' {
  interface PhrasingContentMap {
    insert: Insert;
    superscript: Superscript;
    mark: Mark;
    subscript: Subscript;
  }
  interface RootContentMap {
    insert: Insert;
    superscript: Superscript;
    mark: Mark;
    subscript: Subscript;
  }
}

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    mkdocsInlineMark: 'mkdocsInlineMark';
  }
}

export type RemarkMkdocsInlineMarksOptions = MkdocsInlineMarksSyntaxOptions;

const ELEMENT: Record<InlineMarkKind, string> = { insert: 'ins', superscript: 'sup', mark: 'mark', subscript: 'sub' };
const MARKER: Record<InlineMarkKind, string> = { insert: '^^', superscript: '^', mark: '==', subscript: '~' };
const TOKEN = { mkdocsInsert: 'insert', mkdocsSuperscript: 'superscript', mkdocsMark: 'mark', mkdocsSubscript: 'subscript' } as const;

export default function remarkMkdocsInlineMarks(this: Processor, options: RemarkMkdocsInlineMarksOptions = {}) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(mkdocsInlineMarksSyntax(options));
  (data.fromMarkdownExtensions ??= []).push(mkdocsInlineMarksFromMarkdown());
  (data.toMarkdownExtensions ??= []).push(mkdocsInlineMarksToMarkdown());
}

export function mkdocsInlineMarksFromMarkdown(): FromMarkdownExtension {
  const enter: FromMarkdownExtension['enter'] = {};
  const exit: FromMarkdownExtension['exit'] = {};
  for (const [tokenType, kind] of Object.entries(TOKEN) as Array<[keyof typeof TOKEN, InlineMarkKind]>) {
    enter[tokenType] = function (this: CompileContext, token: Token) {
      this.enter({ type: kind, children: [], data: { hName: ELEMENT[kind] } }, token);
    };
    exit[tokenType] = function (this: CompileContext, token: Token) {
      this.exit(token);
    };
  }
  return { canContainEols: Object.values(TOKEN), enter, exit };
}

export function mkdocsInlineMarksToMarkdown(): ToMarkdownExtension {
  const handler = (node: InlineMark<InlineMarkKind>, _parent: Parents | undefined, state: State, info: Info): string => {
    const marker = MARKER[node.type];
    const exit = state.enter('mkdocsInlineMark');
    const tracker = state.createTracker(info);
    let value = tracker.move(marker);
    value += state.containerPhrasing(node, { ...tracker.current(), before: value, after: marker[0]! });
    value += tracker.move(marker);
    exit();
    return value;
  };
  return { handlers: { insert: handler, superscript: handler, mark: handler, subscript: handler } };
}

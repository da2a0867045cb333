/**
 * mdast side of MkDocs admonitions (mkdocs-admonition-syntax.ts): turns the tokens into `admonition` nodes and
 * back into Markdown.
 *
 *   { type: 'admonition', variant: 'admonition' | 'details', classes: ['note'], open: false, children }
 *
 * The title is the first child, a paragraph marked `data.mkdocsAdmonitionTitle` ('written' for a quoted title,
 * 'default' for one made from the first class, "Note" for `!!! note`); `!!! note ""` has none, `??? note ""`
 * keeps an empty one, as MkDocs does. The nodes carry `data.hName` / `hProperties`, so remark-rehype needs no
 * handler to produce MkDocs Material's markup:
 *   <div class="admonition note"><p class="admonition-title">Title</p>...</div>
 *   <details class="note" open><summary>Title</summary>...</details>
 * `admonitionToHast`, given to remark-rehype's `handlers`, makes the same elements with line breaks between the
 * children, as for block quotes (without it, text extracted from the HTML runs the title into the body).
 * No options.
 */
import type { BlockContent, DefinitionContent, Paragraph, Parent, Parents } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension } from 'mdast-util-from-markdown';
import type { Options as ToMarkdownExtension, Info, State } from 'mdast-util-to-markdown';
import type { State as ToHastState } from 'mdast-util-to-hast';
import type { Element } from 'hast';

export interface Admonition extends Parent {
  type: 'admonition';
  /** `!!!` makes an admonition, `???` and `???+` a collapsible block. */
  variant: 'admonition' | 'details';
  /** Lower-cased class names, the first of which names the kind (note, warning, ...). */
  classes: string[];
  /** `???+`: the collapsible block starts open. */
  open: boolean;
  children: Array<BlockContent | DefinitionContent>;
}

declare module 'mdast' {
  interface BlockContentMap {
    admonition: Admonition;
  }
  interface RootContentMap {
    admonition: Admonition;
  }
  interface Data {
    /** On the title paragraph of an admonition: whether the author wrote it or it comes from the class. */
    mkdocsAdmonitionTitle?: 'written' | 'default';
  }
}

declare module 'mdast-util-from-markdown' {
  interface CompileData {
    mkdocsAdmonitionTitleSeen?: boolean;
  }
}

declare module 'mdast-util-to-markdown' {
  interface ConstructNameMap {
    mkdocsAdmonition: 'mkdocsAdmonition';
  }
}

export function mkdocsAdmonitionFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      mkdocsAdmonition(token) {
        this.enter({ type: 'admonition', variant: 'admonition', classes: [], open: false, children: [] }, token);
      },
      mkdocsAdmonitionFence() {
        this.data.mkdocsAdmonitionTitleSeen = false;
      },
      mkdocsAdmonitionTitle(token) {
        const title: Paragraph = { type: 'paragraph', children: [], data: { mkdocsAdmonitionTitle: 'written' } };
        this.enter(title, token);
      },
    },
    exit: {
      mkdocsAdmonitionMarker(token) {
        const node = current(this);
        const marker = this.sliceSerialize(token);
        node.variant = marker.startsWith('?') ? 'details' : 'admonition';
        node.open = marker === '???+';
      },
      mkdocsAdmonitionClass(token) {
        current(this).classes.push(this.sliceSerialize(token).toLowerCase());
      },
      mkdocsAdmonitionTitleMarker() {
        this.data.mkdocsAdmonitionTitleSeen = true;
      },
      mkdocsAdmonitionTitle(token) {
        this.exit(token);
      },
      mkdocsAdmonitionFence() {
        const node = current(this);
        const first = node.classes[0];
        if (!this.data.mkdocsAdmonitionTitleSeen && first) {
          const text = first.charAt(0).toUpperCase() + first.slice(1);
          node.children.unshift({ type: 'paragraph', children: [{ type: 'text', value: text }], data: { mkdocsAdmonitionTitle: 'default' } });
        } else if (this.data.mkdocsAdmonitionTitleSeen && node.variant === 'details' && !titleOf(node)) {
          // `??? note ""`: MkDocs keeps an empty <summary> (without one, browsers would show "Details").
          node.children.unshift({ type: 'paragraph', children: [], data: { mkdocsAdmonitionTitle: 'written' } });
        }
        this.data.mkdocsAdmonitionTitleSeen = undefined;
      },
      mkdocsAdmonition(token) {
        const node = current(this);
        const title = titleOf(node);
        if (node.variant === 'details') {
          node.data = { ...node.data, hName: 'details', hProperties: { className: node.classes.length ? [...node.classes] : undefined, open: node.open || undefined } };
          if (title) title.data = { ...title.data, hName: 'summary' };
        } else {
          node.data = { ...node.data, hName: 'div', hProperties: { className: ['admonition', ...node.classes] } };
          if (title) title.data = { ...title.data, hProperties: { className: ['admonition-title'] } };
        }
        this.exit(token);
      },
    },
  };
}

function current(context: CompileContext): Admonition {
  const node = context.stack[context.stack.length - 1];
  if (!node || node.type !== 'admonition') throw new Error(`expected an admonition on the stack, not ${node?.type}`);
  return node;
}

/** The title paragraph of an admonition, if it has one. */
export function titleOf(node: Admonition): Paragraph | undefined {
  const first = node.children[0];
  return first?.type === 'paragraph' && first.data?.mkdocsAdmonitionTitle ? first : undefined;
}

/** Writes admonitions back in MkDocs syntax: the marker line, then the body indented four spaces. */
export function mkdocsAdmonitionToMarkdown(): ToMarkdownExtension {
  return { handlers: { admonition: handleAdmonition } };
}

function handleAdmonition(node: Admonition, _parent: Parents | undefined, state: State, info: Info): string {
  const exit = state.enter('mkdocsAdmonition');
  const tracker = state.createTracker(info);
  const marker = node.variant === 'details' ? (node.open ? '???+' : '???') : '!!!';
  let header = tracker.move(`${marker} ${node.classes.join(' ')}`.trimEnd());
  const title = titleOf(node);
  if (!title || title.data?.mkdocsAdmonitionTitle === 'written') {
    header += tracker.move(' "');
    if (title) header += state.containerPhrasing(title, { before: '"', after: '"', ...tracker.current() });
    header += tracker.move('"');
  }
  const body: Admonition = { ...node, children: title ? node.children.slice(1) : node.children };
  const content = body.children.length ? state.containerFlow(body, tracker.current()) : '';
  exit();
  if (!content) return header;
  return `${header}\n${state.indentLines(content, (line, _, blank) => (blank ? '' : '    ') + line)}`;
}

/** remark-rehype handler: the element named by the node's data, its children separated by line breaks. */
export function admonitionToHast(state: ToHastState, node: Admonition): Element {
  const result: Element = { type: 'element', tagName: 'div', properties: {}, children: state.wrap(state.all(node), true) };
  state.patch(node, result);
  return state.applyData(node, result) as Element;
}

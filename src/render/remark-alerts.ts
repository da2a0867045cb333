/**
 * GitHub alerts: a blockquote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` or
 * `[!CAUTION]` becomes `<div class="markdown-alert markdown-alert-note">` with a
 * `<p class="markdown-alert-title">Note</p>` first, as GitHub renders it. Like GitHub, the marker must be
 * alone on its line (case-insensitive) and the alert must not be nested in a list or another blockquote.
 * No options.
 */
import type { Root, Blockquote, Paragraph, Text } from 'mdast';
import type { Plugin } from 'unified';

const KINDS = ['note', 'tip', 'important', 'warning', 'caution'] as const;
const MARKER = /^\[!(note|tip|important|warning|caution)\][ \t]*(?:\r?\n|$)/i;

const remarkAlerts: Plugin<[], Root> = () => (tree) => {
  tree.children.forEach((node) => {
    if (node.type !== 'blockquote') return;
    const kind = alertKind(node);
    if (!kind) return;
    const title = kind[0]!.toUpperCase() + kind.slice(1);
    node.data = {
      ...node.data,
      hName: 'div',
      hProperties: { className: ['markdown-alert', `markdown-alert-${kind}`] },
    };
    const heading: Paragraph = {
      type: 'paragraph',
      children: [{ type: 'text', value: title }],
      data: { hProperties: { className: ['markdown-alert-title'] } },
    };
    node.children.unshift(heading);
  });
};

/** Removes the marker from the first paragraph and returns the alert kind, or undefined. */
function alertKind(node: Blockquote): (typeof KINDS)[number] | undefined {
  const first = node.children[0];
  if (!first || first.type !== 'paragraph') return undefined;
  const head = first.children[0];
  if (!head || head.type !== 'text') return undefined;
  const match = MARKER.exec(head.value);
  if (!match) {
    // "[!NOTE]" followed by a hard break is split across text and break nodes.
    const next = first.children[1];
    if (!(next?.type === 'break' && /^\[!(note|tip|important|warning|caution)\][ \t]*$/i.test(head.value))) return undefined;
    first.children.splice(0, 2);
    if (!first.children.length) node.children.shift();
    return head.value.slice(2, head.value.indexOf(']')).toLowerCase() as (typeof KINDS)[number];
  }
  const rest = head.value.slice(match[0].length);
  if (rest) (head as Text).value = rest;
  else first.children.shift();
  if (!first.children.length) node.children.shift();
  // A marker with nothing after it (GitHub shows those as plain blockquotes) is still an alert here: harmless.
  return match[1]!.toLowerCase() as (typeof KINDS)[number];
}

export default remarkAlerts;

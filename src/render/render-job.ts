/** One page's work, wherever it runs (main thread or worker): its HTML and, when asked, its export Markdown. */
import { markdownPage } from './markdown-page.ts';
import { renderMarkdown } from './render.ts';
import { warning } from '../core/warning.ts';
import type { Root } from 'mdast';
import type { SourceDocument } from '../sources/types.ts';
import type { RenderContext, RenderedPage } from './types.ts';

export async function renderJob(doc: SourceDocument, ctx: RenderContext, markdown: boolean): Promise<RenderedPage> {
  let parsed: Root | undefined;
  let wasParsed = false;
  // A dialect's tree holds nodes the export does not write (admonitions...): the export parses the page itself.
  const page = await renderMarkdown(doc, ctx, markdown ? (tree) => ((wasParsed = true), (parsed = ctx.dialect ? undefined : tree)) : undefined);
  if (markdown && !wasParsed) {
    // The renderer refused to parse the page (too deeply nested or too costly): neither does the export.
    let longest = 2;
    for (const run of doc.text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
    const fence = '`'.repeat(longest + 1);
    page.markdown = { body: `${fence}text\n${doc.text}\n${fence}\n`, stats: emptyStats() };
  } else if (markdown) {
    try {
      page.markdown = await markdownPage(doc, ctx, parsed, page.githubIds);
    } catch (error) {
      // The HTML page stands; its export falls back to the source text.
      page.warnings.push(warning(`${doc.repo}/${doc.path}`, 'export-failed', `could not export as Markdown: ${(error as Error).message}`));
      page.markdown = { body: doc.text, stats: emptyStats() };
    }
  }
  return page;
}

function emptyStats() {
  return { links: { toExport: 0, toGitHub: 0, broken: 0 }, images: { copied: 0, toGitHub: 0 }, html: { kept: 0, dropped: 0, asText: 0 } };
}

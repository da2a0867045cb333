/**
 * What the plugins of one render share through the VFile (`file.data`): the processor is built once and reused
 * for every page, so per-page input and output travel with the file, not in plugin options.
 */
import type { VFile } from 'vfile';
import type { Position } from 'unist';
import { WARNING_SOURCE, type RuleId, type Warning } from '../core/warning.ts';
import type { CrossLink, RenderContext, TocEntry } from './types.ts';

export interface PageData {
  /** "owner/repo/path" of the source, used in warnings. */
  file: string;
  warnings: Warning[];
  crossLinks: CrossLink[];
  linksRewritten: number;
  linksBroken: number;
  highlightMs: number;
  /** Title chosen by rehype-headings (front matter title wins when given as an option there). */
  title?: string;
  toc: TocEntry[];
  ids: string[];
  /** A guide heading's id (MkDocs') -> the id GitHub gives the same heading, where they differ. */
  githubIds?: Record<string, string>;
  description?: string;
}

declare module 'vfile' {
  interface DataMap {
    /** Input: the page's place in the bundle; without it link plugins leave URLs alone. */
    renderContext: RenderContext;
    /** Input: front matter title/description, which win over what the body says. */
    frontMatterTitle: string;
    frontMatterDescription: string;
    /** Output and shared state. */
    page: PageData;
  }
}

/** The page state of a file, created on first use. */
export function pageData(file: VFile): PageData {
  let data = file.data.page;
  if (!data) {
    const ctx = file.data.renderContext;
    data = {
      file: ctx ? `${ctx.repo}/${ctx.path}` : (file.path ?? 'input'),
      warnings: [],
      crossLinks: [],
      linksRewritten: 0,
      linksBroken: 0,
      highlightMs: 0,
      toc: [],
      ids: [],
    };
    file.data.page = data;
  }
  return data;
}

/** Reports a problem of the page the way unified plugins do; the render turns the file's messages into Warnings. */
export function warn(file: VFile, ruleId: RuleId, reason: string, place?: Position): void {
  file.message(reason, { place, ruleId, source: WARNING_SOURCE });
}

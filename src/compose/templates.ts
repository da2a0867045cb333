/** The template engine: Nunjucks with auto-escaping, loading templates/ of the project. */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { pageHref, relativeHref } from '../catalog/urls.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface TemplateEngine {
  render(name: string, context: Record<string, unknown>): string;
}

export function createTemplateEngine(dir = TEMPLATES_DIR): TemplateEngine {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  // Links in templates are computed relative to the page being rendered (`pageUrl` in the context).
  env.addFilter('pageHref', function (this: { ctx: { pageUrl: string } }, toUrl: string, fragment?: string) {
    return pageHref(this.ctx.pageUrl, toUrl, fragment);
  });
  env.addFilter('assetHref', function (this: { ctx: { pageUrl: string } }, toPath: string) {
    return relativeHref(this.ctx.pageUrl, toPath);
  });
  return { render: (name, context) => env.render(name, context) };
}

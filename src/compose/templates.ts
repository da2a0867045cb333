/** The template engine: Nunjucks with auto-escaping, loading templates/ of the project. */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { encodePath, pageFile, pageHref, relativeHref } from '../catalog/urls.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface TemplateEngine {
  render(name: string, context: Record<string, unknown>): string;
}

interface FilterThis {
  ctx: { pageUrl: string; absoluteBase?: string };
}

export function createTemplateEngine(dir = TEMPLATES_DIR): TemplateEngine {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  // Links in templates are relative to the page being rendered (`pageUrl` in the context), except on pages
  // served at any depth (404.html), which set `absoluteBase` to the site's base path.
  env.addFilter('pageHref', function (this: FilterThis, toUrl: string, fragment?: string) {
    const base = this.ctx.absoluteBase;
    if (base !== undefined) {
      const href = base + encodePath(pageFile(toUrl));
      return fragment ? `${href}#${encodeURIComponent(fragment)}` : href;
    }
    return pageHref(this.ctx.pageUrl, toUrl, fragment);
  });
  env.addFilter('assetHref', function (this: FilterThis, toPath: string) {
    const base = this.ctx.absoluteBase;
    return base !== undefined ? base + encodePath(toPath) : relativeHref(this.ctx.pageUrl, toPath);
  });
  return { render: (name, context) => env.render(name, context) };
}

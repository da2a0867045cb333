/** Composition: turns rendered pages and the catalog into the files of the site. */
import type { Config } from '../config/types.ts';
import type { Catalog, CatalogPage } from '../catalog/catalog.ts';
import { pageFile, githubBlobUrl } from '../catalog/urls.ts';
import type { RenderedPage } from '../normalize/types.ts';
import type { TemplateEngine } from './templates.ts';

export interface OutputFile {
  /** Path inside out/. */
  path: string;
  content: string | Buffer;
}

export interface ComposeInput {
  config: Config;
  catalog: Catalog;
  rendered: Map<CatalogPage, RenderedPage>;
  engine: TemplateEngine;
}

export function composeSite({ config, catalog, rendered, engine }: ComposeInput): OutputFile[] {
  const files: OutputFile[] = [];
  const base = { site: config.site, hasGuides: catalog.guides.length > 0 };
  const add = (url: string, template: string, context: Record<string, unknown>) => {
    files.push({ path: pageFile(url), content: engine.render(template, { ...base, pageUrl: url, ...context }) });
  };

  for (const page of catalog.pages) {
    const r = rendered.get(page);
    if (!r) continue;
    add(page.url, 'page.njk', {
      title: r.title,
      description: r.description,
      body: r.html,
      source: { repo: page.doc.repo, path: page.doc.path, commit: page.doc.commitSha, url: githubBlobUrl(page.doc.repo, page.doc.commitSha, page.doc.path) },
    });
  }

  const titleOf = (p: CatalogPage) => rendered.get(p)?.title ?? p.doc.path;
  const sections = new Map<string, { name: string; services: { url: string; title: string; description?: string }[] }>();
  for (const s of catalog.services) {
    const url = `services/${s.slug}/`;
    if (!s.pages.some((p) => p.url === url)) {
      // A repository without a README still gets a page: the list of its docs.
      add(url, 'list.njk', { title: s.title, items: s.pages.map((p) => ({ url: p.url, title: titleOf(p) })) });
    }
    const section = sections.get(s.config.section) ?? { name: s.config.section, services: [] };
    section.services.push({ url, title: s.title, description: s.config.description ?? s.content.meta.description ?? undefined });
    sections.set(s.config.section, section);
  }
  add('services/', 'services.njk', { title: 'Services', sections: [...sections.values()] });
  add('releases/', 'list.njk', { title: 'Releases', items: catalog.releases.map((p) => ({ url: p.url, title: titleOf(p) })) });
  if (catalog.guides.length && !catalog.guides.some((p) => p.url === 'guides/')) {
    add('guides/', 'list.njk', { title: 'Guides', items: catalog.guides.map((p) => ({ url: p.url, title: titleOf(p) })) });
  }
  add('', 'index.njk', { title: '' });
  return files;
}

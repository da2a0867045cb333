/** The release notes as data files: releases/index.json (the model) and releases/feed.xml (Atom). */
import type { SiteConfig } from '../config/types.ts';
import type { CatalogPage } from '../catalog/catalog.ts';
import { pageHref } from '../catalog/urls.ts';
import { github as forge } from '../forge/github.ts';
import type { RenderedPage } from '../render/types.ts';
import { buildReleasesIndex, type Release } from '../releases/index.ts';
import { BUNDLE_VERSION, RELEASES_FEED_FILE as FEED_PATH, RELEASES_INDEX_FILE as INDEX_JSON_PATH } from '../core/bundle.ts';
import type { ReleasePlan } from '../releases/plan.ts';
import { releaseSummary, splitTitle } from '../compose/releases.ts';
export const FEED_ENTRIES = 20;

export function releasesIndexFile(plan: ReleasePlan): { path: string; content: string } {
  const index = buildReleasesIndex(BUNDLE_VERSION, [...plan.core.map((c) => c.release), ...plan.github]);
  return { path: INDEX_JSON_PATH, content: `${JSON.stringify(index, null, 2)}\n` };
}

/** Text for XML: escaped, and without the characters XML 1.0 cannot carry (control characters, lone surrogates). */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function absoluteUrl(site: SiteConfig, url: string): string | undefined {
  if (!site.origin) return undefined;
  const base = site.baseUrl.endsWith('/') ? site.baseUrl : `${site.baseUrl}/`;
  return `${site.origin.replace(/\/+$/, '')}${base}${url}`;
}

/**
 * Atom 1.0. Ids are tag: URIs named after the notes' place on GitHub, so they stay the same wherever the site
 * is hosted; `updated` is the first day of the release month, so two builds of the same input are identical.
 * Links are absolute with site.origin, else relative to the feed (and xml:base makes the content's relative
 * links resolve from the release page).
 */
export function atomFeed(plan: ReleasePlan, rendered: Map<CatalogPage, RenderedPage>, site: SiteConfig): string {
  const entries = plan.core.slice(0, FEED_ENTRIES);
  const updated = (r: Release) => `${String(r.year).padStart(4, '0')}-${String(r.month).padStart(2, '0')}-01T00:00:00Z`;
  const href = (url: string) => absoluteUrl(site, url) ?? (pageHref('releases/', url).replace(/index\.html$/, '') || './');
  const self = absoluteUrl(site, FEED_PATH) ?? 'feed.xml';
  const tagBase = forge.feedTagUri(plan.notesRepo, plan.notesPath);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(tagBase)}</id>`,
    `  <title>${xmlText(`${site.title}: Gen3 releases`)}</title>`,
    `  <subtitle>The monthly Gen3 core release notes, newest first.</subtitle>`,
    `  <updated>${entries[0] ? updated(entries[0].release) : '1970-01-01T00:00:00Z'}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(href('releases/'))}"/>`,
    `  <author><name>${xmlText(site.title)}</name></author>`,
    '  <generator>gen3-docs-aggregator</generator>',
  ];
  for (const entry of entries) {
    const { release, page } = entry;
    const summary = releaseSummary(entry);
    const counts = summary.counts.filter((c) => c.count).map((c) => `${c.count} ${c.name}`);
    const text = `${summary.items} changes in ${summary.services} services${counts.length ? `: ${counts.join(', ')}` : ''}.`;
    const body = rendered.get(page);
    lines.push(
      '  <entry>',
      `    <id>${xmlText(`${tagBase}/${release.version}`)}</id>`,
      `    <title>${xmlText(`Gen3 ${release.version}${release.codename ? ` (${release.codename})` : ''}`)}</title>`,
      `    <updated>${updated(release)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(href(page.url))}"/>`,
      `    <summary>${xmlText(text)}</summary>`,
    );
    if (body) lines.push(`    <content type="html" xml:base="${xmlText(href(page.url))}">${xmlText(splitTitle(body.html).rest.trim())}</content>`);
    lines.push('  </entry>');
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

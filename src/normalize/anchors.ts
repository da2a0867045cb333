/**
 * Matching a link's fragment to the ids of its target page, shared by rehype-anchors (same page) and
 * cross-links (other pages). In order: the exact id; `top` (browsers scroll to the top); the GitHub slug of the
 * fragment (`#Azure-AD-Registration` -> `azure-ad-registration`); a case-insensitive match; the id renamed by
 * rehype-ids (`user-content-site-x`); a loose match that also accepts MkDocs spellings (`how-to_4` for
 * `how-to-4`, runs of `-` collapsed), if exactly one id matches.
 */
import { slug } from 'github-slugger';

const loose = (s: string) => s.toLowerCase().replace(/_(\d+)$/, '-$1').replace(/[-_\s]+/g, '-').replace(/^-|-$/g, '');

export function matchFragment(fragment: string, ids: ReadonlySet<string>): string | undefined {
  if (ids.has(fragment) || fragment === 'top') return fragment;
  const slugged = slug(fragment);
  if (ids.has(slugged)) return slugged;
  const lower = fragment.toLowerCase();
  let found: string | undefined;
  for (const id of ids) if (id.toLowerCase() === lower) return id;
  if (ids.has(`user-content-${fragment}`)) return `user-content-${fragment}`;
  const key = loose(fragment);
  if (!key) return undefined;
  for (const id of ids) {
    if (loose(id) !== key) continue;
    if (found) return undefined;
    found = id;
  }
  return found;
}

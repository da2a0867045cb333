/**
 * Matching a link's fragment to the ids of its target page, shared by rehype-anchors (same page) and
 * cross-links (other pages). In order: the exact id; `top` (browsers scroll to the top); the prefixed id
 * (`#x` -> `user-content-x`: an anchor written in raw HTML, or an id rehype-ids renamed, reached the way
 * GitHub's own script maps it); the id a link copied from GitHub's page means (`#user-content-x` -> `x`); the
 * GitHub slug of the fragment (`#Azure-AD-Registration` -> `azure-ad-registration`); a case-insensitive match,
 * prefixed or not; a loose match that also accepts MkDocs spellings (`how-to_4` for `how-to-4`, runs of `-`
 * collapsed), if exactly one id matches.
 */
import { slug } from 'github-slugger';
import { CLOBBER_PREFIX } from './sanitize-schema.ts';

const loose = (s: string) => s.toLowerCase().replace(/_(\d+)$/, '-$1').replace(/[-_\s]+/g, '-').replace(/^-|-$/g, '');

export function matchFragment(fragment: string, ids: ReadonlySet<string>): string | undefined {
  if (ids.has(fragment) || fragment === 'top') return fragment;
  if (ids.has(CLOBBER_PREFIX + fragment)) return CLOBBER_PREFIX + fragment;
  const unprefixed = fragment.startsWith(CLOBBER_PREFIX) ? fragment.slice(CLOBBER_PREFIX.length) : undefined;
  if (unprefixed && ids.has(unprefixed)) return unprefixed;
  const slugged = slug(fragment);
  if (ids.has(slugged)) return slugged;
  const lower = fragment.toLowerCase();
  const lowerPrefixed = (CLOBBER_PREFIX + fragment).toLowerCase();
  for (const id of ids) if (id.toLowerCase() === lower) return id;
  for (const id of ids) if (id.toLowerCase() === lowerPrefixed) return id;
  const key = loose(fragment);
  if (!key) return undefined;
  let found: string | undefined;
  for (const id of ids) {
    if (loose(id) !== key) continue;
    if (found) return undefined;
    found = id;
  }
  return found;
}

/** The change categories of the Gen3 PR template, and the spellings the release notes used for them. */

export const CANONICAL_CATEGORIES = [
  'New Features',
  'Breaking Changes',
  'Bug Fixes',
  'Improvements',
  'Dependency Updates',
  'Deployment Changes',
] as const;

export type CanonicalCategory = (typeof CANONICAL_CATEGORIES)[number];

/** Matched against the cleaned, lower-cased heading (see `cleanHeading`). */
export const CATEGORY_PATTERNS: ReadonlyArray<readonly [RegExp, CanonicalCategory]> = [
  [/^(?:new )?features?$|^feat$/, 'New Features'],
  [/^breaking(?: changes?)?$/, 'Breaking Changes'],
  [/^bug ?fix(?:es)?$|^bug-fix(?:es)?$|^fix(?:es)?$|^bugs? fixed$/, 'Bug Fixes'],
  [/^improvements?$|^enhancements?$/, 'Improvements'],
  [/^dependency (?:updates?|upgrades?|changes?|bumps?)$|^dependencies(?: updates?)?$|^deps$/, 'Dependency Updates'],
  [/^deployment (?:changes?|notes?)$/, 'Deployment Changes'],
];

/**
 * Heading text without what the generator or a PR description left around it: leading "#" (a PR heading
 * pasted under a category heading), emphasis markers, a trailing colon, repeated spaces.
 */
export function cleanHeading(heading: string): string {
  return heading
    .replace(/^[\s#]+/, '')
    .replace(/[*_`]+/g, '')
    .replace(/\s*:\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface NormalisedCategory {
  name: string;
  known: boolean;
  /** The heading was itself a pasted Markdown heading ("# Changes Included In This Pr"). */
  stray: boolean;
}

export function normaliseCategory(heading: string): NormalisedCategory {
  const cleaned = cleanHeading(heading);
  const stray = /^\s*#/.test(heading);
  const key = cleaned.toLowerCase();
  for (const [pattern, name] of CATEGORY_PATTERNS) {
    if (pattern.test(key)) return { name, known: true, stray };
  }
  return { name: cleaned, known: false, stray };
}

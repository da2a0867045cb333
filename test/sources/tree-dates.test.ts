import { describe, expect, it } from 'vitest';
import { treeEntryFromApi } from '../../src/sources/shared.ts';

describe('tree entry dates', () => {
  it('keeps the day of a snapshot entry\'s date and drops one that does not parse', () => {
    const entry = { path: 'README.md', mode: '100644', type: 'blob', sha: 'a'.repeat(40) };
    expect(treeEntryFromApi({ ...entry, date: '2026-04-30T12:00:00Z' })?.updated).toBe('2026-04-30');
    expect(treeEntryFromApi({ ...entry, date: 'last Tuesday' })?.updated).toBeUndefined();
    expect(treeEntryFromApi({ ...entry, date: '2026-13-45' })?.updated).toBeUndefined();
    // GitHub's own tree has no date: nothing is made up.
    expect(treeEntryFromApi(entry)).toEqual({ ...entry });
  });
});

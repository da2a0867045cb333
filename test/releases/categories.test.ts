import { describe, expect, it } from 'vitest';
import { CANONICAL_CATEGORIES, cleanHeading, normaliseCategory } from '../../src/releases/categories.ts';

describe('normaliseCategory', () => {
  it.each([
    // every spelling the release notes used, and the obvious neighbours
    ['New Features', 'New Features'],
    ['New Feature', 'New Features'],
    ['Features', 'New Features'],
    ['Feature', 'New Features'],
    ['feat', 'New Features'],
    ['Breaking Changes', 'Breaking Changes'],
    ['Breaking Change', 'Breaking Changes'],
    ['BREAKING', 'Breaking Changes'],
    ['Bug Fixes', 'Bug Fixes'],
    ['Bug fixes', 'Bug Fixes'],
    ['Bug Fixes:', 'Bug Fixes'],
    ['Bug Fix', 'Bug Fixes'],
    ['Bugfixes', 'Bug Fixes'],
    ['Bugfix', 'Bug Fixes'],
    ['Bug-fixes', 'Bug Fixes'],
    ['Fixes', 'Bug Fixes'],
    ['Fix', 'Bug Fixes'],
    ['Bugs fixed', 'Bug Fixes'],
    ['Improvements', 'Improvements'],
    ['Improvement', 'Improvements'],
    ['Enhancements', 'Improvements'],
    ['Dependency Updates', 'Dependency Updates'],
    ['Dependency Update', 'Dependency Updates'],
    ['Dependency updates', 'Dependency Updates'],
    ['Dependency upgrades', 'Dependency Updates'],
    ['Dependencies', 'Dependency Updates'],
    ['Deployment Changes', 'Deployment Changes'],
    ['Deployment changes', 'Deployment Changes'],
    ['Deployment Change', 'Deployment Changes'],
    ['Deployment notes', 'Deployment Changes'],
    ['**Bug Fixes**', 'Bug Fixes'],
    ['  Improvements  ', 'Improvements'],
  ])('%j -> %s', (heading, name) => {
    expect(normaliseCategory(heading)).toEqual({ name, known: true, stray: false });
  });

  it.each([
    ['Config Changes', 'Config Changes', false],
    ['Note', 'Note', false],
    ['Chore', 'Chore', false],
    ['Screen Shots', 'Screen Shots', false],
    ['# Changes Included In This Pr', 'Changes Included In This Pr', true],
    ['## By Pinning:', 'By Pinning', true],
    ['## Before: Screenshot Of The Old Page.', 'Before: Screenshot Of The Old Page.', true],
  ])('%j is unknown and kept as %j', (heading, name, stray) => {
    expect(normaliseCategory(heading)).toEqual({ name, known: false, stray });
  });

  it('recognises a known category behind a stray "#"', () => {
    expect(normaliseCategory('# Bug Fixes')).toEqual({ name: 'Bug Fixes', known: true, stray: true });
  });

  it('maps only to the six canonical names', () => {
    expect(CANONICAL_CATEGORIES).toEqual(['New Features', 'Breaking Changes', 'Bug Fixes', 'Improvements', 'Dependency Updates', 'Deployment Changes']);
  });

  it('cleans headings', () => {
    expect(cleanHeading('  ##  Before :  ')).toBe('Before');
    expect(cleanHeading('`Bug`   _Fixes_')).toBe('Bug Fixes');
    expect(cleanHeading('')).toBe('');
  });
});

/**
 * The sidebar of a section at any size: small trees are shown whole on every page; a large one shows each page its
 * own branch, with "N more pages" links to the section's contents page, so that a page's sidebar does not grow
 * with the section, and no page is out of reach without script (built at 300 and 3,000 pages in
 * test/hostile/sidebar-size.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { NavItem } from '../../src/compose/nav.ts';
import { SectionNav, type SidebarItem } from '../../src/compose/sidebar.ts';

const leaf = (n: number): NavItem => ({ title: `Page ${n}`, url: `s/p${n}/`, children: [] });
const folder = (n: number, pages: number): NavItem => ({
  title: `Folder ${n}`,
  url: `s/f${n}/`,
  children: Array.from({ length: pages }, (_, i) => leaf(n * 1000 + i)),
});

/** Titles of a view, with folders' children in brackets. */
const shape = (items: NavItem[]): string[] =>
  items.map((i) => ((i as SidebarItem).more !== undefined ? `(${i.title})` : i.children.length ? `${i.title} [${shape(i.children).join(', ')}]` : i.title));

describe('SectionNav', () => {
  const items = Array.from({ length: 30 }, (_, n) => folder(n, 20));
  const nav = new SectionNav(items, { root: { title: 'Root', url: 's/', children: items }, contentsUrl: 's/all-pages/' });

  it('finds trail and neighbours through its maps', () => {
    expect(nav.trail('s/p5003/').map((i) => i.title)).toEqual(['Folder 5', 'Page 5003']);
    expect(nav.trail('nowhere/')).toEqual([]);
    expect(nav.neighbours('s/').next?.title).toBe('Folder 0');
    expect(nav.neighbours('s/f1/').prev?.title).toBe('Page 19');
    const { prev, next } = nav.neighbours('s/p5000/');
    expect([prev?.title, next?.title]).toEqual(['Folder 5', 'Page 5001']);
    expect(nav.order).toHaveLength(1 + 30 * 21);
  });

  it('shows a large tree as the branch of the page: windows on the way down, the rest counted', () => {
    expect(nav.partial).toBe(true);
    const view = nav.view('s/p5003/');
    expect(view.treeScript).toBe('s/all-pages/nav.js');
    const top = shape(view.items);
    // Folders 0..12 around folder 5 (the window is shifted to stay full at the start), then the rest counted.
    expect(top).toHaveLength(14);
    expect(top[0]).toBe('Folder 0 [(All 20 pages)]');
    expect(top[13]).toBe('(357 more pages)');
    expect(top[5]).toBe('Folder 5 [Page 5000, Page 5001, Page 5002, Page 5003, Page 5004, Page 5005, Page 5006, Page 5007, Page 5008, Page 5009, Page 5010, Page 5011, Page 5012, (7 more pages)]');
    const inFolder = view.items[5]!;
    expect(inFolder.open).toBe(true);
    expect((inFolder.children.at(-1) as SidebarItem).anchor).toBe('folder-6');
    // At the end of the list the window ends there, and what is before it is counted.
    const last = shape(nav.view('s/p29019/').items);
    expect(last[0]).toBe('(357 more pages)');
    expect(last.at(-1)).toMatch(/^Folder 29 \[\(7 more pages\), Page 29007, .*Page 29019\]$/);
  });

  it('a page off the tree (the contents page) gets the first items', () => {
    expect(shape(nav.view('s/all-pages/').items).slice(-2)).toEqual(['Folder 12 [(All 20 pages)]', '(357 more pages)']);
  });

  it('shows a small tree whole, as it is', () => {
    const small = new SectionNav([folder(1, 3), leaf(9)], { contentsUrl: 's/all-pages/' });
    expect(small.partial).toBe(false);
    const view = small.view('s/p1001/');
    expect(view.items).toBe(small.items);
    expect(view.expanded.map((i) => i.title)).toEqual(['Folder 1', 'Page 1001']);
    expect(view.treeScript).toBeUndefined();
  });

  it('writes the whole tree as a script, page files encoded', () => {
    const odd = new SectionNav([{ title: 'A "quoted" </script> title', url: 's/with space#/', children: [] }, { title: 'Out', href: 'https://example.org/', children: [] }], { contentsUrl: 's/all-pages/', limit: 0 });
    const script = odd.treeScript();
    const assigned = new Function('self', `${script}; return self.gen3DocsSidebar;`)({}) as { items: unknown[] };
    expect(assigned.items).toEqual([
      { t: 'A "quoted" </script> title', u: 's/with%20space%23/index.html' },
      { t: 'Out', h: 'https://example.org/' },
    ]);
  });
});

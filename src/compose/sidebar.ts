/**
 * The sidebar of a section (a service, the guides, the releases) as each of its pages shows it, at a cost per page
 * that does not grow with the section.
 *
 * A section whose tree is small is shown whole on every page, as it always was. A large one would repeat
 * thousands of links on each of thousands of pages (a site quadratic in size), so each page carries only its
 * own branch: at every level down to the page, a window of items around the way to it, the page's first children,
 * and "N more pages" links to the section's contents page, which lists every page. The whole tree is written
 * once per section as a classic script (`<contents>/nav.js`, which works from disk where a fetch of JSON would
 * not), and assets/sidebar.js puts it in place of the partial list when script runs.
 *
 * Everything a page needs (its trail, previous/next, its partial tree) is found through maps made once per
 * section, so composing N pages costs O(N) in all.
 */
import { encodePath, pageFile } from '../catalog/urls.ts';
import type { NavItem } from './nav.ts';

export interface SidebarItem extends NavItem {
  children: SidebarItem[];
  /** A stand-in for items a partial sidebar leaves out: how many pages, listed on the contents page. */
  more?: number;
  /** The stand-in replaces a whole folder's list (nothing of it is shown). */
  all?: boolean;
  /** Fragment of the contents page where the left-out items are. */
  anchor?: string;
}

/** A tree whose links would take more than this (estimated) is shown in part. */
export const FULL_SIDEBAR_BYTES = 24_000;
/** Items shown on each side of the way to the current page, at every level of a partial sidebar. */
const SIBLINGS = 6;
const WINDOW = 2 * SIBLINGS + 1;

/** Rough bytes of a tree as the sidebar macro writes it: the link, its relative href and the list markup. */
function estimatedBytes(items: NavItem[]): number {
  let bytes = 0;
  for (const item of items) bytes += 60 + item.title.length + 1.5 * (item.url ?? item.href ?? '').length + estimatedBytes(item.children);
  return bytes;
}

/** What a page's sidebar shows. */
export interface SidebarView {
  items: NavItem[];
  /** Items shown expanded besides those marked open: the way to the page. */
  expanded: NavItem[];
  /** Set when `items` is partial: the whole tree's script and the page that lists every page. */
  treeScript?: string;
  contentsUrl?: string;
}

export class SectionNav {
  /** Pages in reading order (depth first), each URL once, for previous/next. */
  readonly order: NavItem[] = [];
  /** Whether pages show only their branch (see the file comment). */
  readonly partial: boolean;
  private readonly position = new Map<string, number>();
  private readonly byUrl = new Map<string, NavItem>();
  private readonly parent = new Map<NavItem, NavItem | undefined>();
  private readonly index = new Map<NavItem, number>();
  /** Per list of items, the number of pages before each position (prefix sums), for the "N more" counts. */
  private readonly pagesBefore = new Map<NavItem[], number[]>();
  private readonly anchors = new Map<NavItem, string>();

  /**
   * `items` is the tree below the sidebar's title; `root`, when the title is a page itself (a service's README),
   * leads the reading order. `contentsUrl` is where a partial sidebar's contents page goes.
   */
  constructor(
    readonly items: NavItem[],
    readonly options: { root?: NavItem; contentsUrl: string; limit?: number },
  ) {
    if (options.root?.url) this.addToOrder(options.root);
    this.walk(items, undefined);
    this.partial = estimatedBytes(items) > (options.limit ?? FULL_SIDEBAR_BYTES);
  }

  private addToOrder(item: NavItem): void {
    if (!item.url || this.position.has(item.url)) return;
    this.position.set(item.url, this.order.length);
    this.order.push(item);
  }

  private walk(list: NavItem[], parent: NavItem | undefined): number {
    const prefix = [0];
    list.forEach((item, i) => {
      this.parent.set(item, parent);
      this.index.set(item, i);
      this.addToOrder(item);
      if (item.url && !this.byUrl.has(item.url)) this.byUrl.set(item.url, item);
      let pages = item.url || item.href ? 1 : 0;
      if (item.children.length) {
        this.anchors.set(item, `folder-${this.anchors.size + 1}`);
        pages += this.walk(item.children, item);
      }
      prefix.push(prefix[i]! + pages);
    });
    this.pagesBefore.set(list, prefix);
    return prefix[list.length]!;
  }

  /** The chain of items from the top of the tree down to the page (the root not included); [] if not in it. */
  trail(url: string): NavItem[] {
    const chain: NavItem[] = [];
    for (let item = this.byUrl.get(url); item; item = this.parent.get(item)) chain.push(item);
    return chain.reverse();
  }

  neighbours(url: string): { prev?: NavItem; next?: NavItem } {
    const i = this.position.get(url);
    if (i === undefined) return {};
    return { prev: this.order[i - 1], next: this.order[i + 1] };
  }

  /** The sidebar of one page: the whole tree, or its branch of it when the tree is large. */
  view(url: string): SidebarView {
    const trail = this.trail(url);
    if (!this.partial) return { items: this.items, expanded: trail };
    return {
      items: this.branch(this.items, trail, 0, undefined),
      expanded: [],
      treeScript: this.treeScriptPath,
      contentsUrl: this.options.contentsUrl,
    };
  }

  get treeScriptPath(): string {
    return `${this.options.contentsUrl}nav.js`;
  }

  /** A window of `list` around the way to the page, each folder off the way closed to one "N pages" link. */
  private branch(list: NavItem[], chain: NavItem[], depth: number, owner: NavItem | undefined): SidebarItem[] {
    const onWay = chain[depth];
    const at = onWay ? this.index.get(onWay)! : -1;
    const to = Math.min(list.length, Math.max(0, at - SIBLINGS) + WINDOW);
    const from = Math.max(0, to - WINDOW);
    const before = this.pagesBefore.get(list)!;
    const out: SidebarItem[] = [];
    if (from > 0) out.push(this.more(before[from]!, owner, false));
    for (let i = from; i < to; i++) {
      const item = list[i]!;
      if (!item.children.length) out.push({ ...item, children: [] });
      else if (item === onWay) out.push({ ...item, open: true, children: this.branch(item.children, chain, depth + 1, item) });
      else out.push({ ...item, open: false, children: [this.more(this.pagesBefore.get(item.children)!.at(-1)!, item, true)] });
    }
    if (to < list.length) out.push(this.more(before[list.length]! - before[to]!, owner, false));
    return out;
  }

  private more(pages: number, owner: NavItem | undefined, all: boolean): SidebarItem {
    return { title: all ? `All ${pages} pages` : `${pages} more ${pages === 1 ? 'page' : 'pages'}`, url: this.options.contentsUrl, more: pages, all, anchor: owner && this.anchors.get(owner), children: [] };
  }

  /** The whole tree with an id on each folder, for the contents page. */
  contents(): SidebarItem[] {
    const copy = (list: NavItem[]): SidebarItem[] => list.map((item) => ({ ...item, anchor: this.anchors.get(item), children: copy(item.children) }));
    return copy(this.items);
  }

  /**
   * The whole tree as a classic script that assigns it to `gen3DocsSidebar` (assets/sidebar.js reads it).
   * Items are {t: title, u: page file (encoded, out-relative), h: external link, o: open, c: children}.
   */
  treeScript(): string {
    const compact = (list: NavItem[]): unknown[] =>
      list.map((item) => ({
        t: item.title,
        ...(item.url !== undefined ? { u: encodePath(pageFile(item.url)) } : {}),
        ...(item.href ? { h: item.href } : {}),
        ...(item.open ? { o: 1 } : {}),
        ...(item.children.length ? { c: compact(item.children) } : {}),
      }));
    return `self.gen3DocsSidebar = ${JSON.stringify({ items: compact(this.items) })};\n`;
  }
}

/** `wanted`, or `wanted-2/`, `wanted-3/`... whichever no page of the bundle has (URLs compare without case). */
export function freeUrl(wanted: string, taken: Set<string>): string {
  let url = wanted;
  for (let n = 2; taken.has(url.toLowerCase()); n++) url = wanted.replace(/\/$/, `-${n}/`);
  taken.add(url.toLowerCase());
  return url;
}

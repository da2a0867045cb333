// The sidebar: the button that opens it on small screens, and the whole tree of a large section. A classic
// script, not a module, so that it runs when the site is opened from disk as well.
//
// A page of a large section carries only its own branch of the tree (with "N more pages" links to the section's
// contents page); the whole tree is the section's nav.js, loaded just before this script, which assigns it to
// gen3DocsSidebar: {items: [{t: title, u: page file from the site root, h: external link, o: open, c: children}]}.
// Page content may name elements after anything (ids and names are kept as written), so document methods are
// called from the prototype and the tree is checked before use.
(() => {
  const doc = document;
  const query = (selector) => Document.prototype.querySelector.call(doc, selector);
  const create = (tag) => Document.prototype.createElement.call(doc, tag);

  const sidebar = query('aside.sidebar');
  if (!sidebar) return;
  const button = sidebar.querySelector('[data-sidebar-toggle]');
  button?.addEventListener('click', () => {
    const open = !sidebar.classList.contains('open');
    sidebar.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
  });

  const nav = sidebar.querySelector('nav.sidebar-nav');
  const current = nav?.getAttribute('data-sidebar-page');
  const tree = self.gen3DocsSidebar;
  if (!current || !tree || !Array.isArray(tree.items)) return;
  // Page files are named from the site root; this page is `current`, so the root is that many folders up.
  const root = new URL('../'.repeat(current.split('/').length - 1) || './', location.href);
  const isList = (c) => Array.isArray(c) && c.length > 0;

  /** The items from the top down to the current page. */
  const wayTo = (items) => {
    for (const item of items) {
      if (item.u === current) return [item];
      if (isList(item.c)) {
        const below = wayTo(item.c);
        if (below) return [item, ...below];
      }
    }
    return undefined;
  };
  const onWay = new Set(wayTo(tree.items) ?? []);
  let currentLink;

  const link = (file, title) => {
    const a = create('a');
    a.href = new URL(file, root).href;
    a.textContent = title;
    if (file === current) {
      a.setAttribute('aria-current', 'page');
      currentLink = a;
    }
    return a;
  };

  // The same markup as the page's own (templates/macros.njk navList). A closed folder's list is made when it
  // is first opened, so that a page of a section of thousands builds only what shows.
  const list = (items, parent) => {
    const ul = create('ul');
    const add = (child) => {
      const li = create('li');
      li.append(child);
      ul.append(li);
    };
    if (parent && typeof parent.u === 'string') add(link(parent.u, 'Overview'));
    for (const item of items) {
      const title = String(item.t ?? '');
      if (isList(item.c)) {
        const details = create('details');
        const summary = create('summary');
        const label = create('span');
        label.textContent = title;
        summary.append(label);
        details.append(summary);
        if (item.o || onWay.has(item)) {
          details.open = true;
          details.append(list(item.c, item));
        } else {
          details.addEventListener('toggle', () => {
            if (details.open && details.children.length === 1) details.append(list(item.c, item));
          });
        }
        add(details);
      } else if (typeof item.h === 'string' && /^(https?:|mailto:)/i.test(item.h)) {
        const a = create('a');
        a.href = item.h;
        a.className = 'external';
        a.textContent = title;
        add(a);
      } else if (typeof item.u === 'string') {
        add(link(item.u, title));
      }
    }
    return ul;
  };

  const partial = nav.querySelector(':scope > ul');
  if (!partial) return;
  partial.replaceWith(list(tree.items));
  // Keep the current page in sight where the sidebar scrolls on its own (wide screens).
  if (currentLink && nav.scrollHeight > nav.clientHeight) {
    const offset = currentLink.getBoundingClientRect().top - nav.getBoundingClientRect().top;
    nav.scrollTop += offset - nav.clientHeight / 3;
  }
})();

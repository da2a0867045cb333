// Site behaviour: theme toggle, search over the Pagefind index.
const THEME_KEY = 'gen3-docs-theme';
const root = document.documentElement;
// The site's root folder, from this script's own address (assets/site.js), so paths work under any base path.
const siteRoot = new URL('../', import.meta.url);

function effectiveTheme() {
  if (root.dataset.theme === 'dark' || root.dataset.theme === 'light') return root.dataset.theme;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

for (const button of document.querySelectorAll('[data-theme-toggle]')) {
  const sync = () => button.setAttribute('aria-pressed', String(effectiveTheme() === 'dark'));
  sync();
  button.addEventListener('click', () => {
    const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    root.dataset.theme = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    sync();
  });
}

// The sidebar (its button on small screens, a large section's whole tree) is assets/sidebar.js: a classic
// script, so that it also works from disk, where browsers refuse module scripts.

// Search -------------------------------------------------------------------------------------------------

let pagefindPromise;
function loadPagefind() {
  pagefindPromise ??= import(new URL('pagefind/pagefind.js', siteRoot).href).then(async (pf) => {
    await pf.options({ excerptLength: 24 });
    pf.init();
    return pf;
  });
  return pagefindPromise;
}

/** Pagefind excerpts are text with <mark> around hits: keep only that, as DOM nodes, never as HTML. */
function excerptNodes(excerpt) {
  const doc = new DOMParser().parseFromString(`<body>${excerpt}</body>`, 'text/html');
  const out = document.createDocumentFragment();
  for (const node of doc.body.childNodes) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent ?? ''));
    }
  }
  return out;
}

function hitLink(data) {
  const a = document.createElement('a');
  a.className = 'search-hit';
  a.href = new URL(data.url.replace(/^\/+/, ''), siteRoot).href;
  const title = document.createElement('span');
  title.className = 'search-hit-title';
  title.textContent = data.meta?.title || data.url;
  const where = document.createElement('span');
  where.className = 'search-hit-path';
  where.textContent = data.url.replace(/^\/+/, '').replace(/index\.html$/, '') || '/';
  const excerpt = document.createElement('span');
  excerpt.className = 'search-hit-excerpt';
  excerpt.append(excerptNodes(data.excerpt ?? ''));
  a.append(title, where, excerpt);
  return a;
}

async function runSearch(query, limit) {
  const pf = await loadPagefind();
  const found = await pf.search(query);
  if (!found) return { total: 0, hits: [] };
  const hits = await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
  return { total: found.results.length, hits };
}

function searchPageHref(query) {
  const url = new URL('search/index.html', siteRoot);
  url.searchParams.set('q', query);
  return url.href;
}

const unavailable = 'Search works when the site is served over HTTP, e.g. with npm run preview.';

for (const input of document.querySelectorAll('[data-search-input]')) {
  const popup = input.form.querySelector('[data-search-popup]');
  let timer;
  let latest = 0;
  const close = () => {
    popup.hidden = true;
  };
  input.setAttribute('aria-controls', 'search-popup');
  popup.id = 'search-popup';
  input.addEventListener('focus', () => loadPagefind().catch(() => {}), { once: true });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) return close();
    timer = setTimeout(async () => {
      const ticket = ++latest;
      let result;
      try {
        result = await runSearch(query, 6);
      } catch {
        result = undefined;
      }
      if (ticket !== latest) return;
      popup.replaceChildren();
      if (!result) {
        const p = document.createElement('p');
        p.className = 'search-empty';
        p.textContent = unavailable;
        popup.append(p);
      } else if (!result.hits.length) {
        const p = document.createElement('p');
        p.className = 'search-empty';
        p.textContent = `No pages match “${query}”.`;
        popup.append(p);
      } else {
        for (const hit of result.hits) popup.append(hitLink(hit));
        const all = document.createElement('a');
        all.className = 'search-all';
        all.href = searchPageHref(query);
        all.textContent = result.total === 1 ? 'Open the search page' : `All ${result.total} results`;
        popup.append(all);
      }
      popup.hidden = false;
    }, 120);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
    if (event.key === 'ArrowDown' && !popup.hidden) {
      event.preventDefault();
      popup.querySelector('a')?.focus();
    }
  });
  popup.addEventListener('keydown', (event) => {
    const links = [...popup.querySelectorAll('a')];
    const i = links.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && i >= 0) {
      event.preventDefault();
      links[Math.min(i + 1, links.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && i >= 0) {
      event.preventDefault();
      (i === 0 ? input : links[i - 1]).focus();
    } else if (event.key === 'Escape') {
      close();
      input.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!input.form.contains(event.target)) close();
  });
}

const pageInput = document.querySelector('[data-search-page-input]');
if (pageInput) {
  const status = document.querySelector('[data-search-status]');
  const list = document.querySelector('[data-search-results]');
  const query = new URLSearchParams(location.search).get('q')?.trim() ?? '';
  pageInput.value = query;
  if (query) {
    status.textContent = 'Searching…';
    runSearch(query, 50).then(
      (result) => {
        status.textContent = result.total
          ? `${result.total} ${result.total === 1 ? 'page matches' : 'pages match'} “${query}”${result.total > 50 ? '; the first 50 are shown' : ''}.`
          : `No pages match “${query}”.`;
        list.replaceChildren(
          ...result.hits.map((hit) => {
            const li = document.createElement('li');
            li.append(hitLink(hit));
            return li;
          }),
        );
      },
      () => {
        status.textContent = unavailable;
      },
    );
  }
}

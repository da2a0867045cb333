// Site behaviour: theme toggle and search over the Pagefind index.
// A classic deferred script, not a module: browsers refuse module scripts on pages opened from disk (file://).
'use strict';
const THEME_KEY = 'gen3-docs-theme';

// Named elements of a page become properties of `document` (<img name="querySelectorAll">), shadowing even
// its own methods, and of `window`. The renderer prefixes the names of content so that none can; this script
// does not rely on it: it takes document's methods and getters from the prototypes and never reads them from
// `document` itself. What it uses of `window` (document, location, localStorage, matchMedia, the
// constructors) are window's own properties, which named elements cannot shadow.
const docMethod = (name) => (...args) => Document.prototype[name].apply(document, args);
const docGetter = (name) => Object.getOwnPropertyDescriptor(Document.prototype, name).get;
const $ = docMethod('querySelector');
const $$ = docMethod('querySelectorAll');
const createElement = docMethod('createElement');
const createTextNode = docMethod('createTextNode');
const createDocumentFragment = docMethod('createDocumentFragment');
const activeElement = () => docGetter('activeElement').call(document);
const bodyOf = (doc) => docGetter('body').call(doc);
const onDocument = (type, listener) => EventTarget.prototype.addEventListener.call(document, type, listener);
const root = docGetter('documentElement').call(document);
// The site's root folder, from this script's own address (assets/site.js), so paths work under any base path.
const siteRoot = new URL('../', docGetter('currentScript').call(document).src);

function effectiveTheme() {
  if (root.dataset.theme === 'dark' || root.dataset.theme === 'light') return root.dataset.theme;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

for (const button of $$('[data-theme-toggle]')) {
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

// The sidebar (its button on small screens, a large section's whole tree) is assets/sidebar.js.

// Search -------------------------------------------------------------------------------------------------

let pagefindPromise;
function loadPagefind() {
  pagefindPromise ??= import(new URL('pagefind/pagefind.js', siteRoot).href).then(async (pf) => {
    await pf.options({ excerptLength: 24 });
    // Awaited so that a failure (Pagefind reads document.querySelector itself) reaches the search box's handler.
    await pf.init();
    return pf;
  });
  return pagefindPromise;
}

/** Pagefind excerpts are text with <mark> around hits: keep only that, as DOM nodes, never as HTML. */
function excerptNodes(excerpt) {
  const doc = new DOMParser().parseFromString(`<body>${excerpt}</body>`, 'text/html');
  const out = createDocumentFragment();
  for (const node of bodyOf(doc).childNodes) {
    if (node.nodeName === 'MARK') {
      const mark = createElement('mark');
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(createTextNode(node.textContent ?? ''));
    }
  }
  return out;
}

function hitLink(data) {
  const a = createElement('a');
  a.className = 'search-hit';
  a.href = new URL(data.url.replace(/^\/+/, ''), siteRoot).href;
  const title = createElement('span');
  title.className = 'search-hit-title';
  title.textContent = data.meta?.title || data.url;
  const where = createElement('span');
  where.className = 'search-hit-path';
  where.textContent = data.url.replace(/^\/+/, '').replace(/index\.html$/, '') || '/';
  const excerpt = createElement('span');
  excerpt.className = 'search-hit-excerpt';
  excerpt.append(excerptNodes(data.excerpt ?? ''));
  a.append(title, where, excerpt);
  return a;
}

async function runSearch(query, limit) {
  const pf = await loadPagefind();
  const found = await pf.search(query);
  if (!found) return { total: 0, hits: [] };
  const pages = await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
  // An API reference is one page of many operations: each operation that matches is a result of its own.
  const hits = pages
    .flatMap((page) => {
      const operations = (page.sub_results ?? []).filter((sub) => /#user-content-op-/.test(sub.url));
      if (!operations.length) return [page];
      return operations.map((sub) => ({ url: sub.url, excerpt: sub.excerpt, meta: { title: `${sub.title} · ${page.meta?.title ?? ''}` } }));
    })
    .slice(0, limit);
  return { total: found.results.length - pages.length + hits.length, hits };
}

function searchPageHref(query) {
  const url = new URL('search/index.html', siteRoot);
  url.searchParams.set('q', query);
  return url.href;
}

const unavailable = 'Search works when the site is served over HTTP, e.g. with npm run preview.';

for (const input of $$('[data-search-input]')) {
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
        const p = createElement('p');
        p.className = 'search-empty';
        p.textContent = unavailable;
        popup.append(p);
      } else if (!result.hits.length) {
        const p = createElement('p');
        p.className = 'search-empty';
        p.textContent = `No pages match “${query}”.`;
        popup.append(p);
      } else {
        for (const hit of result.hits) popup.append(hitLink(hit));
        const all = createElement('a');
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
    const i = links.indexOf(activeElement());
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
  onDocument('click', (event) => {
    if (!input.form.contains(event.target)) close();
  });
}

const pageInput = $('[data-search-page-input]');
if (pageInput) {
  const status = $('[data-search-status]');
  const list = $('[data-search-results]');
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
            const li = createElement('li');
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

// Video placeholders (rendered as links to the video): a click puts the player in their place. The player's
// address is built here from the link's video id, for youtube-nocookie.com and Vimeo only; nothing is loaded
// from those hosts before the click, and without script the link opens the video's page.
function playerUrl(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const host = url.hostname.replace(/^www\./, '');
  const v = url.searchParams.get('v');
  const list = url.searchParams.get('list');
  if (host === 'youtube.com' && url.pathname === '/watch' && v && /^[\w-]{6,20}$/.test(v)) return `https://www.youtube-nocookie.com/embed/${v}?autoplay=1`;
  if (host === 'youtube.com' && url.pathname === '/playlist' && list && /^[\w-]{6,64}$/.test(list)) return `https://www.youtube-nocookie.com/embed/videoseries?list=${list}&autoplay=1`;
  const vimeo = /^\/(\d{1,12})$/.exec(url.pathname);
  if (host === 'vimeo.com' && vimeo) return `https://player.vimeo.com/video/${vimeo[1]}?autoplay=1&dnt=1`;
  return undefined;
}

onDocument('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a.video-embed') : null;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const src = playerUrl(link.href);
  if (!src) return;
  event.preventDefault();
  const frame = createElement('iframe');
  frame.src = src;
  frame.title = link.querySelector(':scope > span:nth-of-type(2)')?.textContent ?? 'Video';
  frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
  frame.allowFullscreen = true;
  frame.referrerPolicy = 'strict-origin-when-cross-origin';
  frame.className = 'video-embed-player';
  link.replaceWith(frame);
  frame.focus();
});

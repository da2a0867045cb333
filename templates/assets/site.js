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

// Diagrams: pages with a mermaid block load the diagram script before this one; it draws them in place.
// An element with id="mermaid" also shows up as window.mermaid: only the library itself is used.
const diagrams = $$('pre.mermaid');
const mermaidLib = window.mermaid;
if (diagrams.length && mermaidLib && !(mermaidLib instanceof Node) && typeof mermaidLib.run === 'function') {
  // Strict: the source comes from a repository, so labels are text, never HTML, and clicks run nothing.
  mermaidLib.initialize({ startOnLoad: false, securityLevel: 'strict', suppressErrorRendering: true, theme: effectiveTheme() === 'dark' ? 'dark' : 'default' });
  for (const pre of diagrams) {
    // mermaid reads the block's markup: give it the source alone, without the code element around it.
    const source = pre.textContent ?? '';
    pre.textContent = source;
    mermaidLib.run({ nodes: [pre] }).catch(() => {
      // A diagram that does not parse stays readable as its source.
      pre.textContent = source;
    });
  }
}

// Copy buttons on code blocks --------------------------------------------------------------------------------

/** The clipboard API needs a secure context (HTTP on localhost, HTTPS); elsewhere a hidden textarea is copied. */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  bodyOf(document).append(area);
  area.select();
  const done = Document.prototype.execCommand.call(document, 'copy');
  area.remove();
  if (!done) throw new Error('copy refused');
}

const copyStatus = createElement('p');
copyStatus.className = 'sr-only';
copyStatus.setAttribute('role', 'status');
bodyOf(document).append(copyStatus);

for (const pre of $$('.markdown-body pre:not(.mermaid)')) {
  const wrap = createElement('div');
  wrap.className = 'code-block';
  pre.replaceWith(wrap);
  const button = createElement('button');
  button.type = 'button';
  button.className = 'copy-button';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', 'Copy the code');
  wrap.append(pre, button);
  let reset;
  button.addEventListener('click', async () => {
    let message;
    try {
      await copyText(pre.textContent ?? '');
      message = 'Copied';
    } catch {
      message = 'Copy failed';
    }
    button.textContent = message;
    copyStatus.textContent = message === 'Copied' ? 'Code copied to the clipboard' : 'The code could not be copied';
    clearTimeout(reset);
    reset = setTimeout(() => {
      button.textContent = 'Copy';
      copyStatus.textContent = '';
    }, 2000);
  });
}

// Search -------------------------------------------------------------------------------------------------

let pagefindPromise;
function loadPagefind() {
  pagefindPromise ??= import(new URL('pagefind/pagefind.js', siteRoot).href).then(async (pf) => {
    // Ranking by Pagefind's own weights: a match in a page's `name` (what a reader types to mean the page: a
    // service's name for its README, a version for its release notes) counts most, then its title; the kind of
    // page is a label, not a match. The templates mark generated and repeated text as ignored.
    await pf.options({ excerptLength: 24, ranking: { metaWeights: { name: 10, title: 5, kind: 0, repo: 1 } } });
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

const span = (className, text) => {
  const el = createElement('span');
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
};
const siteHref = (url) => new URL(url.replace(/^\/+/, ''), siteRoot).href;

/** One result: its title, what it is and where from (kind and repository), the excerpt, and in the full list the
 * sections of the page that matched, each linking to its heading. */
function hitNode(data, withSections) {
  const box = createElement('div');
  box.className = 'search-hit-box';
  const a = createElement('a');
  a.className = 'search-hit';
  a.href = siteHref(data.url);
  const where = [data.meta?.kind, data.meta?.repo].filter(Boolean).join(' · ') || data.url.replace(/^\/+/, '').replace(/index\.html$/, '') || '/';
  const excerpt = span('search-hit-excerpt');
  excerpt.append(excerptNodes(data.excerpt ?? ''));
  a.append(span('search-hit-title', data.meta?.title || data.url), span('search-hit-path', where), excerpt);
  box.append(a);
  const sections = withSections ? (data.sub_results ?? []).filter((s) => s.url !== data.url && s.anchor && s.title !== data.meta?.title).slice(0, 3) : [];
  if (sections.length) {
    const list = createElement('ul');
    list.className = 'search-hit-sections';
    for (const s of sections) {
      const li = createElement('li');
      const link = createElement('a');
      link.href = siteHref(s.url);
      const text = span('search-hit-excerpt');
      text.append(excerptNodes(s.excerpt ?? ''));
      link.append(span('search-hit-section', s.title), text);
      li.append(link);
      list.append(li);
    }
    box.append(list);
  }
  return box;
}

/** Pagefind's results in its own order (see the weights in loadPagefind). `more(n)` loads the data of the next n. */
async function search(query, filters) {
  const pf = await loadPagefind();
  const found = await pf.search(query, { filters });
  const order = found ? [...found.results] : [];
  // An API reference is one page of many operations: each operation that matches is a result of its own.
  const operationsOf = (page) => {
    const operations = (page.sub_results ?? []).filter((sub) => /#user-content-op-/.test(sub.url));
    if (!operations.length) return [page];
    return operations.map((sub) => ({ url: sub.url, excerpt: sub.excerpt, meta: { ...page.meta, title: `${sub.title} · ${page.meta?.title ?? ''}` } }));
  };
  let shown = 0;
  return {
    total: order.length,
    async more(n) {
      const next = order.slice(shown, shown + n);
      shown += next.length;
      const pages = await Promise.all(next.map((r) => r.data()));
      return pages.flatMap(operationsOf);
    },
    get left() {
      return order.length - shown;
    },
  };
}

function searchPageHref(query) {
  const url = new URL('search/index.html', siteRoot);
  url.searchParams.set('q', query);
  return url.href;
}

const unavailable = 'Search needs the site to be served over HTTP: run npm run preview, or any web server, and open the address it prints.';

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
      let hits = [];
      try {
        result = await search(query, {});
        hits = await result.more(6);
      } catch {
        result = undefined;
      }
      if (ticket !== latest) return;
      popup.replaceChildren();
      if (!result || !hits.length) {
        const p = createElement('p');
        p.className = 'search-empty';
        p.textContent = result ? `No pages match “${query}”.` : unavailable;
        popup.append(p);
      } else {
        for (const hit of hits) popup.append(hitNode(hit, false));
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

// The search page: results as you type, filters by kind and repository, 50 results at a time.
const pageInput = $('[data-search-page-input]');
if (pageInput) {
  const PAGE = 50;
  const status = $('[data-search-status]');
  const list = $('[data-search-results]');
  const moreButton = $('[data-search-more]');
  const selects = [...$$('[data-search-filter]')];
  const params = new URLSearchParams(location.search);
  pageInput.value = params.get('q')?.trim() ?? '';
  let current;
  let ticket = 0;
  let timer;

  const append = (hits) => {
    for (const hit of hits) {
      const li = createElement('li');
      li.append(hitNode(hit, true));
      list.append(li);
    }
    moreButton.hidden = !current || current.left === 0;
    if (current && current.left) moreButton.textContent = `Show ${Math.min(PAGE, current.left)} more of ${current.left}`;
  };

  const run = async () => {
    const query = pageInput.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.name] = select.value;
    const url = new URL(location.href);
    url.searchParams.set('q', query);
    for (const select of selects) {
      if (select.value) url.searchParams.set(select.name, select.value);
      else url.searchParams.delete(select.name);
    }
    history.replaceState(null, '', url);
    const mine = ++ticket;
    if (!query) {
      current = undefined;
      list.replaceChildren();
      moreButton.hidden = true;
      status.textContent = 'Type a word to search every page of this site.';
      return;
    }
    status.textContent = 'Searching…';
    try {
      const result = await search(query, filters);
      const hits = await result.more(PAGE);
      if (mine !== ticket) return;
      current = result;
      list.replaceChildren();
      status.textContent = result.total ? `${result.total} ${result.total === 1 ? 'page matches' : 'pages match'} “${query}”.` : `No pages match “${query}”.`;
      append(hits);
    } catch {
      if (mine !== ticket) return;
      status.textContent = unavailable;
    }
  };

  moreButton.addEventListener('click', async () => {
    if (!current) return;
    const from = list.children.length;
    append(await current.more(PAGE));
    list.children[from]?.querySelector('a')?.focus();
  });
  pageInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  pageInput.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });

  // The filters offer what the index holds, with counts.
  loadPagefind()
    .then(async (pf) => {
      const available = await pf.filters();
      for (const select of selects) {
        const values = Object.entries(available[select.name] ?? {}).sort(([a], [b]) => a.localeCompare(b));
        for (const [value, count] of values) {
          const option = createElement('option');
          option.value = value;
          option.textContent = `${value} (${count})`;
          select.append(option);
        }
        select.value = params.get(select.name) ?? '';
        select.disabled = false;
        select.addEventListener('change', run);
      }
    })
    .catch(() => {})
    .finally(() => {
      if (pageInput.value.trim()) run();
    });
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

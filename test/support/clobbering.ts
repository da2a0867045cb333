/**
 * A repository whose pages try to clobber what the site's scripts use: for every property of `document` and
 * `window` that assets/site.js and Pagefind's pagefind.js read, elements named after it in each way HTML
 * allows (img/form/object/embed/iframe names and ids shadow `document`'s properties, any id and `<a name>`
 * those of `window`), plus anchors written in raw HTML and links to them from the same and another page.
 */
import type { HostileRepo } from './hostile-snapshot.ts';

/** What site.js and pagefind.js read from `document`. */
export const DOCUMENT_PROPERTIES = [
  'querySelector',
  'querySelectorAll',
  'createElement',
  'createTextNode',
  'createDocumentFragment',
  'activeElement',
  'body',
  'documentElement',
  'currentScript',
  'addEventListener',
];

/** What they read from `window`, as globals. */
export const WINDOW_PROPERTIES = [
  'Document',
  'EventTarget',
  'Object',
  'URL',
  'URLSearchParams',
  'DOMParser',
  'document',
  'location',
  'localStorage',
  'matchMedia',
  'setTimeout',
  'clearTimeout',
  'Worker',
  'WebAssembly',
  'FinalizationRegistry',
  'TextDecoder',
  'Intl',
  'Request',
  'Response',
];

/** Elements named after each property, as an author could write them in raw HTML. */
export function clobberingHtml(): string {
  const onDocument = DOCUMENT_PROPERTIES.flatMap((n) => [
    `<img name="${n}" alt="">`,
    `<img id="${n}" name="${n}" alt="">`,
    `<form name="${n}"><input name="${n}"></form>`,
    `<object name="${n}" id="${n}"></object>`,
    `<embed name="${n}">`,
    `<iframe name="${n}"></iframe>`,
  ]);
  const onWindow = [...DOCUMENT_PROPERTIES, ...WINDOW_PROPERTIES].flatMap((n) => [`<a id="${n}">${n}</a>`, `<a name="${n}"></a>`, `<span id="${n}"></span>`]);
  return ['<div>', ...onDocument, ...onWindow, '</div>'].join('\n');
}

export const CLOBBERING_PAGE = 'services/clobber/docs/page/';

export const clobberingRepo: HostileRepo = {
  name: 'clobber',
  files: [
    { path: 'README.md', content: '# Clobber\n\n- [The page](docs/page.md)\n- [Its notes](docs/page.md#install-notes)\n- [Other](docs/other.md)\n' },
    {
      path: 'docs/page.md',
      content:
        `# Clobbering page\n\n[To the notes](#install-notes)\n\n${clobberingHtml()}\n\n` +
        '## querySelectorAll\n\nA heading named after a method.\n\n## Custom {#addEventListener}\n\nText.\n\n' +
        '<a name="install-notes"></a>\n\n## Notes\n\nThe notes.\n',
    },
    { path: 'docs/other.md', content: '# Other\n\nSee [the notes](page.md#install-notes) and [the GitHub copy](page.md#user-content-install-notes).\n' },
  ],
};

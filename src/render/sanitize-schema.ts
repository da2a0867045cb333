/**
 * The sanitizer schema: rehype-sanitize's defaultSchema (GitHub's rules) with the differences this site needs.
 *  - every `id`, `name`, `aria-describedby` and `aria-labelledby` written in raw HTML gets the `user-content-`
 *    prefix, as on GitHub, so that no element of the page can shadow a property of `document` or `window`
 *    (`<img name="querySelectorAll">`); links to `#x` reach `#user-content-x` through rehype-anchors and
 *    cross-links, at build time. The heading ids the renderer makes itself come later (rehype-headings) and
 *    are checked by rehype-ids;
 *  - the classes of GitHub alerts (remark-alerts) and of the video placeholders (rehype-embeds) are allowed;
 *  - `data:` URLs are refused everywhere, images included (only http/https, relative URLs and the usual link
 *    schemes pass); `srcset` has no protocol check in hast-util-sanitize, rehype-safe-srcset filters it right after.
 * Everything else the default schema drops stays dropped: script, style, iframe, object, embed, form, base,
 * meta, link, template, noscript, svg, math, event handlers.
 */
import { defaultSchema } from 'rehype-sanitize';
import type { Options as Schema } from 'rehype-sanitize';

const attributes = defaultSchema.attributes ?? {};

/** Put in front of author-written ids and names: what GitHub uses, so links copied from GitHub pages match. */
export const CLOBBER_PREFIX = 'user-content-';

export const sanitizeSchema: Schema = {
  ...defaultSchema,
  clobberPrefix: CLOBBER_PREFIX,
  // Also strip the content of these, not just the tags: their text is code or markup, never prose.
  strip: ['script', 'style', 'template', 'noscript', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'iframe', 'object', 'embed'],
  attributes: {
    ...attributes,
    // `action` carries a URL the sanitizer does not check and has no use outside forms, which are dropped.
    '*': (attributes['*'] ?? []).filter((a) => a !== 'action'),
    div: [...(attributes.div ?? []), ['className', /^markdown-alert(-[a-z]+)?$/]],
    p: [...(attributes.p ?? []), ['className', 'markdown-alert-title']],
    // The video placeholders of rehype-embeds: a link whose click the site's script turns into a player.
    a: [...(attributes.a ?? []).filter((e) => !(Array.isArray(e) && e[0] === 'className')), ['className', 'data-footnote-backref', 'video-embed']],
    span: [...(attributes.span ?? []), 'ariaHidden'],
    // Images keep their size and alt ('*' has width, height, alt); srcset on picture sources only.
    source: ['srcSet', 'media', 'type', 'width', 'height'],
  },
  protocols: {
    ...defaultSchema.protocols,
    href: ['http', 'https', 'mailto', 'irc', 'ircs', 'xmpp'],
    src: ['http', 'https'],
  },
};

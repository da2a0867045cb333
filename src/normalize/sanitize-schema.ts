/**
 * The sanitizer schema: rehype-sanitize's defaultSchema (GitHub's rules) with the differences this site needs.
 *  - ids and `<a name>` are kept as written (no `user-content-` clobber prefix) so that anchors copied from
 *    GitHub work; rehype-ids then keeps them away from the template's `site-` ids;
 *  - the classes of GitHub alerts (remark-alerts) are allowed;
 *  - `data:` URLs are refused everywhere, images included (only http/https, relative URLs and the usual link
 *    schemes pass); `srcset` has no protocol check in hast-util-sanitize, rehype-links filters it instead.
 * Everything else the default schema drops stays dropped: script, style, iframe, object, embed, form, base,
 * meta, link, template, noscript, svg, math, event handlers.
 */
import { defaultSchema } from 'rehype-sanitize';
import type { Options as Schema } from 'rehype-sanitize';

const attributes = defaultSchema.attributes ?? {};

export const sanitizeSchema: Schema = {
  ...defaultSchema,
  clobberPrefix: '',
  // Also strip the content of these, not just the tags: their text is code or markup, never prose.
  strip: ['script', 'style', 'template', 'noscript', 'textarea', 'title', 'xmp', 'noembed', 'noframes', 'iframe', 'object', 'embed'],
  attributes: {
    ...attributes,
    // `action` carries a URL the sanitizer does not check and has no use outside forms, which are dropped.
    '*': (attributes['*'] ?? []).filter((a) => a !== 'action'),
    div: [...(attributes.div ?? []), ['className', /^markdown-alert(-[a-z]+)?$/]],
    p: [...(attributes.p ?? []), ['className', 'markdown-alert-title']],
    // Images keep their size and alt ('*' has width, height, alt); srcset on picture sources only.
    source: ['srcSet', 'media', 'type', 'width', 'height'],
  },
  protocols: {
    ...defaultSchema.protocols,
    href: ['http', 'https', 'mailto', 'irc', 'ircs', 'xmpp'],
    src: ['http', 'https'],
  },
};

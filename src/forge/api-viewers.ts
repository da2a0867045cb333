/**
 * Hosted OpenAPI viewers that READMEs send readers to with the document's URL in the query
 * (`petstore.swagger.io/?url=<raw URL of the spec>#/tag/operationId`): which document a link opens, and which
 * tag or operation its swagger-ui deep link names, so that the link can lead to the bundle's own page.
 */

/** Swagger UI's demo and the Swagger Editor (old and new), which take the document as `?url=`. */
const VIEWER_HOSTS = /^(?:petstore\d?|editor(?:-next)?|generator3?)\.swagger\.io$/i;

export interface ApiViewerLink {
  /** The document's URL as the link gives it (decoded once). */
  specUrl: string;
  /** Swagger UI's deep link (`#/tag` or `#/tag/operationId`), split into its parts; empty when none. */
  tag?: string;
  operationId?: string;
}

/** Reads a hosted viewer's link; undefined when it is none, or names no document. */
export function parseApiViewerUrl(url: string): ApiViewerLink | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(parsed.protocol) || !VIEWER_HOSTS.test(parsed.hostname)) return undefined;
  const specUrl = parsed.searchParams.get('url');
  if (!specUrl || !/^https?:\/\//i.test(specUrl)) return undefined;
  const deep = (() => {
    try {
      return decodeURIComponent(parsed.hash.replace(/^#\/?/, ''));
    } catch {
      return '';
    }
  })();
  const [tag, operationId] = deep.split('/');
  return { specUrl, ...(tag ? { tag } : {}), ...(operationId ? { operationId } : {}) };
}

/**
 * Release items meet the API reference: an endpoint written as code in an item (`/user`, `GET /user/{id}`)
 * that is exactly the path of an operation in that service's OpenAPI document becomes a link to the
 * operation. Best effort and exact: no prefix or pattern matching, a query string is ignored, code already
 * inside a link is left alone. The link is the document's GitHub URL on its default branch with the
 * operation's anchor, which link resolution turns into the API page (and checks).
 */
import type { OperationRef } from '../api/plan.ts';
import { github as forge } from '../forge/github.ts';

const ENDPOINT = /(\[[^\]]*)?`((?:(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) +)?(\/[^`\s?#]*)(?:[?#][^`\s]*)?)`(?!\]\()/g;

export type OperationLookup = (repo: string, apiPath: string, method?: string) => OperationRef | undefined;

export function linkEndpoints(markdown: string, repo: string, operationAt: OperationLookup, branchOf: (repo: string) => string | undefined): string {
  if (!markdown.includes('`/') && !/` *[A-Z]+ +\//.test(markdown)) return markdown;
  return markdown.replace(ENDPOINT, (whole, linkText: string | undefined, code: string, method: string | undefined, apiPath: string) => {
    // Inside the text of a link already: `[see `/x`](...)`.
    if (linkText !== undefined) return whole;
    const op = operationAt(repo, apiPath.replace(/\/+$/, '') || '/', method) ?? operationAt(repo, apiPath, method);
    const branch = op && branchOf(op.repo);
    if (!op || !branch) return whole;
    return `[\`${code}\`](${forge.blobUrl(op.repo, branch, op.specPath)}#${op.anchor})`;
  });
}

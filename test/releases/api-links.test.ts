import { describe, expect, it } from 'vitest';
import { linkEndpoints, type OperationLookup } from '../../src/releases/api-links.ts';

const operations: Record<string, string> = { '/user': 'op-getUserInfo', 'post /user': 'op-createUser', '/auth/mapping': 'op-get-auth-mapping', 'post /auth/mapping': 'op-post-auth-mapping' };
const lookup: OperationLookup = (repo, apiPath, method) => {
  if (repo !== 'uc-cdis/fence') return undefined;
  const anchor = operations[method ? `${method.toLowerCase()} ${apiPath}` : apiPath];
  return anchor ? { url: 'services/fence/api/', anchor, repo: 'uc-cdis/fence', specPath: 'openapis/swagger.yaml' } : undefined;
};
const branch = () => 'master';

describe('release items naming an endpoint', () => {
  it('link an exact path, with or without its method, to the operation', () => {
    expect(linkEndpoints('Fixed `/user` and `POST /auth/mapping?x=1`.', 'uc-cdis/fence', lookup, branch)).toBe(
      'Fixed [`/user`](https://github.com/uc-cdis/fence/blob/master/openapis/swagger.yaml#op-getUserInfo) and [`POST /auth/mapping?x=1`](https://github.com/uc-cdis/fence/blob/master/openapis/swagger.yaml#op-post-auth-mapping).',
    );
  });

  it('leave other paths, other services, prose and code already in a link alone', () => {
    for (const text of ['`/user/123`', '`/users`', 'the /user endpoint', '[see `/user`](https://example.org)', '`GET /unknown`']) {
      expect(linkEndpoints(text, 'uc-cdis/fence', lookup, branch)).toBe(text);
    }
    expect(linkEndpoints('`/user`', 'uc-cdis/indexd', lookup, branch)).toBe('`/user`');
  });
});

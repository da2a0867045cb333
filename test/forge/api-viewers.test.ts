import { describe, expect, it } from 'vitest';
import { parseApiViewerUrl } from '../../src/forge/api-viewers.ts';

describe('hosted OpenAPI viewer links', () => {
  it('reads the document URL and the swagger-ui deep link', () => {
    expect(parseApiViewerUrl('http://petstore.swagger.io/?url=https://raw.githubusercontent.com/uc-cdis/fence/master/openapis/swagger.yaml#/google/getGoogleBillingProjects')).toEqual({
      specUrl: 'https://raw.githubusercontent.com/uc-cdis/fence/master/openapis/swagger.yaml',
      tag: 'google',
      operationId: 'getGoogleBillingProjects',
    });
    expect(parseApiViewerUrl('https://petstore.swagger.io/?url=https://raw.githubusercontent.com/uc-cdis/Indexd/master/openapis/swagger.yaml#/DRS')).toMatchObject({ tag: 'DRS' });
    expect(parseApiViewerUrl('https://editor.swagger.io/?url=https%3A%2F%2Fexample.org%2Fspec.yaml#/')).toEqual({ specUrl: 'https://example.org/spec.yaml' });
  });

  it('is nothing for other hosts, no document, or a document that is not http(s)', () => {
    expect(parseApiViewerUrl('https://editor.swagger.io/')).toBeUndefined();
    expect(parseApiViewerUrl('https://petstore.swagger.io.evil.example/?url=https://x/y.yaml')).toBeUndefined();
    expect(parseApiViewerUrl('https://petstore.swagger.io/?url=javascript:alert(1)')).toBeUndefined();
    expect(parseApiViewerUrl('not a url')).toBeUndefined();
  });
});

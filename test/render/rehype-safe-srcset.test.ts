import { describe, expect, it } from 'vitest';
import { filterSrcSet } from '../../src/render/rehype-safe-srcset.ts';

describe('filterSrcSet', () => {
  it('keeps relative and http(s) candidates', () => {
    expect(filterSrcSet('a.png 1x, https://x.example/b.png 2x,c.png 300w')).toBe('a.png 1x, https://x.example/b.png 2x, c.png 300w');
  });

  it('drops other schemes, obfuscated ones too, and odd descriptors', () => {
    expect(filterSrcSet('javascript:alert(1) 1x')).toBeUndefined();
    expect(filterSrcSet('java\tscript:alert(1)')).toBeUndefined();
    expect(filterSrcSet('JaVaScRiPt:x, data:image/png;base64,AAA 2x, ok.png')).toBe('ok.png');
    expect(filterSrcSet('a.png onerror=alert(1)')).toBeUndefined();
  });
});

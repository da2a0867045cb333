import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/render/front-matter.ts';

describe('parseFrontMatter', () => {
  it('reads the known keys and blanks the block, keeping line numbers', () => {
    const r = parseFrontMatter('---\ntitle: Setup\ndescription: How to\norder: 3\nhidden: true\nother: x\n---\n# Body\n');
    expect(r.data).toEqual({ title: 'Setup', description: 'How to', order: 3, hidden: true });
    expect(r.error).toBeUndefined();
    expect(r.body.split('\n')[7]).toBe('# Body');
    expect(r.body.slice(0, 7)).toBe('\n'.repeat(7));
  });

  it('leaves text without front matter alone', () => {
    expect(parseFrontMatter('# Title\n---\n').body).toBe('# Title\n---\n');
    expect(parseFrontMatter('---\nno closing fence').body).toBe('---\nno closing fence');
  });

  it('ignores values of the wrong type', () => {
    expect(parseFrontMatter('---\ntitle: [a, b]\norder: soon\nhidden: "yes"\n---\n').data).toEqual({});
  });

  it('reports malformed YAML and still returns the body', () => {
    const r = parseFrontMatter('---\ntitle: "unclosed\n  : : :\n---\nText\n');
    expect(r.error).toMatch(/malformed front matter/);
    expect(r.data).toEqual({});
    expect(r.body.trim()).toBe('Text');
  });

  it('refuses a YAML alias bomb quickly', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = performance.now();
    const r = parseFrontMatter(`---\n${bomb.join('\n')}\ntitle: boom\n---\nText`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(r.error).toBeDefined();
    expect(r.data).toEqual({});
  });

  it('refuses a huge block', () => {
    const r = parseFrontMatter(`---\ntitle: x\nbig: "${'y'.repeat(100_000)}"\n---\nText`);
    expect(r.error).toMatch(/larger than/);
    expect(r.body.trim()).toBe('Text');
  });

  it('accepts CRLF line ends', () => {
    expect(parseFrontMatter('---\r\ntitle: Win\r\n---\r\nBody').data.title).toBe('Win');
  });
});

import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import rehypeParse from 'rehype-parse';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import rehypeEmbeds, { videoUrl } from '../../src/render/rehype-embeds.ts';

const html = (s: string) => String(unified().use(rehypeParse, { fragment: true }).use(rehypeEmbeds).use(rehypeSanitize).use(rehypeStringify).processSync(s));

describe('rehype-embeds', () => {
  it('turns YouTube and Vimeo players into links', () => {
    expect(html('<iframe src="https://www.youtube.com/embed/abcDEF12345?si=x" title="Demo"></iframe>')).toBe('<a href="https://www.youtube.com/watch?v=abcDEF12345">Demo (YouTube)</a>');
    expect(html('<iframe src="https://player.vimeo.com/video/123456"></iframe>')).toBe('<a href="https://vimeo.com/123456">Video (Vimeo)</a>');
    expect(videoUrl('//www.youtube-nocookie.com/embed/abcDEF12345')).toBe('https://www.youtube.com/watch?v=abcDEF12345');
  });

  it('leaves other iframes to the sanitizer', () => {
    expect(html('<p>a<iframe src="https://evil.example/"></iframe>b</p>')).toBe('<p>ab</p>');
    expect(videoUrl('javascript:alert(1)//youtube.com/embed/abcdefg')).toBeUndefined();
    expect(videoUrl('https://youtube.com.evil.example/embed/abcdefg')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import rehypeParse from 'rehype-parse';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import rehypeEmbeds, { videoUrl } from '../../src/render/rehype-embeds.ts';
import { sanitizeSchema } from '../../src/render/sanitize-schema.ts';

const html = (s: string) => String(unified().use(rehypeParse, { fragment: true }).use(rehypeEmbeds).use(rehypeSanitize, sanitizeSchema).use(rehypeStringify).processSync(s));

describe('rehype-embeds', () => {
  it('turns YouTube and Vimeo players into click-to-load placeholders: links to the video, with title and host', () => {
    expect(html('<iframe src="https://www.youtube.com/embed/abcDEF12345?si=x" title="Demo"></iframe>')).toBe(
      '<a href="https://www.youtube.com/watch?v=abcDEF12345" class="video-embed"><span aria-hidden="true"></span><span>Demo</span> <span>YouTube</span></a>',
    );
    expect(html('<iframe src="https://player.vimeo.com/video/123456"></iframe>')).toContain('<a href="https://vimeo.com/123456" class="video-embed">');
    expect(html('<iframe src="https://player.vimeo.com/video/123456"></iframe>')).toContain('<span>Video</span> <span>Vimeo</span>');
    expect(videoUrl('//www.youtube-nocookie.com/embed/abcDEF12345')).toBe('https://www.youtube.com/watch?v=abcDEF12345');
  });

  it("takes mkdocs-video's ![type:video](url), and leaves other images alone", () => {
    expect(html('<img alt="type:video" src="https://www.youtube.com/embed/abcDEF12345">')).toContain('<a href="https://www.youtube.com/watch?v=abcDEF12345" class="video-embed">');
    expect(html('<img alt="type:video" src="https://evil.example/x.mp4">')).toBe('<img alt="type:video" src="https://evil.example/x.mp4">');
    expect(html('<img alt="photo" src="https://www.youtube.com/embed/abcDEF12345">')).toBe('<img alt="photo" src="https://www.youtube.com/embed/abcDEF12345">');
  });

  it('keeps the placeholder classes only where rehype-embeds put them: an author cannot forge a player', () => {
    const schemaOnly = (s: string) => String(unified().use(rehypeParse, { fragment: true }).use(rehypeSanitize, sanitizeSchema).use(rehypeStringify).processSync(s));
    // The class passes (it is ours), but the site's script builds the player from a YouTube or Vimeo id only.
    expect(schemaOnly('<a class="video-embed" href="https://evil.example/" onclick="x()">v</a>')).toBe('<a class="video-embed" href="https://evil.example/">v</a>');
    expect(schemaOnly('<span class="other" style="x" aria-hidden="true">p</span>')).toBe('<span aria-hidden="true">p</span>');
  });

  it('leaves other iframes to the sanitizer', () => {
    expect(html('<p>a<iframe src="https://evil.example/"></iframe>b</p>')).toBe('<p>ab</p>');
    expect(videoUrl('javascript:alert(1)//youtube.com/embed/abcdefg')).toBeUndefined();
    expect(videoUrl('https://youtube.com.evil.example/embed/abcdefg')).toBeUndefined();
  });
});

/**
 * A repository whose pages show hostile "images": documents that run script when opened (SVG, HTML, XHTML,
 * XML), files whose bytes are not what their names say, and images over a size limit. Every script sets
 * window.__pwned, so a browser can tell whether any of it ran. Shared by the build and the browser tests.
 */
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import type { HostileRepo } from '../support/hostile-snapshot.ts';

/** A valid RGB PNG of noise (so it does not compress): width x height x 3 bytes of pixels. */
export function noisePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), randomBytes(width * 3)])));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 0 })), chunk('IEND', Buffer.alloc(0))]);
}

const SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';

/** Each runs `window.__pwned = ...` when opened as a document. */
export const PAYLOADS = {
  'img/evil.svg':
    `<svg ${SVG_NS} width="40" height="20" onload="window.__pwned='svg onload'">` +
    `<script>window.__pwned='svg script'</script><rect width="40" height="20" fill="teal"/>` +
    `<foreignObject width="40" height="20"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:parent.__pwned='iframe'"/></foreignObject>` +
    `<a xlink:href="javascript:window.__pwned='link'"><text y="15">x</text></a></svg>`,
  // A whole page Pagefind would index under the title it chooses, were it published.
  'diagram.html':
    `<!DOCTYPE html><html lang="en"><head><title>Sign in</title><script>window.__pwned='html'</script></head>` +
    `<body><main data-pagefind-body><h1>Sign in</h1><p>Enter your password to continue.</p></main></body></html>`,
  'page.htm': `<script>window.__pwned='htm'</script>`,
  'data.xhtml': `<html xmlns="http://www.w3.org/1999/xhtml"><body><script>window.__pwned='xhtml'</script></body></html>`,
  'feed.xml': `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>window.__pwned='xml'</script></body></html>`,
  'badge.html': `<script>window.__pwned='badge'</script>`,
  // An HTML document named like a PNG: served by its name as an image, by its bytes it is a page.
  'img/liar.png': `<html><script>window.__pwned='liar'</script></html>`,
} as const;

export const PAYLOAD_README = [
  '# Pictures',
  '',
  '![evil](img/evil.svg) ![good](img/good.png) ![renamed](img/renamed.gif)',
  '',
  '![diagram](diagram.html)',
  '',
  '<img src="page.htm" alt="Page">',
  '',
  '![xhtml](data.xhtml) ![feed](feed.xml) ![liar](img/liar.png)',
  '',
  '[![badge](badge.html)](https://example.com/)',
  '',
  '![big](img/big.png) ![huge](img/huge.svg)',
  '',
].join('\n');

/** The size limit the tests build with: big.png (2.3 MB) is over it, huge.svg (1.1 MB) under it but over the SVG limit. */
export const TEST_MAX_ASSET_BYTES = 2 * 1024 * 1024;

export function payloadRepo(): HostileRepo {
  const huge = `<svg ${SVG_NS}>${'<rect width="1" height="1"/>'.repeat(40_000)}</svg>`; // over 1 MiB
  return {
    name: 'pics',
    files: [
      { path: 'README.md', content: PAYLOAD_README },
      ...Object.entries(PAYLOADS).map(([path, content]) => ({ path, content })),
      { path: 'img/good.png', content: noisePng(8, 8) },
      // PNG bytes under a GIF name: published, as what its bytes are.
      { path: 'img/renamed.gif', content: noisePng(4, 4) },
      { path: 'img/big.png', content: noisePng(900, 900) },
      { path: 'img/huge.svg', content: huge },
    ],
  };
}

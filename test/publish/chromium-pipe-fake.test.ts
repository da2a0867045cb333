/**
 * The build's DevTools pipe client against stand-ins for Chromium: small Node.js programs that read commands
 * on fd 3 and answer on fd 4 the way they are told to (in single bytes, with garbage, or not at all before
 * exiting). No Chromium needed; the real one is driven in test/browser/chromium-pipe.test.ts.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/publish/chromium-pipe.ts';
import { ownChromiumProfiles } from '../support/browser.ts';

/** An executable that stands in for Chromium: `answer(message)` is the body of a function returning what to write. */
function fakeChromium(answer: string, { exitCode }: { exitCode?: number } = {}): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fake-chromium-')), 'chromium');
  writeFileSync(
    file,
    `#!${process.execPath}
const net = require('node:net');
const args = process.argv.slice(2);
if (!args.includes('--remote-debugging-pipe') || !args.some((a) => a.startsWith('--user-data-dir='))) process.exit(9);
${exitCode !== undefined ? `process.stderr.write('first line\\nthe fake browser gave up\\n'); process.exit(${exitCode});` : ''}
// The pipes Chromium is given are sockets: read and written as such, never blocking a thread.
const out = new net.Socket({ fd: 4, readable: false, writable: true });
let buffered = '';
new net.Socket({ fd: 3, readable: true, writable: false }).setEncoding('utf8').on('data', (chunk) => {
  const parts = (buffered + chunk).split('\\0');
  buffered = parts.pop();
  for (const part of parts) {
    const message = JSON.parse(part);
    const reply = ((message) => { ${answer} })(message);
    for (const piece of reply) out.write(piece);
    if (message.method === 'Browser.close') setTimeout(() => process.exit(0), 10);
  }
});
`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe('the DevTools pipe client', () => {
  it('puts an answer together from single bytes, and events from the same stream', async () => {
    // Every message is written one byte at a time, an event before each answer.
    const browser = await launchChromium(
      fakeChromium(`
        const event = JSON.stringify({ method: 'Fake.event', params: { about: message.method }, sessionId: message.sessionId }) + '\\0';
        const result = message.method === 'Target.createTarget' ? { targetId: 't1' } : message.method === 'Target.attachToTarget' ? { sessionId: 's1' } : { echoed: message.params, text: 'é€😀' };
        return [...Buffer.from(event + JSON.stringify({ id: message.id, result, sessionId: message.sessionId }) + '\\0')].map((b) => Buffer.from([b]));
      `),
      [],
    );
    try {
      const page = await browser.newPage();
      const events: unknown[] = [];
      page.on('Fake.event', (params) => events.push(params));
      expect(await page.send('Some.command', { n: 1 })).toEqual({ echoed: { n: 1 }, text: 'é€😀' });
      expect(events).toEqual([{ about: 'Some.command' }]);
    } finally {
      await browser.close();
    }
    expect(existsSync(browser.profile)).toBe(false);
  });

  it('gives the error Chromium answers with, as an error of the command', async () => {
    const browser = await launchChromium(fakeChromium(`return message.method === 'Browser.getVersion' || message.method === 'Browser.close' ? [JSON.stringify({ id: message.id, result: {} }) + '\\0'] : [JSON.stringify({ id: message.id, error: { code: -32601, message: "'" + message.method + "' wasn't found" } }) + '\\0'];`), []);
    try {
      await expect(browser.newPage()).rejects.toThrow("'Target.createTarget' wasn't found");
    } finally {
      await browser.close();
    }
  });

  it('ends a browser that writes something other than JSON, and says so to the command waiting', async () => {
    const before = Date.now();
    const launching = launchChromium(fakeChromium(`return ['{"id": ' + message.id + ', not json\\0'];`), []);
    await expect(launching).rejects.toThrow(/^Chromium exited \(SIGKILL\): .*a message on the DevTools pipe was not JSON/);
    expect(Date.now() - before).toBeLessThan(30_000);
  });

  it('reports a browser that exits at once, with the last lines it wrote, and leaves no profile', async () => {
    const profilesBefore = new Set(ownChromiumProfiles());
    await expect(launchChromium(fakeChromium('return [];', { exitCode: 3 }), [])).rejects.toThrow('Chromium exited (code 3): first line the fake browser gave up');
    expect(ownChromiumProfiles().filter((p) => !profilesBefore.has(p))).toEqual([]);
  });
});

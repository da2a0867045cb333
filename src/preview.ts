/**
 * `npm run preview -- [--dir out] [--port 4173] [--host 127.0.0.1]`: serves a built bundle locally, the way a
 * static host would: folder URLs answer with their index.html, missing paths with 404.html.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  // Pagefind's index files.
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface PreviewServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

export interface PreviewOptions {
  dir: string;
  port?: number;
  host?: string;
  basePath?: string;
  /** Markup added before `</body>` of every HTML page as it is sent; the files on disk are left as they are. */
  inject?: string;
  /** Answers of their own for these exact paths (absolute, outside the base path), e.g. an event stream. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /**
   * Bytes to send instead of a file of the folder (by its '/'-separated path in it), while the folder may not
   * hold them yet or any more: the dev server's saved pages, until a build that read the save publishes.
   */
  pinned?: (relative: string) => Buffer | undefined;
}

/** `html` with `markup` inserted before its last `</body>`, or at its end when it has none. */
export function injectMarkup(html: string, markup: string): string {
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + markup : html.slice(0, at) + markup + html.slice(at);
}

export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const root = path.resolve(options.dir);
  const host = options.host ?? '127.0.0.1';
  const base = `/${(options.basePath ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const server = createServer(async (req, res) => {
    const send = async (status: number, file: string) => {
      const headers = { 'content-type': contentType(file), 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
      const pinned = options.pinned?.(path.relative(root, file).split(path.sep).join('/'));
      if (pinned && (options.inject === undefined || !/\.html?$/i.test(file))) {
        res.writeHead(status, { ...headers, 'content-length': pinned.length });
        return void res.end(req.method === 'HEAD' ? undefined : pinned);
      }
      if (options.inject !== undefined && /\.html?$/i.test(file)) {
        const html = pinned ? pinned.toString('utf8') : await readFile(file, 'utf8').catch(() => undefined);
        if (html === undefined) return void res.writeHead(404).end();
        const body = Buffer.from(injectMarkup(html, options.inject));
        res.writeHead(status, { ...headers, 'content-length': body.length });
        return void res.end(req.method === 'HEAD' ? undefined : body);
      }
      res.writeHead(status, headers);
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    };
    const notFound = async () => {
      const page = path.join(root, '404.html');
      if (await isFile(page)) return send(404, page);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const route = options.routes?.[pathname];
    if (route) return route(req, res);
    if (!pathname.startsWith(base)) return notFound();
    const rel = pathname.slice(base.length);
    const target = path.resolve(root, rel);
    // Nothing outside the bundle, whatever the request says.
    if (target !== root && !target.startsWith(root + path.sep)) return notFound();
    if (await isFile(target)) return send(200, target);
    const folder = await stat(target).then((s) => s.isDirectory(), () => false);
    if (folder && (await isFile(path.join(target, 'index.html')))) {
      if (!pathname.endsWith('/')) {
        // Relative links of a folder page only resolve from its URL with a trailing slash.
        const query = new URL(req.url ?? '/', 'http://localhost').search;
        res.writeHead(301, { location: `${encodeURI(pathname)}/${query}` }).end();
        return;
      }
      return send(200, path.join(target, 'index.html'));
    }
    return notFound();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4173, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 4173);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${base}`,
    port,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Open event streams would otherwise hold the server open.
        server.closeAllConnections();
      }),
  };
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string', default: 'out' },
        port: { type: 'string', default: '4173' },
        host: { type: 'string', default: '127.0.0.1' },
        'base-url': { type: 'string', default: '/' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write('Usage: npm run preview -- [--dir out] [--port 4173] [--host 127.0.0.1] [--base-url /]\n');
    return 0;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`error: --port ${args.port}: not a port number\n`);
    return 2;
  }
  if (!(await isFile(path.join(args.dir!, 'index.html')))) {
    process.stderr.write(`error: ${args.dir} has no index.html; build first with npm run build\n`);
    return 2;
  }
  const preview = await startPreview({ dir: args.dir!, port, host: args.host, basePath: args['base-url'] });
  process.stdout.write(`Serving ${path.resolve(args.dir!)} at ${preview.url}\nPress Ctrl+C to stop.\n`);
  return new Promise(() => {});
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}

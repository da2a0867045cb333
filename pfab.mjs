import * as pagefind from 'pagefind';
import fs from 'node:fs'; import path from 'node:path';
const root = '/tmp/x'; const files = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) { if (!['pagefind','md','assets'].includes(e.name)) walk(p); } else if (p.endsWith('.html')) files.push(p); } }; walk(root);
const mode = process.argv[2];
const { index } = await pagefind.createIndex({ keepIndexUrl: true, forceLanguage: 'en' });
const t0 = performance.now();
const inflight = new Set();
for (const f of files) { const p = index.addHTMLFile({ url: '/' + path.relative(root, f), content: fs.readFileSync(f, 'utf8') }); inflight.add(p); p.then(() => inflight.delete(p)); if (inflight.size >= 16) await Promise.race(inflight); }
await Promise.all(inflight);
const t1 = performance.now();
let n = 0, bytes = 0;
if (mode === 'get') { const out = await index.getFiles(); for (const f of out.files) { n++; bytes += f.content.length; } }
else { fs.rmSync('/tmp/pfab/out', { recursive: true, force: true }); await index.writeFiles({ outputPath: '/tmp/pfab/out' }); const w = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) w(p); else { n++; bytes += fs.readFileSync(p).length; } } }; w('/tmp/pfab/out'); }
const t2 = performance.now();
console.log(mode, files.length, 'add', (t1 - t0).toFixed(0), 'files', (t2 - t1).toFixed(0), n, bytes, 'rss', Math.round(process.memoryUsage().rss / 1048576), 'maxrss', Math.round(process.resourceUsage().maxRSS / 1024));
await pagefind.close();

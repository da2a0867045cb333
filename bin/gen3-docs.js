#!/usr/bin/env node
// The command line, run as JavaScript compiled ahead of time (dist/), compiled first when src/ is newer.
import { ensureCompiled } from './compile.js';
import module from 'node:module';

// Node.js 22.1 and later keep the compiled code of the modules between runs, which shortens start-up (most of
// a warm build); Node.js 20 has no such cache.
module.enableCompileCache?.();
ensureCompiled();
const { main } = await import('../dist/cli.js');
process.exit(await main(process.argv.slice(2)));

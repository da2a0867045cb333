#!/usr/bin/env node
// The command line, run as JavaScript compiled ahead of time (dist/), compiled first when src/ is newer.
import { ensureCompiled } from './compile.js';

ensureCompiled();
const { main } = await import('../dist/cli.js');
process.exit(await main(process.argv.slice(2)));

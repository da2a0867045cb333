// Runs the compiled command line in this process and reports its peak memory, for the benchmark:
// `measure.js -- <cli args>`. Plain JavaScript, so that no TypeScript loader is timed.
import { writeFileSync } from 'node:fs';
import module from 'node:module';
import { main } from '../dist/cli.js';

// Node.js 22.1 and later keep the compiled code of the modules between runs, which shortens start-up (most of
// a warm build); Node.js 20 has no such cache.
module.enableCompileCache?.();
const args = process.argv.slice(2);
const resultFile = process.env.BENCH_RESULT_FILE;
const code = await main(args[0] === '--' ? args.slice(1) : args);
if (resultFile) writeFileSync(resultFile, JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }));
process.exit(code);

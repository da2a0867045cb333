/** Runs the CLI in this process and reports its peak memory, for the benchmark: `measure.ts -- <cli args>`. */
import { writeFileSync } from 'node:fs';
import { main } from '../src/cli.ts';

const args = process.argv.slice(2);
const resultFile = process.env.BENCH_RESULT_FILE;
const code = await main(args[0] === '--' ? args.slice(1) : args);
if (resultFile) writeFileSync(resultFile, JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }));
process.exit(code);

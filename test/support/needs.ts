/** What some suites need beyond Node.js, checked the way those suites check it, with how to provide it. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR, HAS_CORPUS, PROJECT_ROOT } from './corpus.ts';
import { CHROMIUM, hasChromium } from './browser.ts';

export interface Need {
  name: string;
  present: boolean;
  /** Where it was looked for and how to provide it, for the line that says why suites were skipped. */
  missing: string;
  /** What a test file that checks for it names: the constants the suites use for it. */
  named: RegExp;
}

const SHARED = path.resolve(PROJECT_ROOT, process.env.SHARED_DIR ?? '../shared');
const CHECKER = path.join(SHARED, 'tools/check-bundle.py');
const REFERENCE = path.join(SHARED, 'reference/gen3-docs-index.md');

const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

export function optionalNeeds(): Need[] {
  return [
    { name: 'corpus', present: HAS_CORPUS, missing: `no corpus at ${CORPUS_DIR} (set CORPUS_DIR)`, named: /CORPUS/ },
    {
      name: 'Chromium',
      present: hasChromium,
      missing: `no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`,
      named: /CHROMIUM|hasChromium/,
    },
    { name: 'MkDocs', present: runs('mkdocs', ['--version']), missing: 'mkdocs is not on the PATH (apt-get install mkdocs)', named: /MKDOCS/ },
    {
      name: 'bundle checker',
      present: existsSync(CHECKER) && runs('python3', ['--version']),
      missing: `needs python3 and ${CHECKER}`,
      named: /CHECKER|checkBundle/,
    },
    { name: 'reference page', present: existsSync(REFERENCE), missing: `no ${REFERENCE} (set SHARED_DIR)`, named: /REFERENCE/ },
  ];
}

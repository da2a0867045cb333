/**
 * Parsed release notes kept in <cache>/releases/, keyed by everything the parser reads (the notes, known bugs
 * and manifest text, their path, the default repository) and the program version: parsing the 75 notes of
 * the corpus costs about two seconds, on every build where they did not change.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseReleaseNotes } from './parse.ts';

type Parse = typeof parseReleaseNotes;

export function cachedReleaseParser(cacheDir: string | undefined, version: string): Parse {
  if (!cacheDir) return parseReleaseNotes;
  const dir = path.join(cacheDir, 'releases');
  return (input) => {
    const key = createHash('sha256').update(version).update(JSON.stringify(input)).digest('hex');
    const file = path.join(dir, `${key}.json`);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ReturnType<Parse>;
    } catch {
      // not cached yet (or damaged): parse
    }
    const result = parseReleaseNotes(input);
    try {
      mkdirSync(dir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(result));
      renameSync(temp, file);
    } catch {
      // a cache that cannot be written only costs time
    }
    return result;
  };
}

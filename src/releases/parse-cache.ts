/**
 * Parsed release notes kept in <cache>/releases/, keyed by everything the parser reads (the notes, known bugs
 * and manifest text, their path, the default repository) and the program version: parsing the 75 notes of
 * the corpus costs about two seconds, on every build where they did not change. Entries carry the hash of
 * their bytes (cache/entry.ts): one edited or damaged in the cache is parsed again.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readJsonEntrySync, writeEntrySync, type CacheDamage } from '../cache/entry.ts';
import { parseReleaseNotes } from './parse.ts';

type Parse = typeof parseReleaseNotes;

export function cachedReleaseParser(cacheDir: string | undefined, version: string, onDamage?: CacheDamage): Parse {
  if (!cacheDir) return parseReleaseNotes;
  const dir = path.join(cacheDir, 'releases');
  return (input) => {
    const key = createHash('sha256').update(version).update(JSON.stringify(input)).digest('hex');
    const file = path.join(dir, `${key}.json`);
    const read = readJsonEntrySync<ReturnType<Parse>>(file);
    if (read.state === 'ok') return read.value;
    if (read.state === 'damaged') onDamage?.(file, `the release notes ${input.path} were parsed again`);
    const result = parseReleaseNotes(input);
    try {
      writeEntrySync(file, JSON.stringify(result));
    } catch {
      // a cache that cannot be written only costs time
    }
    return result;
  };
}

/**
 * One cache entry on disk: the SHA-256 of its bytes on a first line, "sha256 <64 hex>\n", then the bytes. Every
 * read checks the hash, so an entry that was damaged or edited since it was written is a miss, reported, and
 * never published as it stands. Entries are written to a temporary name and renamed into place, so a killed
 * build leaves the old entry or the new one, never half of one.
 *
 * Why a plain hash and not one keyed with a secret: the cache is written only by builds of the main branch
 * (pull requests restore it and never save it: .github/workflows/docs.yml), and whoever can write the cache
 * folder can as well change this program or its dependencies. A key kept in the cache folder would travel with
 * every copy of it (a restored CI cache, an artifact), so anyone able to forge an entry could read the key and
 * sign the forgery: it would add nothing. The realistic cases are damage (a disk, a cut-short copy or restore,
 * files of two caches mixed) and an entry edited by hand, and a plain hash catches both.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { warning, type Warning } from '../core/warning.ts';

const HEADER = /^sha256 ([0-9a-f]{64})\n/;
const HEADER_LENGTH = 'sha256 \n'.length + 64;

export type EntryRead<T> = { state: 'absent' } | { state: 'damaged' } | { state: 'ok'; value: T };

/** Called for an entry that failed its check: the file, and what the build did instead. */
export type CacheDamage = (file: string, instead: string) => void;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function sealEntry(payload: string | Uint8Array): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return Buffer.concat([Buffer.from(`sha256 ${sha256(bytes)}\n`), bytes]);
}

/** The payload of a sealed entry, or undefined when its bytes do not hash to what the entry records. */
export function unsealEntry(bytes: Buffer): Buffer | undefined {
  const m = HEADER.exec(bytes.subarray(0, HEADER_LENGTH).toString('latin1'));
  if (!m) return undefined;
  const payload = bytes.subarray(HEADER_LENGTH);
  return sha256(payload) === m[1] ? payload : undefined;
}

function decode<T>(bytes: Buffer | undefined, parse: (payload: Buffer) => T): EntryRead<T> {
  if (bytes === undefined) return { state: 'absent' };
  const payload = unsealEntry(bytes);
  if (!payload) return { state: 'damaged' };
  try {
    return { state: 'ok', value: parse(payload) };
  } catch {
    return { state: 'damaged' };
  }
}

const asJson = (payload: Buffer): unknown => JSON.parse(payload.toString('utf8'));

/** Reads and checks an entry; an unreadable file (absent, a folder, no permission) is absent. */
export async function readEntry(file: string): Promise<EntryRead<Buffer>> {
  return decode(await readFile(file).catch(() => undefined), (p) => p);
}

export async function readJsonEntry<T>(file: string): Promise<EntryRead<T>> {
  return decode(await readFile(file).catch(() => undefined), asJson as (p: Buffer) => T);
}

export function readJsonEntrySync<T>(file: string): EntryRead<T> {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(file);
  } catch {
    bytes = undefined;
  }
  return decode(bytes, asJson as (p: Buffer) => T);
}

const tempName = (file: string) => `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

export async function writeEntry(file: string, payload: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = tempName(file);
  try {
    await writeFile(temp, sealEntry(payload));
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

export function writeEntrySync(file: string, payload: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempName(file);
  try {
    writeFileSync(temp, sealEntry(payload));
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    throw error;
  }
}

/** A build warning for a damaged entry, naming the file as the user would type it. */
export function damagedEntryWarning(file: string, instead: string): Warning {
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  return warning(shown, 'cache-damaged', `cache entry does not match the hash recorded when it was written (damaged or edited), not used: ${instead}`);
}

/** The `versions` map of the manifest.json beside a release's notes: which image each service ran. */
import { visit as visitJson } from 'jsonc-parser';
import type { ImageVersion, ParseWarning } from './types.ts';

/** Largest manifest.json read: Gen3's are about 10 KB; one of 100,000 keys (2.3 MB) takes about a second. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** The `versions` map of a release manifest.json: {"fence": "quay.io/cdis/fence:2020.02", ...}. */
export function parseManifestVersions(json: string, file: string, warnings: ParseWarning[]): ImageVersion[] {
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_MANIFEST_BYTES) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    warnings.push({ file, line: 0, message: `manifest.json is ${mb(bytes)}, over the ${mb(MAX_MANIFEST_BYTES)} limit; its image versions are left out`, ruleId: 'release-manifest' });
    return [];
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    warnings.push({ file, line: jsonErrorLine(json, message), message: `manifest.json is not valid JSON: ${message}`, ruleId: 'release-manifest' });
    return [];
  }
  const versions = isRecord(data) ? data.versions : undefined;
  if (!isRecord(versions)) {
    warnings.push({ file, line: 0, message: 'manifest.json has no "versions" map', ruleId: 'release-manifest' });
    return [];
  }
  const lines = versionKeyLines(json);
  const out: ImageVersion[] = [];
  for (const [key, value] of Object.entries(versions)) {
    const line = lines.get(key) ?? 0;
    const service = oneLine(key);
    if (service !== key) warnings.push({ file, line, message: `manifest.json: the key ${JSON.stringify(key)} of versions holds line breaks or control characters; read as "${service}"`, ruleId: 'release-manifest' });
    if (typeof value !== 'string' || value.trim() === '') {
      warnings.push({ file, line, message: `manifest.json: versions.${service} is not an image reference`, ruleId: 'release-manifest' });
      continue;
    }
    const reference = oneLine(value);
    if (reference !== value.trim()) {
      warnings.push({ file, line, message: `manifest.json: versions.${service} holds line breaks or control characters; read as "${reference}"`, ruleId: 'release-manifest' });
    }
    const { image, version } = splitImage(reference);
    if (version === null) {
      warnings.push({ file, line, message: `manifest.json: versions.${service} "${reference}" has no tag; taken as "latest"`, ruleId: 'release-manifest' });
    }
    out.push({ service, image, version: version ?? 'latest' });
  }
  return out;
}

/** An image reference or service name is one line of text: runs of white space and control characters become one space. */
function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/**
 * 1-based line of each key of the top-level `versions` map, in one pass over the text. A key given twice keeps
 * its first line, where JSON.parse places it in the object's order; of two `versions` maps the last counts.
 */
function versionKeyLines(json: string): Map<string, number> {
  const lines = new Map<string, number>();
  try {
    visitJson(json, {
      onObjectProperty(property, _offset, _length, startLine, _startCharacter, pathSupplier) {
        const at = pathSupplier();
        if (at.length === 0 && property === 'versions') lines.clear();
        else if (at.length === 1 && at[0] === 'versions' && !lines.has(property)) lines.set(property, startLine + 1);
      },
    });
  } catch {
    // The visitor recurses: arrays nested some 10,000 deep (which JSON.parse reads) overflow the stack. The
    // lines are only for warnings; the keys not reached yet get none.
  }
  return lines;
}

/** "quay.io/cdis/fence:2020.02" -> image + tag; a registry port ("host:5000/x") is not a tag. */
export function splitImage(reference: string): { image: string; version: string | null } {
  const at = reference.indexOf('@');
  if (at >= 0) return { image: reference.slice(0, at), version: reference.slice(at + 1) };
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { image: reference.slice(0, colon), version: reference.slice(colon + 1) };
  return { image: reference, version: null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonErrorLine(json: string, message: string): number {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (position) return json.slice(0, Number(position[1])).split('\n').length;
  return 0;
}

import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, MKDOCS, MKDOCS_SKIP_REASON, buildInto, mkdocsLinkWarnings, tempDir, announceSkips } from './helpers.ts';

announceSkips({ mkdocs: true });

describe.skipIf(!MKDOCS)(`MkDocs takes out/md of the fixture${MKDOCS ? '' : ` (skipped: ${MKDOCS_SKIP_REASON})`}`, () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(await tempDir('mkdocs-fixture'), 'out');
    await buildInto(FIXTURE, out);
  });
  afterAll(() => rm(path.dirname(out), { recursive: true, force: true }));

  it('builds with --strict and no missing link', async () => {
    const result = await mkdocsLinkWarnings(path.join(out, 'md'));
    expect(result.warnings).toEqual([]);
    expect(result.status, result.log).toBe(0);
  });

  it('would report a link to a missing page (the check can fail)', async () => {
    await writeFile(path.join(out, 'md/broken.md'), '# Broken\n\n[nowhere](services/nowhere.md)\n');
    const result = await mkdocsLinkWarnings(path.join(out, 'md'));
    expect(result.warnings.join('\n')).toContain('nowhere.md');
    expect(result.status).not.toBe(0);
  });
});

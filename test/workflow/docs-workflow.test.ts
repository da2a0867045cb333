/** The scheduled GitHub workflow: triggers, least privilege, steps and concurrency. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ROOT } from '../publish/helpers.ts';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  environment?: { name: string; url?: string };
  steps: Step[];
}

const text = readFileSync(path.join(ROOT, '.github/workflows/docs.yml'), 'utf8');
const doc = YAML.parse(text);
const wf = doc as { on: Record<string, unknown>; permissions: Record<string, string>; concurrency: { group: string; 'cancel-in-progress': string }; jobs: Record<string, Job> };
const jobs = wf.jobs;
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split('@')[0] === action);
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').filter(Boolean);

describe('docs workflow', () => {
  it('parses as YAML with no duplicate keys and no tabs', () => {
    expect(() => YAML.parse(text, { uniqueKeys: true })).not.toThrow();
    expect(text).not.toMatch(/\t/);
  });

  it('runs on pull requests, pushes to main, a daily schedule and by hand', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch']);
    expect((wf.on.push as { branches: string[] }).branches).toEqual(['main']);
    const schedule = wf.on.schedule as { cron: string }[];
    expect(schedule).toHaveLength(1);
    // Minute and hour fixed, every day.
    expect(schedule[0]!.cron).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
  });

  it('grants contents: read at the top and pages/id-token write on the deploy job only', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(jobs)) {
      if (name === 'deploy') expect(job.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
      else expect(job.permissions).toBeUndefined();
    }
  });

  it('checks pull requests: typecheck, test, build with annotations, no deploy', () => {
    const check = jobs.check!;
    expect(check.if).toBe("github.event_name == 'pull_request'");
    expect(runs(check)).toEqual(expect.arrayContaining(['npm ci', 'npm run typecheck', 'npm test', 'npm run build -- --report-format github']));
    const order = ['npm ci', 'npm run typecheck', 'npm test', 'npm run build -- --report-format github'].map((r) => runs(check).indexOf(r));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(uses(check, 'actions/upload-pages-artifact')).toHaveLength(0);
    expect(uses(check, 'actions/deploy-pages')).toHaveLength(0);
    // A pull request may read the newest cache but never writes one.
    expect(uses(check, 'actions/cache')).toHaveLength(0);
    expect(uses(check, 'actions/cache/restore')[0]!.with).toMatchObject({ path: '.cache/', 'restore-keys': 'docs-cache-' });
  });

  it('builds with Node 24, the active LTS, the npm cache, GITHUB_TOKEN and GitHub annotations', () => {
    for (const name of ['check', 'build']) {
      const job = jobs[name]!;
      expect(uses(job, 'actions/checkout')).toHaveLength(1);
      expect(uses(job, 'actions/checkout')[0]!.with).toMatchObject({ 'persist-credentials': false });
      expect(uses(job, 'actions/setup-node')[0]!.with).toEqual({ 'node-version': 24, cache: 'npm' });
      const build = job.steps.find((s) => s.run === 'npm run build -- --report-format github')!;
      expect(build.env).toEqual({ GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
      expect(runs(job).indexOf('npm ci')).toBeLessThan(job.steps.indexOf(build));
    }
  });

  it('restores the newest .cache/ and saves a new one on every run of the build job', () => {
    const build = jobs.build!;
    const [cache] = uses(build, 'actions/cache');
    expect(cache).toBeDefined();
    const key = String(cache!.with!.key);
    const prefix = String(cache!.with!['restore-keys']);
    expect(cache!.with!.path).toBe('.cache/');
    expect(key).toContain('${{ github.run_id }}');
    expect(key.startsWith(prefix)).toBe(true);
    // The cache step comes before the build, so its post step saves what the build wrote.
    const buildStep = build.steps.findIndex((s) => s.run?.startsWith('npm run build'));
    expect(build.steps.indexOf(cache!)).toBeLessThan(buildStep);
  });

  it('uploads out/ as the Pages artifact and deploys it, never for pull requests', () => {
    const build = jobs.build!;
    expect(build.if).toBe("github.event_name != 'pull_request'");
    expect(uses(build, 'actions/upload-pages-artifact')[0]!.with).toEqual({ path: 'out/' });
    const deploy = jobs.deploy!;
    expect(deploy.needs).toBe('build');
    expect(deploy.if).toBe("github.event_name != 'pull_request'");
    expect(deploy.environment).toEqual({ name: 'github-pages', url: '${{ steps.deployment.outputs.page_url }}' });
    expect(deploy.steps).toEqual([{ id: 'deployment', uses: expect.stringMatching(/^actions\/deploy-pages@v\d+$/) }]);
  });

  it('never runs two publishing builds at once and never cancels a deploy', () => {
    // Outside pull requests the group is one constant and runs queue instead of cancelling.
    expect(wf.concurrency.group).toBe("docs-${{ github.event_name == 'pull_request' && github.ref || 'publish' }}");
    expect(wf.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
    expect(jobs.deploy!.concurrency).toEqual({ group: 'docs-deploy', 'cancel-in-progress': false });
  });

  it('pins every action to a major version', () => {
    for (const job of Object.values(jobs)) {
      for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^actions\/[a-z-]+(\/[a-z-]+)?@v\d+$/);
    }
  });
});

// GIVEN .github/workflows/review.yml WHEN actionlint checks it and its generate-check, validate and
// impact steps run as the runner would, in a clone holding a pull request merged into its base,
// THEN it lints clean (a broken copy does not), the checks pass on a good change, and the impact
// preview names exactly the tenants and objects the change reaches. Only the comment-posting step
// is not run (it needs GitHub); the markdown it would post is checked here instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolPath } from '../../src/shared/tools.ts';
import { IMPACT_COMMENT_MARKER } from '../../src/generate/impact/index.ts';
import { REPO_ROOT } from '../fixtures/platform-repo.ts';
import { makePullRequestClone, type PullRequestClone } from './support/pull-request-clone.ts';
import { readWorkflow, runStep, step, type RunContext } from './support/run-step.ts';
import { EXAMPLE_NAMESPACES } from '../fixtures/example-tenants.ts';
import { code } from '../../src/shared/markdown.ts';

const WORKFLOW_PATH = join(REPO_ROOT, '.github/workflows/review.yml');
const workflow = readWorkflow(WORKFLOW_PATH);
const review = workflow.jobs.review!;
/** What GitHub puts for the expressions in the env the tested steps see (an unset variable is empty). */
const EXPRESSIONS = { 'vars.TENANT_GITOPS_REPO_URL': '' };

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((c) => c()));

/** actionlint over the given workflow files. */
function actionlint(...files: string[]) {
  const tool = toolPath('actionlint');
  const result = spawnSync(tool, ['-color=false', ...files], { encoding: 'utf8' });
  if (result.error)
    throw new Error(`cannot run ${tool}: ${result.error.message} (fix: bash scripts/tools/actionlint.sh)`);
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function pullRequest(change: (workspace: string) => void): { clone: PullRequestClone; context: RunContext } {
  const clone = makePullRequestClone();
  cleanup.push(clone.remove);
  clone.open(change);
  const github = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'pr' };
  return { clone, context: { workflow, job: review, workspace: clone.workspace, github, expressions: EXPRESSIONS } };
}

/** `tenantctl generate` in the clone, with the clone's own generator, as a person would before committing. */
function regenerate(workspace: string): void {
  const result = spawnSync(process.execPath, ['bin/tenantctl.js', 'generate'], {
    cwd: workspace,
    encoding: 'utf8',
    env: { ...process.env, TENANT_GITOPS_REPO_URL: EXPRESSIONS['vars.TENANT_GITOPS_REPO_URL'] },
  });
  if (result.status !== 0) throw new Error(`tenantctl generate failed in the clone: ${result.stderr}`);
}

function edit(root: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));
}

/** The changed tenants' sections of the posted markdown, by tenant name. */
function tenantSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of markdown.matchAll(/<details><summary><code>([^<]+)<\/code>[\s\S]*?<\/details>/g))
    sections.set(m[1]!, m[0]);
  return sections;
}

describe('the review workflow', () => {
  it('GIVEN the workflow WHEN actionlint checks .github/workflows THEN it passes, and a copy with a wrong step id fails naming it', () => {
    const workflows = join(REPO_ROOT, '.github/workflows');
    const good = actionlint(...readdirSync(workflows).map((f) => join(workflows, f)));
    expect(good.output).toBe('');
    expect(good.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'tenant-gitops-actionlint-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    const broken = readFileSync(WORKFLOW_PATH, 'utf8').replace(
      'steps.impact.outputs.markdown',
      'steps.impakt.outputs.markdown',
    );
    writeFileSync(join(dir, '.github/workflows/review.yml'), broken);
    const bad = actionlint(join(dir, '.github/workflows/review.yml'));
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('impakt');
  });

  it('GIVEN the workflow WHEN read THEN it runs on pull requests, one run per PR, with least privilege, actions pinned by commit, the main set-up profile, and no expressions inside run scripts', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.concurrency).toEqual({
      group: 'review-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
    expect(workflow.permissions).toEqual({});
    expect(review.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.comment!.permissions).toEqual({ 'pull-requests': 'write' });
    // The job holding the write token runs nothing from the pull request.
    expect(
      workflow.jobs.comment!.steps.every((s) => s.run === undefined && !s.uses?.startsWith('actions/checkout')),
    ).toBe(true);
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    expect(step(review, 'setup').run).toContain('bash scripts/setup.sh main');
    for (const s of review.steps) if (s.run) expect(s.run).not.toContain('${{');
  });

  it('GIVEN a pull request that adds a quota default in base/tenant WHEN the steps run THEN generate --check and validate pass and the preview names every tenant, each ResourceQuota and the field, and asks for a comment', async () => {
    const { context } = pullRequest((w) =>
      edit(w, 'base/tenant/resourcequota.yaml', (t) => t.replace('hard: {}', 'hard:\n    count/configmaps: "100"')),
    );
    const check = await runStep(context, step(review, 'generate-check'));
    expect(check.code, check.stderr).toBe(0);
    const validate = await runStep(context, step(review, 'validate'));
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('3 overlays');
    const impact = await runStep(context, step(review, 'impact'));
    expect(impact.code, impact.stderr).toBe(0);
    expect(impact.outputs.comment).toBe('true');
    const markdown = impact.outputs.markdown!;
    expect(markdown.split('\n')[0]).toBe(IMPACT_COMMENT_MARKER);
    expect(impact.summary).toBe(`${markdown}\n`);
    expect(markdown).toContain('**3 of 3 tenants change, 0 unchanged.**');
    expect(markdown).toMatch(/at `origin\/main` \(`[0-9a-f]{12}`\)/);
    expect(markdown).toContain(
      `| changed | \`ResourceQuota\` \`tenant-quota\` | ${code('spec.hard["count/configmaps"]')} | 3: \`acme\`, \`globex\`, \`initech\` | 6 |`,
    );
    const sections = tenantSections(markdown);
    expect([...sections.keys()]).toEqual(['acme', 'globex', 'initech']);
    for (const ns of EXAMPLE_NAMESPACES) {
      const row = `| changed | \`ResourceQuota\` \`${ns}/tenant-quota\` | \`overlays/${ns.split('-')[1]}\` |`;
      expect(markdown).toContain(`${row} ${code('spec.hard["count/configmaps"]')} | \`(absent)\` | ${code('"100"')} |`);
    }
  });

  it('GIVEN a pull request as the onboarding service opens it (one spec and its generated files) WHEN the steps run THEN the checks pass, the preview names only that tenant, and no comment is asked for', async () => {
    const { context } = pullRequest((w) => {
      edit(w, 'tenants/globex.yaml', (t) => t.replace('  quota:\n', '  quota:\n    pods: "77"\n'));
      regenerate(w);
    });
    const check = await runStep(context, step(review, 'generate-check'));
    expect(check.code, check.stderr).toBe(0);
    const impact = await runStep(context, step(review, 'impact'));
    expect(impact.code, impact.stderr).toBe(0);
    expect(impact.outputs.comment).toBe('false');
    expect(impact.outputs.markdown).toContain('**1 of 3 tenants change, 2 unchanged.**');
    expect([...tenantSections(impact.outputs.markdown!).keys()]).toEqual(['globex']);
    expect(impact.outputs.markdown).toContain(`| \`spec.hard.pods\` | ${code('"50"')} | ${code('"77"')} |`);
  });

  it("GIVEN a pull request that touches only tenants/<one>.yaml WHEN the steps run THEN generate --check fails naming that tenant's stale files and the preview still names only that tenant", async () => {
    const { context } = pullRequest((w) =>
      edit(w, 'tenants/globex.yaml', (t) => t.replace('  quota:\n', '  quota:\n    pods: "77"\n')),
    );
    const check = await runStep(context, step(review, 'generate-check'));
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('differs  overlays/globex/values/patches.yaml');
    const impact = await runStep(context, step(review, 'impact'));
    expect(impact.code, impact.stderr).toBe(0);
    expect(impact.outputs.comment).toBe('false');
    expect([...tenantSections(impact.outputs.markdown!).keys()]).toEqual(['globex']);
  });

  it("GIVEN a pull request that raises the free tier's default pods in src/tenant/tiers.ts and regenerates WHEN the steps run THEN the preview names the free tenant only, with the field, and asks for a comment", async () => {
    const { context } = pullRequest((w) => {
      edit(w, 'src/tenant/tiers.ts', (t) => t.replace("pods: '10',", "pods: '12',"));
      regenerate(w);
    });
    const check = await runStep(context, step(review, 'generate-check'));
    expect(check.code, check.stderr).toBe(0);
    const impact = await runStep(context, step(review, 'impact'));
    expect(impact.code, impact.stderr).toBe(0);
    expect(impact.outputs.comment).toBe('true');
    expect([...tenantSections(impact.outputs.markdown!).keys()]).toEqual(['initech']);
    expect(impact.outputs.markdown).toContain(
      `| changed | \`ResourceQuota\` \`tenant-initech/tenant-quota\` | \`overlays/initech\` | \`spec.hard.pods\` | ${code('"10"')} | ${code('"12"')} |`,
    );
  });
});

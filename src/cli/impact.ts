// `tenantctl impact --base <ref>`: which tenants' rendered objects change between a git ref and the
// working tree, object by object. A report, so it exits 0 whatever changes; 2 on bad input (an
// unknown ref, a bad spec), 1 when it cannot produce the report.
import { InputError } from '../shared/errors.ts';
import { computeImpact, formatImpactMarkdown, formatImpactText } from '../generate/impact/index.ts';
import { platformRepoUrlFromEnv } from '../tenant/platform.ts';
import { EXIT_OK, parseCommand, printJson, reportError } from './options.ts';

const USAGE = 'usage: tenantctl impact --base <ref> [--root DIR] [--json | --markdown]';

export async function impactCommand(argv: string[]): Promise<number> {
  const { values, common, help } = parseCommand(
    argv,
    { base: { type: 'string' }, markdown: { type: 'boolean', default: false } },
    USAGE,
  );
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    if (typeof values.base !== 'string')
      throw new InputError([
        { path: '--base', message: 'is required', fix: 'name the git ref to compare with, e.g. --base origin/main' },
      ]);
    if (common.json && values.markdown === true)
      throw new InputError([{ path: '--markdown', message: 'cannot be combined with --json', fix: 'choose one' }]);
    const report = await computeImpact(common.root, values.base, {
      platformRepoUrl: platformRepoUrlFromEnv(process.env),
    });
    if (common.json) printJson({ ok: true, ...report });
    else process.stdout.write(values.markdown === true ? formatImpactMarkdown(report) : formatImpactText(report));
    return EXIT_OK;
  } catch (error) {
    return reportError(error, common.json);
  }
}

// `tenantctl validate`: kustomize every overlay (render-overlays), check the isolation invariants, and
// kubeconform -strict everything offline against Kubernetes v1.34.4 and the CRD schemas.
import { validateRepository } from '../generate/validate/index.ts';
import { EXIT_FAILED, EXIT_OK, parseCommand, printJson, reportError } from './options.ts';

const USAGE = 'usage: tenantctl validate [--root DIR] [--json]';

export async function validateCommand(argv: string[]): Promise<number> {
  const { common, help } = parseCommand(argv, {}, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    const report = await validateRepository(common.root);
    if (common.json) printJson(report);
    else if (report.ok)
      process.stdout.write(`tenant-gitops: ${report.tenants} overlays, ${report.objects} objects valid\n`);
    else {
      const lines = report.problems.map((p) => `${p.tenant}${p.file ? ` (${p.file})` : ''}: ${p.message}`);
      process.stderr.write(`tenant-gitops: validation failed\n${lines.join('\n')}\n`);
    }
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } catch (error) {
    return reportError(error, common.json);
  }
}

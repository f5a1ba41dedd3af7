// `tenantctl store backup --db FILE --to FILE` and `tenantctl store restore --db FILE --from FILE
// [--force]`: an online backup of the onboarding service's SQLite store, and putting one back while
// the service is stopped. Both check the copy first; exit 2 on bad input or a damaged copy.
import { InputError } from '../shared/errors.ts';
import { backupStore, restoreStore } from '../onboarding/store/backup.ts';
import { EXIT_OK, parseCommand, printJson, reportError } from './options.ts';

const USAGE =
  'usage: tenantctl store backup --db FILE --to FILE    (online: the service may be running)\n' +
  '       tenantctl store restore --db FILE --from FILE [--force]    (the service stopped)';

export async function storeCommand(argv: string[]): Promise<number> {
  const { values, positionals, common, help } = parseCommand(
    argv,
    {
      db: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    const [action] = positionals;
    const db = required(values.db, '--db', 'the store file (TENANT_GITOPS_DB)');
    let copy;
    if (action === 'backup') copy = await backupStore(db, required(values.to, '--to', 'the backup file to write'));
    else if (action === 'restore')
      copy = restoreStore(required(values.from, '--from', 'the backup file'), db, { force: values.force === true });
    else
      throw new InputError([
        { path: 'store', message: `unknown action ${action ?? '(none)'}`, fix: 'use backup or restore' },
      ]);
    if (common.json) printJson({ ok: true, action, ...copy });
    else
      process.stdout.write(
        `${action === 'backup' ? 'backed up to' : 'restored'} ${copy.path}: ${copy.tenants} tenants, ${copy.bytes} bytes, schema ${copy.schema}\n`,
      );
    return EXIT_OK;
  } catch (error) {
    return reportError(error, common.json);
  }
}

function required(value: unknown, flag: string, what: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new InputError([{ path: flag, message: 'is required', fix: `name ${what}` }]);
}

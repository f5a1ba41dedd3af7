// GIVEN the service running with tenants in several states WHEN `tenantctl store backup` copies its
// store online, the store is lost, and `tenantctl store restore` puts the copy back THEN the
// service starts on it and resumes: a PR merged meanwhile is found by the reconciler, and a tenant
// onboarded after the backup, asked again, gets its existing PR (never a second one). A damaged
// backup, an existing target, and a store still in use are refused, replacing nothing.
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tenantctlAsync } from '../cli/run-cli.ts';
import { useHarness } from './support/harness.ts';

const harness = useHarness({ service: { reconcileIntervalMs: 300 } });

const store = (...args: string[]) => tenantctlAsync(harness().stateDir, 'store', ...args);

describe('store backup and restore', () => {
  it('GIVEN a backup taken while the service runs WHEN the store is lost and restored THEN the service resumes from it', async () => {
    const merged = await harness().onboard('kept');
    await harness().merge(merged);
    await harness().reaches('kept', 'merged');
    const open = await harness().onboard('waiting');
    const backup = join(harness().stateDir, 'backup.sqlite');

    const taken = await store('backup', '--db', harness().databasePath, '--to', backup, '--json');
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout)).toMatchObject({ ok: true, action: 'backup', tenants: 2, schema: 3 });
    // A second backup never overwrites the first.
    const again = await store('backup', '--db', harness().databasePath, '--to', backup);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');

    // Work after the backup, then the store is lost while GitHub moves on.
    const late = await harness().onboard('late');
    await harness().service!.service.idle();
    await harness().stopService();
    await harness().merge(open);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${harness().databasePath}${suffix}`, { force: true });

    const restored = await store('restore', '--db', harness().databasePath, '--from', backup);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('2 tenants');
    await harness().startService({ reconcileIntervalMs: 300 });

    expect((await harness().tenant('kept')).state).toBe('merged');
    // The merge GitHub saw while the store was gone is found again.
    await harness().reaches('waiting', 'merged');
    // The tenant onboarded after the backup is unknown to the store; asked again, it gets its PR back.
    expect((await harness().api('GET', '/v1/tenants/late')).status).toBe(404);
    expect(await harness().onboard('late')).toBe(late);
    const pulls = (await harness().pulls('all')).filter((p) => p.head.ref === 'tenants/late');
    expect(pulls).toHaveLength(1);
  });

  it('GIVEN a damaged backup, or a store still in use WHEN restored THEN refused, naming why, and the store is untouched', async () => {
    const damaged = join(harness().stateDir, 'damaged.sqlite');
    writeFileSync(damaged, 'SQLite format 3\0'.padEnd(8192, 'x'));
    // The store file is replaced by a rename: the same inode means it was not.
    const inode = () => statSync(harness().databasePath).ino;
    const before = inode();
    const refused = await store('restore', '--db', harness().databasePath, '--from', damaged);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${damaged}: is not a whole store`);
    expect(inode()).toBe(before);

    // The service is running: its write-ahead log holds writes.
    await harness().onboard('busy');
    expect(existsSync(`${harness().databasePath}-wal`)).toBe(true);
    const good = join(harness().stateDir, 'good.sqlite');
    expect((await store('backup', '--db', harness().databasePath, '--to', good)).code).toBe(0);
    const inUse = await store('restore', '--db', harness().databasePath, '--from', good);
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toContain('stop the service first');
    expect(inode()).toBe(before);
    expect(existsSync(`${harness().databasePath}.restoring`)).toBe(false);
    expect((await harness().tenant('busy')).state).toBe('pr_open');
  });
});

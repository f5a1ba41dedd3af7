// A real PostgreSQL server for the tests and benches: the one vitest's global setup started
// (TENANT_GITOPS_TEST_POSTGRES_URL, postgres-global-setup.ts), or, outside vitest (a bench), a
// private one started through the same script and stopped when the process exits.
// Each caller gets its own fresh database on it, so test files never see each other's rows.
import { randomBytes } from 'node:crypto';
import { PostgresConnection } from '../src/onboarding/store/postgres.ts';
import { startPostgresServer } from './postgres-global-setup.ts';

let privateServer: string | undefined;

/** The server's URL (its `postgres` database). */
export function postgresServerUrl(): string {
  const shared = process.env['TENANT_GITOPS_TEST_POSTGRES_URL'];
  if (shared) return shared;
  if (!privateServer) {
    const server = startPostgresServer();
    privateServer = server.url;
    process.on('exit', () => server.stop());
  }
  return privateServer;
}

export interface TestDatabase {
  url: string;
  drop(): void;
}

/** A new, empty database on the server; `drop` removes it (closing whatever is still connected). */
export function createTestDatabase(): TestDatabase {
  const server = postgresServerUrl();
  const name = `store_${randomBytes(6).toString('hex')}`;
  const admin = new PostgresConnection(server);
  admin.exec(`CREATE DATABASE ${name}`);
  admin.close();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => {
      const connection = new PostgresConnection(server);
      connection.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      connection.close();
    },
  };
}

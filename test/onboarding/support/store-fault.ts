// A store method that fails as on a full disk (SQLITE_FULL) until restored: the service under
// test runs in this process, so its store's tables can be reached and one method replaced.
import Database from 'better-sqlite3';

/** Makes `method` of `table` throw SQLITE_FULL; call the returned function to restore it. */
export function failStoreMethod(table: object, method: string): () => void {
  const target = table as Record<string, unknown>;
  const original = target[method];
  target[method] = () => {
    throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  };
  return () => {
    target[method] = original;
  };
}

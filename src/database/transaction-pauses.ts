import type { DatabaseType } from '../config/app-config';

/**
 * Whether work done inside an open transaction may pause for the event loop (`runInSlices`).
 * On MariaDB a transaction owns its pooled connection, so other requests cannot reach it. On
 * SQLite every request shares the one connection: a pause would let other requests' statements
 * run inside the open transaction (and roll back with it), so there such work runs to its end.
 */
export function mayPauseInTransactions(database: DatabaseType): boolean {
  return database === 'mysql';
}

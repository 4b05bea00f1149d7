import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/**
 * The better-sqlite3 `Database` under a TypeORM SQLite data source: the app's one connection, for
 * work that must run as one synchronous call (a transaction no request's statement can enter, a
 * mark read in microseconds). TypeORM keeps it on its driver without a public type. Ask for it
 * each time rather than holding it: the driver opens it at start-up and again after a reconnect.
 */
export function sqliteConnection(dataSource: DataSource): Database {
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

import { InitialSchemaMysql1764180000000 } from './mysql/1764180000000-initial-schema';
import { InitialSchemaSqlite1764180000000 } from './sqlite/1764180000000-initial-schema';

/** Migrations per dialect, in order. Listed explicitly so the build and ts-jest agree. */
export const MYSQL_MIGRATIONS = [InitialSchemaMysql1764180000000];
export const SQLITE_MIGRATIONS = [InitialSchemaSqlite1764180000000];

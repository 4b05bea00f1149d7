import { resolve } from 'node:path';

/** Which database the benchmark seeds and both servers run on. */
export type BenchDatabaseKind = 'mariadb' | 'sqlite';

/** The benchmark's settings, all from the environment (see bench/README.md). */
export interface BenchConfig {
  kind: BenchDatabaseKind;
  /** What eventlog gets as DATABASE_URL (and the ceiling as CEILING_DATABASE_URL). */
  databaseUrl: string;
  /** MariaDB: the database's name; SQLite: the file's name. */
  databaseName: string;
  /** SQLite only: the database file (absolute). */
  sqliteFile: string | null;
  events: number;
  durationSeconds: number;
  connections: number;
  /** Only these scenarios (comma-separated names), or all. */
  scenarios: string[] | null;
  seedConnections: number;
  rowsPerInsert: number;
}

/** The default SQLite bench file: beside the harness, ignored by git, kept between runs. */
export const DEFAULT_SQLITE_FILE = resolve(__dirname, '..', 'data', 'eventlog_bench.sqlite');

function positiveInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name]?.trim().replace(/[_ ]/g, '');
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new Error(`${name}: expected an integer from 1 to ${max}, got "${process.env[name]}"`);
  }
  return Number(raw);
}

/** BENCH_DB names the database; a BENCH_DATABASE_URL of the other kind is a mistake, not a choice. */
function databaseKind(url: string | undefined): BenchDatabaseKind {
  const named = process.env.BENCH_DB?.trim().toLowerCase();
  if (named && named !== 'mariadb' && named !== 'sqlite') throw new Error(`BENCH_DB: expected mariadb or sqlite, got "${named}"`);
  const fromUrl = url ? (/^sqlite:/i.test(url) ? 'sqlite' : 'mariadb') : undefined;
  if (named && fromUrl && named !== fromUrl) throw new Error(`BENCH_DB=${named} but BENCH_DATABASE_URL is a ${fromUrl} URL`);
  return (named as BenchDatabaseKind | undefined) ?? fromUrl ?? 'mariadb';
}

export function loadBenchConfig(): BenchConfig {
  const given = process.env.BENCH_DATABASE_URL?.trim() || undefined;
  const kind = databaseKind(given);
  const scenarios = process.env.BENCH_SCENARIOS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const common = {
    events: positiveInt('BENCH_EVENTS', 1_000_000, 100_000_000),
    durationSeconds: positiveInt('BENCH_DURATION', 10, 3600),
    connections: positiveInt('BENCH_CONNECTIONS', 32, 1000),
    scenarios: scenarios && scenarios.length > 0 ? scenarios : null,
    seedConnections: positiveInt('BENCH_SEED_CONNECTIONS', 3, 16),
    rowsPerInsert: positiveInt('BENCH_SEED_BATCH', 2000, 20_000),
  };
  if (kind === 'sqlite') {
    const path = given ? given.replace(/^sqlite:(\/\/)?/i, '') : DEFAULT_SQLITE_FILE;
    if (path === '' || path === ':memory:') throw new Error(`BENCH_DATABASE_URL: expected sqlite:<file>, got "${given}"`);
    const file = resolve(path);
    return { kind, databaseUrl: `sqlite:${file}`, databaseName: file.split('/').pop()!, sqliteFile: file, ...common };
  }
  const databaseUrl = given ?? 'mysql://root@127.0.0.1:3306/eventlog_bench';
  const url = new URL(databaseUrl.replace(/^mariadb:/i, 'mysql:'));
  const databaseName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.protocol !== 'mysql:' || !/^[A-Za-z0-9_]+$/.test(databaseName)) {
    throw new Error(`BENCH_DATABASE_URL: expected mysql://user@host:port/database, got "${databaseUrl}"`);
  }
  return { kind, databaseUrl: url.toString(), databaseName, sqliteFile: null, ...common };
}

/** The server URL without the database (to create the database). */
export function serverUrl(config: BenchConfig): string {
  const url = new URL(config.databaseUrl);
  url.pathname = '/';
  return url.toString();
}

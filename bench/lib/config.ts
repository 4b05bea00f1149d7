/** The benchmark's settings, all from the environment (see bench/README.md). */
export interface BenchConfig {
  databaseUrl: string;
  databaseName: string;
  events: number;
  durationSeconds: number;
  connections: number;
  /** Only these scenarios (comma-separated names), or all. */
  scenarios: string[] | null;
  seedConnections: number;
  rowsPerInsert: number;
}

function positiveInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name]?.trim().replace(/[_ ]/g, '');
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new Error(`${name}: expected an integer from 1 to ${max}, got "${process.env[name]}"`);
  }
  return Number(raw);
}

export function loadBenchConfig(): BenchConfig {
  const databaseUrl = process.env.BENCH_DATABASE_URL?.trim() || 'mysql://root@127.0.0.1:3306/eventlog_bench';
  const url = new URL(databaseUrl.replace(/^mariadb:/i, 'mysql:'));
  const databaseName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.protocol !== 'mysql:' || !/^[A-Za-z0-9_]+$/.test(databaseName)) {
    throw new Error(`BENCH_DATABASE_URL: expected mysql://user@host:port/database, got "${databaseUrl}"`);
  }
  const scenarios = process.env.BENCH_SCENARIOS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    databaseUrl: url.toString(),
    databaseName,
    events: positiveInt('BENCH_EVENTS', 1_000_000, 100_000_000),
    durationSeconds: positiveInt('BENCH_DURATION', 10, 3600),
    connections: positiveInt('BENCH_CONNECTIONS', 32, 1000),
    scenarios: scenarios && scenarios.length > 0 ? scenarios : null,
    seedConnections: positiveInt('BENCH_SEED_CONNECTIONS', 3, 16),
    rowsPerInsert: positiveInt('BENCH_SEED_BATCH', 2000, 20_000),
  };
}

/** The server URL without the database (to create the database). */
export function serverUrl(config: BenchConfig): string {
  const url = new URL(config.databaseUrl);
  url.pathname = '/';
  return url.toString();
}

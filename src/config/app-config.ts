import { AUTHENTIK_PAGE_SIZE_LIMITS, PageSizeLimits, parseDuration } from '@app/common';
import { parseTrustedProxies, TrustedProxies } from './trusted-proxies';

export type DatabaseType = 'sqlite' | 'mysql';

/** The whole configuration, validated once at start (see `loadConfig`). */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  database: {
    type: DatabaseType;
    /** `mysql://…` URL, or the SQLite file path. */
    url: string;
    runMigrations: boolean;
    /** Longest wait for a connection or a statement before answering 503. */
    timeoutMs: number;
    poolSize: number;
  };
  /** From AUTHENTIK_SECRET_KEY, or generated once and kept in the data directory. */
  secretKey: string;
  bootstrapToken: string | undefined;
  /** EVENT_RETENTION in microseconds. */
  eventRetentionMicros: number;
  eventRetention: string;
  trustedProxies: TrustedProxies;
  logLevel: string;
  bodyLimitBytes: number;
  maxJsonDepth: number;
  purgeEnabled: boolean;
  /** Failed authentications allowed per client per minute before 429. */
  authFailureLimit: number;
  /** Page sizes of every list (authentik's tenant settings `pagination_*_page_size`). */
  pagination: PageSizeLimits;
  /** Longest graceful shutdown (draining requests, closing pools) before the process exits anyway. */
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the environment into an `AppConfig`. Every bad variable is reported at once, so an
 * operator fixes them in one go. The secret key is resolved separately (it may touch disk).
 */
export function loadConfig(env: NodeJS.ProcessEnv, resolveSecret: (dataDir: string) => string): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
      problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}: expected true or false, got "${env[name]}"`);
    return fallback;
  };

  const dataDir = env.DATA_DIR?.trim() || './data';
  const databaseUrl = env.DATABASE_URL?.trim() || `sqlite:${dataDir}/eventlog.sqlite`;
  let database: AppConfig['database'] = {
    type: 'sqlite',
    url: `${dataDir}/eventlog.sqlite`,
    runMigrations: bool('DATABASE_MIGRATE', true),
    timeoutMs: int('DATABASE_TIMEOUT_MS', 5000, 100, 600_000),
    poolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
  };
  if (/^(mysql|mariadb):\/\//i.test(databaseUrl)) {
    try {
      const url = new URL(databaseUrl.replace(/^mariadb:/i, 'mysql:'));
      if (!url.hostname || url.pathname.replace('/', '') === '') throw new Error('no host or database');
      database = { ...database, type: 'mysql', url: url.toString() };
    } catch {
      problems.push(`DATABASE_URL: expected mysql://user:pass@host:port/database, got "${databaseUrl}"`);
    }
  } else if (/^sqlite:/i.test(databaseUrl)) {
    const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
    if (path === '') problems.push('DATABASE_URL: sqlite: needs a file path (or :memory:)');
    database = { ...database, url: path };
  } else {
    problems.push(`DATABASE_URL: expected sqlite:<path> or mysql://…, got "${databaseUrl}"`);
  }

  const eventRetention = env.EVENT_RETENTION?.trim() || 'days=365';
  const retentionMicros = parseDuration(eventRetention);
  if (retentionMicros === null || retentionMicros <= 0) {
    problems.push(`EVENT_RETENTION: expected a positive duration like "days=365" or "weeks=3;days=2", got "${eventRetention}"`);
  }

  let trustedProxies: TrustedProxies = parseTrustedProxies('');
  try {
    trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES ?? '');
  } catch (error) {
    problems.push(`TRUSTED_PROXIES: ${(error as Error).message}`);
  }

  const logLevel = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);

  const bootstrapToken = env.AUTHENTIK_BOOTSTRAP_TOKEN?.trim() || undefined;
  if (bootstrapToken !== undefined && (bootstrapToken.length < 8 || /\s/.test(bootstrapToken))) {
    problems.push('AUTHENTIK_BOOTSTRAP_TOKEN: expected at least 8 characters without spaces');
  }

  const maxPageSize = int('PAGINATION_MAX_PAGE_SIZE', AUTHENTIK_PAGE_SIZE_LIMITS.maxPageSize, 1, 10_000);
  const defaultPageSize = int('PAGINATION_DEFAULT_PAGE_SIZE', Math.min(AUTHENTIK_PAGE_SIZE_LIMITS.defaultPageSize, maxPageSize), 1, 10_000);
  if (defaultPageSize > maxPageSize) {
    problems.push(`PAGINATION_DEFAULT_PAGE_SIZE: expected at most PAGINATION_MAX_PAGE_SIZE (${maxPageSize}), got "${defaultPageSize}"`);
  }

  const config: Omit<AppConfig, 'secretKey'> = {
    port: int('PORT', 9000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir,
    database,
    bootstrapToken,
    eventRetention,
    eventRetentionMicros: retentionMicros ?? 0,
    trustedProxies,
    logLevel,
    bodyLimitBytes: int('MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    maxJsonDepth: int('MAX_JSON_DEPTH', 32, 2, 1000),
    purgeEnabled: bool('PURGE_ENABLED', true),
    authFailureLimit: int('AUTH_FAILURE_LIMIT', 30, 1, 1_000_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    pagination: { defaultPageSize, maxPageSize },
  };
  if (problems.length > 0) throw new ConfigError(problems);

  const secretKey = env.AUTHENTIK_SECRET_KEY?.trim() || resolveSecret(dataDir);
  if (secretKey.length < 16) throw new ConfigError(['AUTHENTIK_SECRET_KEY: expected at least 16 characters']);
  return { ...config, secretKey };
}

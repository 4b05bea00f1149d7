import { AUTHENTIK_PAGE_SIZE_LIMITS, PageSizeLimits, parseDuration } from '@app/common';
import { DatabaseHost, parseMysqlHosts } from './database-hosts';
import { redactPassword } from './redact-url';
import { parseTrustedProxies, TrustedProxies } from './trusted-proxies';

export type DatabaseType = 'sqlite' | 'mysql';

/** The whole configuration, validated once at start (see `loadConfig`). */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  database: {
    type: DatabaseType;
    /** `mysql://…` URL (of the first host when DATABASE_URL lists several), or the SQLite file path. */
    url: string;
    /** MariaDB: DATABASE_URL's hosts in order, tried first to last (database-failover.ts); SQLite: none. */
    hosts: readonly DatabaseHost[];
    /** DATABASE_FAILOVER_CHECK_MS: how often an instance with several hosts looks for the first usable one. */
    failoverCheckMs: number;
    runMigrations: boolean;
    /** Longest wait for a connection or a statement before answering 503. */
    timeoutMs: number;
    poolSize: number;
    /** Heavy reads (lists, search, statistics, stream) at once: SQLite worker threads, or MariaDB's second pool. */
    readConcurrency: number;
  };
  /** From AUTHENTIK_SECRET_KEY, or generated once and kept in the data directory. */
  secretKey: string;
  bootstrapToken: string | undefined;
  /** EVENT_RETENTION in microseconds. */
  eventRetentionMicros: number;
  eventRetention: string;
  /** REVISION_RETENTION in microseconds: how long a revision is kept after it was recorded. */
  revisionRetentionMicros: number;
  exports: {
    /** Exports one user may have running at once; further requests get 429. */
    maxRunningPerUser: number;
    /** Exports running at once in this process, whoever asked. */
    maxRunning: number;
    /** EXPORT_RETENTION in microseconds: an export (row and file) is deleted this long after it was requested. */
    retentionMicros: number;
  };
  trustedProxies: TrustedProxies;
  logLevel: string;
  /** `pretty` for a person at a terminal, `json` for log collectors. */
  logFormat: LogFormat;
  bodyLimitBytes: number;
  maxJsonDepth: number;
  /** EVENT_GROUP_COMMIT (MariaDB): concurrent single creates share one transaction, and so do concurrent PATCHes of distinct events. */
  groupCommit: boolean;
  /** Bulk ingest (`POST /events/events/bulk/`): most events per request, and its body limit. */
  bulk: { maxEvents: number; bodyLimitBytes: number };
  purgeEnabled: boolean;
  /** JOB_LEASE_MS: how long a job's lease (job_leases) outlives its last renewal, i.e. a dead holder's. */
  jobLeaseMs: number;
  /** COUNTER_FOLD_INTERVAL_MS: how often the event counters' deltas are folded into their totals (0: never, src/events/counters). */
  counterFoldIntervalMs: number;
  /** Failed authentications allowed per client per minute before 429. */
  authFailureLimit: number;
  /** Page sizes of every list (authentik's tenant settings `pagination_*_page_size`). */
  pagination: PageSizeLimits;
  /** Longest graceful shutdown (draining requests, closing pools) before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Longest a client may take to send a whole request, headers and body (then 408 and closed). */
  requestTimeoutMs: number;
  /** Longest a connection may stay silent, neither side sending anything, before it is closed. */
  connectionTimeoutMs: number;
  /** Where Prometheus scrapes `/metrics` (a port of its own, off the API); null: METRICS_PORT=off. */
  metrics: { port: number; host: string } | null;
  /** authentik's global email settings (`AUTHENTIK_EMAIL__*`), used by email transports. */
  email: EmailSettings;
  /** AUTHENTIK_HTTP_TIMEOUT in ms: longest wait for a webhook receiver (authentik's `http_timeout`). */
  webhookTimeoutMs: number;
  /** The notification delivery pipeline (README "Notifications"). */
  notifications: NotificationSettings;
}

export interface NotificationSettings {
  /** NOTIFICATION_WORKERS: this process plans and sends deliveries (off: it only records, others deliver). */
  workers: boolean;
  /** NOTIFICATION_POLL_MS: how often idle workers look for work another instance (or an earlier life) left. */
  pollMs: number;
  /** NOTIFICATION_CONCURRENCY: deliveries in flight at once in this process. */
  concurrency: number;
  /** NOTIFICATION_MAX_ATTEMPTS: attempts of one delivery before it is `failed` (authentik: 1 + 5 retries). */
  maxAttempts: number;
  /** NOTIFICATION_RETRY_BASE_MS: the wait after the first failure; doubled after each further one. */
  retryBaseMs: number;
  /** NOTIFICATION_RETRY_MAX_MS: the longest wait between attempts (authentik: 1 hour). */
  retryMaxMs: number;
  /** NOTIFICATION_DELIVERY_RETENTION in microseconds: how long a finished delivery stays in the delivery log. */
  deliveryRetentionMicros: number;
}

export interface EmailSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  /** STARTTLS after connecting. */
  useTls: boolean;
  /** TLS from the first byte (SMTPS). */
  useSsl: boolean;
  /** Seconds for connecting and for each SMTP answer. */
  timeoutSeconds: number;
  from: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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
    readConcurrency: int('DATABASE_READ_CONCURRENCY', 4, 1, 64),
    hosts: [],
    failoverCheckMs: int('DATABASE_FAILOVER_CHECK_MS', 2000, 100, 600_000),
  };
  if (/^(mysql|mariadb):\/\//i.test(databaseUrl)) {
    try {
      const hosts = parseMysqlHosts(databaseUrl);
      database = { ...database, type: 'mysql', url: hosts[0].url, hosts };
    } catch (error) {
      problems.push(
        `DATABASE_URL: ${(error as Error).message}; expected mysql://user:pass@host:port/database or ` +
          `mysql://user:pass@host1:port,host2:port/database, got "${redactPassword(databaseUrl)}"`,
      );
    }
  } else if (/^sqlite:/i.test(databaseUrl)) {
    const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
    if (path === '') problems.push('DATABASE_URL: sqlite: needs a file path (or :memory:)');
    database = { ...database, url: path };
  } else {
    problems.push(`DATABASE_URL: expected sqlite:<path> or mysql://…, got "${redactPassword(databaseUrl)}"`);
  }

  const eventRetention = env.EVENT_RETENTION?.trim() || 'days=365';
  const retentionMicros = parseDuration(eventRetention);
  if (retentionMicros === null || retentionMicros <= 0) {
    problems.push(`EVENT_RETENTION: expected a positive duration like "days=365" or "weeks=3;days=2", got "${eventRetention}"`);
  }

  // Default: twice EVENT_RETENTION, so a purged event's history outlives it by as long again.
  const revisionRetention = env.REVISION_RETENTION?.trim() || '';
  const revisionMicros = revisionRetention === '' ? (retentionMicros ?? 0) * 2 : parseDuration(revisionRetention);
  if (revisionMicros === null || revisionMicros <= 0) {
    problems.push(`REVISION_RETENTION: expected a positive duration like "days=730", got "${revisionRetention}"`);
  }

  const exportRetention = env.EXPORT_RETENTION?.trim() || 'days=7';
  const exportRetentionMicros = parseDuration(exportRetention);
  if (exportRetentionMicros === null || exportRetentionMicros <= 0) {
    problems.push(`EXPORT_RETENTION: expected a positive duration like "days=7", got "${exportRetention}"`);
  }

  let trustedProxies: TrustedProxies = parseTrustedProxies('');
  try {
    trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES ?? '');
  } catch (error) {
    problems.push(`TRUSTED_PROXIES: ${(error as Error).message}`);
  }

  const logLevel = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);

  // Pretty in development (`npm run start:dev`) and at a terminal; JSON where logs are collected.
  const defaultLogFormat: LogFormat = env.NODE_ENV === 'development' || process.stdout.isTTY === true ? 'pretty' : 'json';
  const logFormat = (env.LOG_FORMAT?.trim().toLowerCase() || defaultLogFormat) as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) problems.push(`LOG_FORMAT: expected json or pretty, got "${env.LOG_FORMAT}"`);

  const bootstrapToken = env.AUTHENTIK_BOOTSTRAP_TOKEN?.trim() || undefined;
  if (bootstrapToken !== undefined && (bootstrapToken.length < 8 || /\s/.test(bootstrapToken))) {
    problems.push('AUTHENTIK_BOOTSTRAP_TOKEN: expected at least 8 characters without spaces');
  }

  // Like authentik's AUTHENTIK_LISTEN__METRICS (0.0.0.0:9300); 0 picks a free port, as PORT=0 does.
  const metricsPort = metricsPortFrom(env.METRICS_PORT);
  if (metricsPort === undefined) problems.push(`METRICS_PORT: expected a port from 0 to 65535 or "off", got "${env.METRICS_PORT}"`);
  const maxPageSize = int('PAGINATION_MAX_PAGE_SIZE', AUTHENTIK_PAGE_SIZE_LIMITS.maxPageSize, 1, 10_000);
  const defaultPageSize = int('PAGINATION_DEFAULT_PAGE_SIZE', Math.min(AUTHENTIK_PAGE_SIZE_LIMITS.defaultPageSize, maxPageSize), 1, 10_000);
  if (defaultPageSize > maxPageSize) {
    problems.push(`PAGINATION_DEFAULT_PAGE_SIZE: expected at most PAGINATION_MAX_PAGE_SIZE (${maxPageSize}), got "${defaultPageSize}"`);
  }

  const email: EmailSettings = {
    host: env.AUTHENTIK_EMAIL__HOST?.trim() || 'localhost',
    port: int('AUTHENTIK_EMAIL__PORT', 25, 1, 65535),
    username: env.AUTHENTIK_EMAIL__USERNAME ?? '',
    password: env.AUTHENTIK_EMAIL__PASSWORD ?? '',
    useTls: bool('AUTHENTIK_EMAIL__USE_TLS', false),
    useSsl: bool('AUTHENTIK_EMAIL__USE_SSL', false),
    timeoutSeconds: int('AUTHENTIK_EMAIL__TIMEOUT', 10, 1, 3600),
    from: env.AUTHENTIK_EMAIL__FROM?.trim() || 'authentik@localhost',
  };
  // authentik (Django) refuses the pair too: STARTTLS on an SMTPS connection is meaningless.
  if (email.useTls && email.useSsl) problems.push('AUTHENTIK_EMAIL__USE_TLS and AUTHENTIK_EMAIL__USE_SSL: set at most one of them');
  if (!/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>\s*$/.test(email.from)) {
    problems.push(`AUTHENTIK_EMAIL__FROM: expected an address like "authentik@example.com" or "Name <a@example.com>", got "${email.from}"`);
  }

  const deliveryRetention = env.NOTIFICATION_DELIVERY_RETENTION?.trim() || 'days=30';
  const deliveryRetentionMicros = parseDuration(deliveryRetention);
  if (deliveryRetentionMicros === null || deliveryRetentionMicros <= 0) {
    problems.push(`NOTIFICATION_DELIVERY_RETENTION: expected a positive duration like "days=30", got "${deliveryRetention}"`);
  }
  const notifications: NotificationSettings = {
    workers: bool('NOTIFICATION_WORKERS', true),
    pollMs: int('NOTIFICATION_POLL_MS', 1000, 10, 600_000),
    concurrency: int('NOTIFICATION_CONCURRENCY', 16, 1, 1000),
    maxAttempts: int('NOTIFICATION_MAX_ATTEMPTS', 6, 1, 100),
    retryBaseMs: int('NOTIFICATION_RETRY_BASE_MS', 15_000, 1, 86_400_000),
    retryMaxMs: int('NOTIFICATION_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
    deliveryRetentionMicros: deliveryRetentionMicros ?? 0,
  };

  const config: Omit<AppConfig, 'secretKey'> = {
    port: int('PORT', 9000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir,
    database,
    bootstrapToken,
    eventRetention,
    eventRetentionMicros: retentionMicros ?? 0,
    revisionRetentionMicros: revisionMicros ?? 0,
    trustedProxies,
    logLevel,
    logFormat,
    bodyLimitBytes: int('MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    maxJsonDepth: int('MAX_JSON_DEPTH', 32, 2, 1000),
    groupCommit: bool('EVENT_GROUP_COMMIT', true),
    bulk: {
      maxEvents: int('BULK_MAX_EVENTS', 1000, 1, 10_000),
      bodyLimitBytes: int('BULK_MAX_BODY_BYTES', 8 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    },
    purgeEnabled: bool('PURGE_ENABLED', true),
    jobLeaseMs: int('JOB_LEASE_MS', 60_000, 1_000, 3_600_000),
    counterFoldIntervalMs: int('COUNTER_FOLD_INTERVAL_MS', 10_000, 0, 3_600_000),
    authFailureLimit: int('AUTH_FAILURE_LIMIT', 30, 1, 1_000_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 20_000, 1_000, 600_000),
    connectionTimeoutMs: int('CONNECTION_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
    exports: {
      maxRunningPerUser: int('EXPORT_MAX_RUNNING_PER_USER', 1, 1, 100),
      maxRunning: int('EXPORT_MAX_RUNNING', 4, 1, 100),
      retentionMicros: exportRetentionMicros ?? 0,
    },
    metrics: metricsPort == null ? null : { port: metricsPort, host: env.METRICS_HOST?.trim() || '0.0.0.0' },
    pagination: { defaultPageSize, maxPageSize },
    email,
    webhookTimeoutMs: int('AUTHENTIK_HTTP_TIMEOUT', 30, 1, 3600) * 1000,
    notifications,
  };
  if (problems.length > 0) throw new ConfigError(problems);

  const secretKey = env.AUTHENTIK_SECRET_KEY?.trim() || resolveSecret(dataDir);
  if (secretKey.length < 16) throw new ConfigError(['AUTHENTIK_SECRET_KEY: expected at least 16 characters']);
  return { ...config, secretKey };
}

/** METRICS_PORT: a port (default 9300), `off` for none (null), undefined when malformed. */
function metricsPortFrom(raw: string | undefined): number | null | undefined {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') return 9300;
  if (value === 'off') return null;
  const port = Number(value);
  return /^\d+$/.test(value) && port <= 65535 ? port : undefined;
}

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from './pool-stats';

/**
 * What the metrics read from a purge run: the shape of the retention purge's result, written
 * here so that metrics (infrastructure) imports no feature; PurgeResult is assignable to it.
 */
export type PurgeOutcome = { status: 'skipped' } | { status: 'completed' | 'interrupted'; deleted: number };

/** Seconds: from a cached read (about a millisecond) to past DATABASE_TIMEOUT_MS's default 5 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const PURGE_STATUSES = ['completed', 'interrupted', 'skipped', 'failed'] as const;

/** How a notification delivery attempt ended (src/notifications/delivery). */
export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'failed', 'skipped'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** Work waiting in the notification pipeline: saved events not yet checked against the rules, deliveries not yet sent. */
export interface NotificationBacklog {
  outbox: number;
  pending: number;
}

/** One HTTP series (method, route, status): counting a response and observing its latency. */
export interface HttpSeries {
  record(seconds: number): void;
}

/**
 * Every metric the service exposes, on a registry of its own (one per application, so tests that
 * start several apps in one process never share counts). A feature that adds metrics defines them
 * here, so this file and the README's "Metrics" section list the same set.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly pools = new Map<string, () => PoolStats | null>();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP responses sent, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to having sent its response, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** The instance moved to another of DATABASE_URL's hosts (database/failover/); 0 with one host. */
  readonly databaseFailovers = new Counter({
    name: 'eventlog_db_failovers_total',
    help: 'Times the service moved its database connections to another node',
    registers: [this.registry],
  });

  /**
   * An event write run again (database/retry/): `conflict` after a deadlock or Galera certification
   * failure, `connection` after a broken connection or a node that could not serve.
   */
  readonly writeRetries = new Counter({
    name: 'eventlog_db_write_retries_total',
    help: 'Event writes retried, by reason (conflict: deadlock or Galera certification failure; connection: lost connection or node not ready)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly purgeRuns = new Counter({
    name: 'eventlog_purge_runs_total',
    help: 'Purges of expired events, by outcome (completed, interrupted, skipped, failed)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  private readonly purgeDeleted = new Counter({
    name: 'eventlog_purge_deleted_events_total',
    help: 'Expired events deleted by purges',
    registers: [this.registry],
  });

  private readonly notificationDeliveries = new Counter({
    name: 'eventlog_notification_deliveries_total',
    help: 'Notification delivery attempts by outcome (delivered; retry: failed, due again; failed: failed for good; skipped: its event, rule or recipient was gone)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private notificationBacklog: (() => Promise<NotificationBacklog>) | null = null;

  constructor() {
    for (const status of PURGE_STATUSES) this.purgeRuns.inc({ status }, 0);
    for (const reason of ['conflict', 'connection']) this.writeRetries.inc({ reason }, 0);
    for (const outcome of DELIVERY_OUTCOMES) this.notificationDeliveries.inc({ outcome }, 0);
    this.definePoolGauges();
    this.defineBacklogGauge();
  }

  deliveryAttempted(outcome: DeliveryOutcome): void {
    this.notificationDeliveries.inc({ outcome });
  }

  /** Reads the notification backlog at every scrape (two counts, never per request). */
  watchNotificationBacklog(read: () => Promise<NotificationBacklog>): void {
    this.notificationBacklog = read;
  }

  private defineBacklogGauge(): void {
    const backlog = () => this.notificationBacklog;
    new Gauge({
      name: 'eventlog_notification_backlog',
      help: 'Notification work waiting: queue="outbox" saved events not yet checked against the rules, queue="deliveries" deliveries pending (due or waiting for a retry)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const read = backlog();
        if (!read) return;
        const { outbox, pending } = await read();
        this.set({ queue: 'outbox' }, outbox);
        this.set({ queue: 'deliveries' }, pending);
      },
    });
  }

  /** Adds Node's process metrics (CPU, memory, event loop, GC); only for an app that serves them. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The series for one label set, made once and kept by the caller (see http-metrics.ts). */
  httpSeries(method: string, route: string, status: string): HttpSeries {
    const labels = { method, route, status };
    const count = this.httpRequests.labels(labels);
    const duration = this.httpDuration.labels(labels);
    return {
      record: (seconds) => {
        count.inc();
        duration.observe(seconds);
      },
    };
  }

  purgeFinished(result: PurgeOutcome | 'failed'): void {
    this.purgeRuns.inc({ status: result === 'failed' ? 'failed' : result.status });
    if (result !== 'failed' && result.status !== 'skipped') this.purgeDeleted.inc(result.deleted);
  }

  /** Reports a connection pool under `name` at every scrape; `read` returns null once it is gone. */
  watchPool(name: string, read: () => PoolStats | null): void {
    this.pools.set(name, read);
  }

  /** Read when scraped, never per request. */
  private definePoolGauges(): void {
    const each = (report: (name: string, stats: PoolStats) => void) => {
      for (const [name, read] of this.pools) {
        const stats = read();
        if (stats) report(name, stats);
      }
    };
    new Gauge({
      name: 'eventlog_db_pool_connections',
      help: 'Open database connections by pool and state (in_use: lent to a request, idle: ready)',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        each((pool, stats) => {
          this.set({ pool, state: 'in_use' }, stats.inUse);
          this.set({ pool, state: 'idle' }, stats.idle);
        });
      },
    });
    new Gauge({
      name: 'eventlog_db_pool_max_connections',
      help: 'Most connections a pool opens (DATABASE_POOL_SIZE; 1 for SQLite)',
      labelNames: ['pool'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        each((pool, stats) => this.set({ pool }, stats.max));
      },
    });
    new Gauge({
      name: 'eventlog_db_pool_waiting_requests',
      help: 'Requests waiting for a free connection of a pool',
      labelNames: ['pool'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        each((pool, stats) => this.set({ pool }, stats.waiting));
      },
    });
  }
}

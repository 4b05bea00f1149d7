import { randomUUID } from 'node:crypto';
import { nowMicros } from '@app/common';
import { PurgeService } from '../src/events/retention/purge.service';
import { MetricsServer } from '../src/metrics/metrics-server';
import { createUserWithToken } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { TEST_DB } from './support/test-database';

const DAY = 86_400_000_000;
const LIST = '/api/v3/events/events/';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' text format, just the samples (`name{a="b",…} value`); comments are skipped. */
function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

describe(`metrics: Prometheus on a port of its own (${TEST_DB})`, () => {
  let t: TestApp;
  let metricsUrl: string;
  let closed = false;

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    return parseSamples(await response.text());
  }

  /** The one sample of `name` with exactly these labels; undefined when there is none. */
  function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
    const found = samples.filter(
      (s) =>
        s.name === name &&
        Object.keys(s.labels).length === Object.keys(labels).length &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0]?.value;
  }

  beforeAll(async () => {
    t = await startTestApp({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', DATABASE_POOL_SIZE: '4' });
    metricsUrl = `http://127.0.0.1:${t.app.get(MetricsServer).address().port}`;
  });
  afterAll(async () => {
    if (!closed) await t.close();
  });

  it('counts requests and their latency by method, route template and status', async () => {
    const reader = await createUserWithToken(t); // no permission: 403
    const missing = randomUUID();
    for (let i = 0; i < 3; i++) expect((await t.admin.get(LIST)).status).toBe(200);
    expect((await reader.client.get(LIST)).status).toBe(403);
    expect((await t.admin.get(`${LIST}${missing}/`)).status).toBe(404);
    expect((await t.admin.get(`/api/v3/no-such-route/${missing}/`)).status).toBe(404);

    const samples = await scrape();
    // Fastify's templates, without the trailing slash (ignoreTrailingSlash serves both).
    const list = { method: 'GET', route: '/api/v3/events/events' };
    const retrieve = { method: 'GET', route: '/api/v3/events/events/:event_uuid' };
    const unmatched = { method: 'GET', route: 'unmatched', status: '404' };
    for (const [labels, count] of [
      [{ ...list, status: '200' }, 3],
      [{ ...list, status: '403' }, 1],
      [{ ...retrieve, status: '404' }, 1],
      [unmatched, 1],
    ] as const) {
      expect([labels, value(samples, 'http_requests_total', labels)]).toEqual([labels, count]);
      expect([labels, value(samples, 'http_request_duration_seconds_count', labels)]).toEqual([labels, count]);
      expect(value(samples, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(count);
      expect(value(samples, 'http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    }
    // Bounded label values: the raw URLs (with the uuid) never become a label.
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes(missing)))).toBe(false);
  });

  it('reports the database pools, and failovers and conflict retries (0 until they exist)', async () => {
    expect((await t.admin.post(LIST, { action: 'login', app: 'metrics.test' })).status).toBe(201);
    const samples = await scrape();
    const pools = t.dialect === 'mysql' ? ['main', 'writer'] : ['main'];
    for (const pool of pools) {
      expect([pool, value(samples, 'eventlog_db_pool_max_connections', { pool })]).toEqual([pool, t.dialect === 'mysql' ? 4 : 1]);
      expect(value(samples, 'eventlog_db_pool_waiting_requests', { pool })).toBe(0);
      const idle = value(samples, 'eventlog_db_pool_connections', { pool, state: 'idle' })!;
      const inUse = value(samples, 'eventlog_db_pool_connections', { pool, state: 'in_use' })!;
      expect(idle + inUse).toBeGreaterThanOrEqual(1);
      expect(idle + inUse).toBeLessThanOrEqual(t.dialect === 'mysql' ? 4 : 1);
    }
    expect(
      samples
        .filter((s) => s.name === 'eventlog_db_pool_max_connections')
        .map((s) => s.labels.pool)
        .sort(),
    ).toEqual(pools);
    expect(value(samples, 'eventlog_db_failovers_total')).toBe(0);
    expect(value(samples, 'eventlog_db_write_retries_total', { reason: 'conflict' })).toBe(0);
    expect(value(samples, 'eventlog_db_write_retries_total', { reason: 'connection' })).toBe(0);
  });

  it('counts purge runs by outcome and the events they deleted', async () => {
    const before = await scrape();
    expect(value(before, 'eventlog_purge_runs_total', { status: 'completed' })).toBe(0);
    expect(value(before, 'eventlog_purge_deleted_events_total')).toBe(0);
    for (let i = 0; i < 2; i++) expect((await t.admin.post(LIST, { action: 'login', app: 'metrics.test' })).status).toBe(201);

    // Far enough ahead that every event so far (EVENT_RETENTION's default year) has expired.
    const result = await t.app.get(PurgeService).purgeExpired({ now: nowMicros() + 400 * DAY });
    expect(result).toMatchObject({ status: 'completed', deleted: 3 });

    const after = await scrape();
    expect(value(after, 'eventlog_purge_runs_total', { status: 'completed' })).toBe(1);
    for (const status of ['interrupted', 'skipped', 'failed']) expect(value(after, 'eventlog_purge_runs_total', { status })).toBe(0);
    expect(value(after, 'eventlog_purge_deleted_events_total')).toBe(3);

    await expect(t.app.get(PurgeService).purgeExpired({ batchSize: 0 })).rejects.toThrow(RangeError);
    const failed = await scrape();
    expect(value(failed, 'eventlog_purge_runs_total', { status: 'failed' })).toBe(1);
    expect(value(failed, 'eventlog_purge_runs_total', { status: 'completed' })).toBe(1);
  });

  it('reports the notification backlog and delivery outcomes', async () => {
    const before = await scrape();
    expect(value(before, 'eventlog_notification_backlog', { queue: 'outbox' })).toBeGreaterThanOrEqual(0);
    expect(value(before, 'eventlog_notification_backlog', { queue: 'deliveries' })).toBe(0);
    for (const outcome of ['delivered', 'retry', 'failed', 'skipped']) {
      expect(value(before, 'eventlog_notification_deliveries_total', { outcome })).toBe(0);
    }
    const user = await createUserWithToken(t, { username: 'notified' });
    const transport = (await t.admin.post('/api/v3/events/transports/', { name: 'inbox', mode: 'local' })).body.pk;
    const rule = (await t.admin.post('/api/v3/events/rules/', { name: 'logins', transports: [transport], destination_event_user: true }))
      .body.pk;
    const matcher = (await t.admin.post('/api/v3/policies/event_matcher/', { name: 'logins', action: 'login' })).body.pk;
    expect((await t.admin.post('/api/v3/policies/bindings/', { policy: matcher, target: rule, order: 0 })).status).toBe(201);
    expect((await t.admin.post(LIST, { action: 'login', app: 'metrics.test', user: { pk: user.pk, username: 'notified' } })).status).toBe(
      201,
    );
    const deadline = Date.now() + 20_000;
    let after = await scrape();
    while (value(after, 'eventlog_notification_deliveries_total', { outcome: 'delivered' }) !== 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    expect(value(after, 'eventlog_notification_deliveries_total', { outcome: 'delivered' })).toBe(1);
    expect(value(after, 'eventlog_notification_deliveries_total', { outcome: 'failed' })).toBe(0);
    expect(value(after, 'eventlog_notification_backlog', { queue: 'deliveries' })).toBe(0);
  });

  it("includes Node's process metrics", async () => {
    const samples = await scrape();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect([name, samples.some((s) => s.name === name)]).toEqual([name, true]);
    }
  });

  it('keeps the API and the metrics apart: neither port serves the other', async () => {
    const onApiPort = await t.admin.get('/metrics');
    expect(onApiPort.status).toBe(404);
    expect(onApiPort.text).not.toContain('http_requests_total');

    for (const path of [LIST, '/api/v3/schema/', '/-/health/live/', '/metrics/extra']) {
      const response = await fetch(`${metricsUrl}${path}`, { headers: { Authorization: `Bearer ${t.adminKey}` } });
      expect([path, response.status]).toEqual([path, 404]);
      expect(await response.text()).not.toContain('http_requests_total');
    }
    const post = await fetch(`${metricsUrl}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('stops listening when the application closes', async () => {
    closed = true;
    await t.close();
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { EventWriter } from '../../src/events/revisions/event-writer';
import { MysqlEventWriter } from '../../src/events/revisions/mysql-event-writer';
import { PURGE_LEASE_NAME } from '../../src/events/retention/purge-queries';
import { PurgeService } from '../../src/events/retention/purge.service';
import { JobLeases } from '../../src/database/leases/job-leases';
import { AppMetrics } from '../../src/metrics/app-metrics';
import { CreateLoad, CreateOutcome, tally } from '../faults/support/create-load';
import { ApiClient } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_DB } from '../support/test-database';
import { galeraMissing, GaleraCluster } from './galera-cluster';
import { PatchLoad } from './patch-load';

/**
 * Issue 16 items 2, 3, 4 and 5: three Galera nodes on loopback (test/galera/cluster.sh), instance A
 * on node 1 (DATABASE_URL lists 1,2,3) and instance B on node 2 (2,3,1). Creates through both,
 * PATCHes of A's events through B and of B's through A, purges asked of both at once every few
 * seconds; node 1 is SIGKILLed mid-load (A fails over to node 2), restarted, and rejoins (A
 * returns to it). Then every node holds every event answered 201 exactly once, every PATCH
 * answered 200, counts equal to COUNT(*), clean chains, each expired event purged once, and the
 * requests that failed all overlapped a bounded window after the kill (measured and printed).
 * Runs with the MariaDB e2e suite; skipped, saying why, only where Galera is not installed.
 */
const missing = galeraMissing();
if (TEST_DB === 'mariadb' && missing) console.warn(`Galera fault test skipped: ${missing}`);
/** The superuser of both instances (they share the database), not the random one startTestApp makes. */
const admin = (t: TestApp) => new ApiClient(t.baseUrl, KEY);
const describeOnGalera = TEST_DB === 'mariadb' && !missing ? describe : describe.skip;

const KEY = 'galera-admin-key-0123456789abcdef';
/** The default: a Galera node's death stalls every commit in the cluster until the others evict it (about 2.5 s here, see cluster.sh's EVS). */
const DATABASE_TIMEOUT_MS = 5000;
const CHECK_EVERY_MS = 300;
const REQUEST_TIMEOUT_MS = 3 * DATABASE_TIMEOUT_MS;
/** Failed requests must all overlap [kill, kill + this]; the issue aims at 5 s, a loaded 2-core CI gets slack. */
const FAILURE_WINDOW_MS = 10_000;
const EXPIRING = 30;
const PURGE_EVERY_MS = 3000;

interface PurgeRun {
  instance: 'A' | 'B';
  window: number;
  status: string;
  deleted?: number;
}

type Failure = { startedAt: number; ms: number; what: string };

/** When a purge job of `instance` ran inside its lease: from its first step to its last, before the release. */
interface HeldPurge {
  instance: 'A' | 'B';
  from: number;
  to: number;
}

/**
 * Records in `held` when each purge of this instance held the lease, by wrapping its JobLeases'
 * `runOnce` (the lease itself is untouched). The test's own timing around `purgeExpired` cannot
 * tell this: two calls started together may run one after the other, each holding the lease.
 */
function recordPurgeLeases(t: TestApp, instance: HeldPurge['instance'], held: HeldPurge[]): void {
  const leases = t.app.get(JobLeases);
  const runOnce = leases.runOnce.bind(leases);
  leases.runOnce = (name, job) =>
    runOnce(name, async (lease) => {
      const from = Date.now();
      try {
        return await job(lease);
      } finally {
        if (name === PURGE_LEASE_NAME) held.push({ instance, from, to: Date.now() });
      }
    });
}

const hex = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnGalera('Galera: two instances on three nodes, one node killed mid-load', () => {
  let cluster: GaleraCluster | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  /**
   * Stops the background load a test started. Run in afterAll too: a test that fails midway
   * (seen in CI: a restart that did not sync) must not leave loops running, or Jest never exits.
   */
  const stoppers: (() => Promise<unknown>)[] = [];
  const stopLoads = () => Promise.all(stoppers.splice(0).map((stop) => stop().catch(() => undefined)));

  beforeAll(async () => {
    cluster = await GaleraCluster.start();
    const root = await cluster.connect(1);
    await root.query('CREATE DATABASE eventlog CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await root.end();
    const env = {
      AUTHENTIK_BOOTSTRAP_TOKEN: KEY,
      DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS),
      DATABASE_FAILOVER_CHECK_MS: String(CHECK_EVERY_MS),
      DATABASE_POOL_SIZE: '4',
      JOB_LEASE_MS: '3000',
    };
    const database = (nodes: number[]) => ({
      url: cluster!.url('eventlog', nodes),
      dataDir: mkdtempSync(join(tmpdir(), 'eventlog-galera-app-')),
      drop: async () => undefined, // the whole cluster goes in afterAll
    });
    a = await startTestApp(env, { database: database([1, 2, 3]) });
    b = await startTestApp(env, { database: database([2, 3, 1]) });
  }, 240_000);

  afterAll(async () => {
    await stopLoads();
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await cluster?.destroy();
  }, 120_000);

  it('waits for the cluster before reads on Galera (wsrep_sync_wait), on every pool', async () => {
    for (const t of [a!, b!]) {
      const [{ wait }] = await t.dataSource.query('SELECT @@wsrep_sync_wait AS wait');
      expect(Number(wait)).toBe(1);
      const writer = t.app.get(EventWriter) as MysqlEventWriter;
      const [rows] = await writer.connectionPool.query('SELECT @@wsrep_sync_wait AS wait');
      expect(Number((rows as { wait: number }[])[0].wait)).toBe(1);
    }
  });

  it('reads its writes through the other instance on the other node', async () => {
    for (let i = 0; i < 20; i++) {
      const [writer, reader] = i % 2 ? [a!, b!] : [b!, a!];
      const created = await admin(writer).post('/api/v3/events/events/', {
        action: 'model_updated',
        app: 'eventlog.galera',
        context: { i },
      });
      expect(created.status).toBe(201);
      const read = await admin(reader).get(`/api/v3/events/events/${created.body.pk}/`);
      expect([read.status, read.body]).toEqual([200, created.body]);
      const patched = await admin(reader).patch(`/api/v3/events/events/${created.body.pk}/`, { context: { i, patched: true } });
      expect(patched.status).toBe(200);
      const history = await admin(writer).get(`/api/v3/events/events/${created.body.pk}/history/`);
      expect(history.body.map((revision: { seq: number }) => revision.seq)).toEqual([1, 2]);
    }
  });

  it('keeps every acknowledged write, everywhere, through a node crash and rejoin', async () => {
    // Events that expire during the load, for the purges.
    const expiring: string[] = [];
    const expires = new Date(Date.now() + 2000).toISOString();
    for (let i = 0; i < EXPIRING; i++) {
      const created = await admin(i % 2 ? a! : b!).post('/api/v3/events/events/', {
        action: 'model_deleted',
        app: 'eventlog.galera',
        expires,
      });
      expect(created.status).toBe(201);
      expiring.push(created.body.pk);
    }

    const options = { workers: 2, requestTimeoutMs: REQUEST_TIMEOUT_MS, maxDurationMs: 150_000 };
    const createsA = new CreateLoad(a!.baseUrl, KEY, options).start();
    const createsB = new CreateLoad(b!.baseUrl, KEY, options).start();

    // Each event created through one instance is patched once through the other.
    const taker = (load: CreateLoad) => {
      let taken = 0;
      return () => {
        const acknowledged = load.outcomes.filter((o) => o.status === 201);
        return taken < acknowledged.length ? (acknowledged[taken++].body as { pk: string }).pk : undefined;
      };
    };
    const patchesThroughB = new PatchLoad(b!.baseUrl, KEY, taker(createsA), REQUEST_TIMEOUT_MS).start(1);
    const patchesThroughA = new PatchLoad(a!.baseUrl, KEY, taker(createsB), REQUEST_TIMEOUT_MS).start(1);
    stoppers.push(
      () => createsA.stop(),
      () => createsB.stop(),
      () => patchesThroughA.stop(),
      () => patchesThroughB.stop(),
    );

    const purges: PurgeRun[] = [];
    const held: HeldPurge[] = [];
    recordPurgeLeases(a!, 'A', held);
    recordPurgeLeases(b!, 'B', held);
    let purging = true;
    const purgeWindows = (async () => {
      for (let window = 0; purging; window++) {
        await sleep(PURGE_EVERY_MS);
        await Promise.all(
          (['A', 'B'] as const).map(async (instance) => {
            const result = await (instance === 'A' ? a! : b!).app
              .get(PurgeService)
              .purgeExpired()
              .catch((error: Error) => ({ status: `failed: ${error.message}` }));
            purges.push({ instance, window, ...result });
          }),
        );
      }
    })();
    stoppers.push(() => {
      purging = false;
      return purgeWindows;
    });

    const enough = (n: number) => (outcomes: CreateOutcome[]) => outcomes.filter((o) => o.status === 201).length >= n;
    await createsA.waitUntil('creates through A', enough(30), 30_000);
    await createsB.waitUntil('creates through B', enough(30), 30_000);

    const killedAt = Date.now();
    await cluster!.kill(1);
    const servedAgain = (o: CreateOutcome) => o.startedAt > killedAt && o.status === 201;
    await createsA.waitUntil('a 201 through A after the kill', (outcomes) => outcomes.some(servedAgain), 20_000);
    await sleep(2000);
    const restartAt = Date.now();
    await cluster!.restart(1);
    const rejoinedAt = Date.now();
    // A returns to node 1 at its next check; then some more load there.
    await sleep(3000);

    const label = <T extends object>(instance: string, outcomes: T[]) => outcomes.map((o) => ({ ...o, instance }));
    const creates = [...label('A', await createsA.stop()), ...label('B', await createsB.stop())];
    const patches = [...label('A', await patchesThroughA.stop()), ...label('B', await patchesThroughB.stop())];
    await sleep(1000);
    purging = false;
    await purgeWindows;
    // A last purge for what expired late, once the load is over: one instance does it.
    const last = await Promise.all([a!.app.get(PurgeService).purgeExpired(), b!.app.get(PurgeService).purgeExpired()]);

    const failures: Failure[] = [
      ...creates
        .filter((o) => o.status !== 201)
        .map((o) => ({ startedAt: o.startedAt, ms: o.ms, what: `${o.instance} create ${o.status ?? o.error}` })),
      ...patches
        .filter((o) => o.status !== 200)
        .map((o) => ({ startedAt: o.startedAt, ms: o.ms, what: `${o.instance} patch ${o.status ?? ''} ${o.error ?? ''}` })),
    ];
    const retries = async (t: TestApp) =>
      Object.fromEntries((await t.app.get(AppMetrics).writeRetries.get()).values.map((v) => [v.labels.reason, v.value]));
    const firstFailure = Math.min(...failures.map((f) => f.startedAt));
    const lastFailureEnd = Math.max(...failures.map((f) => f.startedAt + f.ms));
    console.log(
      [
        `Galera fault test: ${creates.length} creates ${JSON.stringify(tally(creates))}, ${patches.length} patches, ${failures.length} failed`,
        failures.length
          ? `failures from ${firstFailure - killedAt} ms to ${lastFailureEnd - killedAt} ms after the kill: ${JSON.stringify(failures.map((f) => `${f.what} at ${f.startedAt - killedAt}+${f.ms} ms`))}`
          : 'no request failed',
        `first 201 through A started ${creates.filter(servedAgain).map((o) => o.startedAt - killedAt)[0]} ms after the kill; node 1 rejoined in ${rejoinedAt - restartAt} ms`,
        `write retries A ${JSON.stringify(await retries(a!))}, B ${JSON.stringify(await retries(b!))}`,
        `purges ${JSON.stringify(purges.map((p) => `${p.window}${p.instance}:${p.status}${p.deleted === undefined ? '' : `/${p.deleted}`}`))}, last ${JSON.stringify(last)}`,
      ].join('\n'),
    );

    // Failures only around the kill: each one overlapped [kill, kill + FAILURE_WINDOW_MS].
    const outside = failures.filter((f) => f.startedAt + f.ms < killedAt || f.startedAt > killedAt + FAILURE_WINDOW_MS);
    expect(outside).toEqual([]);

    const acknowledged = creates.filter((o) => o.status === 201).map((o) => hex((o.body as { pk: string }).pk));
    const patched = patches.filter((o) => o.status === 200);
    expect(acknowledged.length).toBeGreaterThan(60);
    expect(patched.length).toBeGreaterThan(20);
    const failedCreates = creates.length - acknowledged.length;

    const nodes: Connection[] = [];
    try {
      for (const n of [1, 2, 3]) nodes.push(await cluster!.connect(n, 'eventlog'));
      const snapshots: string[] = [];
      for (const [index, node] of nodes.entries()) {
        const [rows] = await node.query(
          'SELECT LOWER(HEX(event_uuid)) AS id, action, revision_seq AS seq, revision_hash AS hash, JSON_VALUE(context, "$.patched") AS patched FROM events ORDER BY event_uuid',
        );
        const events = rows as { id: string; action: string; seq: number; hash: string; patched: string | null }[];
        const byId = new Map(events.map((e) => [e.id, e]));
        // Every 201 is there (a primary key: at most once); the others stored are only from requests that failed.
        expect([index + 1, acknowledged.filter((id) => !byId.has(id))]).toEqual([index + 1, []]);
        const loadEvents = events.filter((e) => e.action === 'configuration_warning');
        expect(loadEvents.length).toBeLessThanOrEqual(acknowledged.length + failedCreates);
        // Every PATCH answered 200 is the event's state (each event is patched once by the load).
        expect(patched.filter((p) => byId.get(hex(p.uuid))?.patched !== p.value)).toEqual([]);
        // Every expired event is gone, each with exactly one purge revision.
        expect(expiring.filter((id) => byId.has(hex(id)))).toEqual([]);
        const [purged] = await node.query(
          "SELECT LOWER(HEX(event_uuid)) AS id, COUNT(*) AS n FROM event_revisions WHERE kind = 'purge' GROUP BY event_uuid",
        );
        const purgeRevisions = new Map((purged as { id: string; n: number }[]).map((row) => [row.id, Number(row.n)]));
        expect(expiring.map((id) => purgeRevisions.get(hex(id)) ?? 0)).toEqual(expiring.map(() => 1));
        snapshots.push(JSON.stringify(events));
      }
      // The three nodes hold the same rows.
      expect(new Set(snapshots).size).toBe(1);

      // Each PATCH answered 200 is in the event's history, read through either instance.
      for (const [i, patch] of patched.entries()) {
        const history = await admin(i % 2 ? a! : b!).get(`/api/v3/events/events/${patch.uuid}/history/`);
        const values = (history.body as { after: { context?: { patched?: string } } | null }[]).map((r) => r.after?.context?.patched);
        expect([patch.uuid, values.includes(patch.value)]).toEqual([patch.uuid, true]);
      }

      // Counts (from the counters) equal COUNT(*), through both instances.
      const [[{ total }]] = (await nodes[1].query('SELECT COUNT(*) AS total FROM events')) as unknown as [{ total: number }[]];
      const [[{ faults }]] = (await nodes[1].query(
        "SELECT COUNT(*) AS faults FROM events WHERE action = 'configuration_warning'",
      )) as unknown as [{ faults: number }[]];
      for (const t of [a!, b!]) {
        expect((await admin(t).get('/api/v3/events/events/?page_size=1')).body.pagination.count).toBe(Number(total));
        expect((await admin(t).get('/api/v3/events/events/?page_size=1&action=configuration_warning')).body.pagination.count).toBe(
          Number(faults),
        );
        const verify = await admin(t).get('/api/v3/events/events/verify/');
        expect([verify.status, verify.body.broken]).toEqual([200, []]);
      }
    } finally {
      for (const node of nodes) await node.end();
    }

    // The purge: no two instances ever held its lease at once, and every window where neither
    // failed ran. Both may run in one window, one after the other: a purge of nothing can end and
    // release before the other instance's request reaches its node (seen once in CI).
    const ran = purges.filter((p) => p.status === 'completed' || p.status === 'interrupted');
    expect(held.length).toBeGreaterThanOrEqual(ran.length);
    for (const run of held) {
      const overlapping = held.filter((other) => other.instance !== run.instance && other.from < run.to && run.from < other.to);
      expect(overlapping).toEqual([]);
    }
    const windows = new Set(purges.map((p) => p.window));
    for (const window of windows) {
      const runs = purges.filter((p) => p.window === window);
      if (runs.some((p) => p.status.startsWith('failed'))) continue;
      expect([window, runs.some((p) => p.status !== 'skipped')]).toEqual([window, true]);
    }
  }, 200_000);
});

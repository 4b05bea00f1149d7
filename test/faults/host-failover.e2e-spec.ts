import { spawnSync } from 'node:child_process';
import { ApiClient } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_DB } from '../support/test-database';
import { AppMetrics } from '../../src/metrics/app-metrics';
import { CreateLoad, CreateOutcome, tally } from './support/create-load';
import { PrivateMariaDb } from './support/private-mariadb';
import { waitFor } from './support/process-utils';
import { storedEventIds } from './support/stored-events';

/**
 * Issue 16 item 1: one instance given two MariaDB servers of the test's own
 * (DATABASE_URL=mysql://…@host1,host2/eventlog) moves to host2 when host1 is killed, answers 503
 * on readiness while both are down, and returns to host1 once it is back. The two servers do not
 * replicate (Galera is another test's business): which one served a create shows where the
 * instance was connected.
 */
const hasMariadbd = spawnSync('mariadbd', ['--version']).status === 0;
if (TEST_DB === 'mariadb' && !hasMariadbd) console.warn('host failover test skipped: mariadbd is not installed');
const describeWithServers = TEST_DB === 'mariadb' && hasMariadbd ? describe : describe.skip;

const DATABASE_TIMEOUT_MS = 1000;
const CHECK_EVERY_MS = 300;
/** Generous for a loaded 2-core machine; the measured time is printed. */
const FAILOVER_WITHIN_MS = 15_000;
const ADMIN_KEY = 'failover-admin-key-0123456789';

describeWithServers('failover between DATABASE_URL hosts (two MariaDB servers of our own)', () => {
  const servers: PrivateMariaDb[] = [];
  let t: TestApp | undefined;
  let client: ApiClient;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const server = await PrivateMariaDb.create();
      servers.push(server);
      await server.start();
    }
    // Host 2 gets the schema and the same superuser now: the instance migrates only the host it starts on.
    const second = await startTestApp({ AUTHENTIK_BOOTSTRAP_TOKEN: ADMIN_KEY }, { database: await servers[1].createDatabase('eventlog') });
    await second.close();
    const first = await servers[0].createDatabase('eventlog');
    const url = `mysql://root@127.0.0.1:${servers[0].port},127.0.0.1:${servers[1].port}/eventlog`;
    t = await startTestApp(
      {
        AUTHENTIK_BOOTSTRAP_TOKEN: ADMIN_KEY,
        DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS),
        DATABASE_FAILOVER_CHECK_MS: String(CHECK_EVERY_MS),
        DATABASE_POOL_SIZE: '4',
      },
      { database: { ...first, url } },
    );
    client = new ApiClient(t.baseUrl, ADMIN_KEY);
  }, 120_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    for (const server of servers) await server.destroy();
  }, 60_000);

  const failovers = async () => (await t!.app.get(AppMetrics).databaseFailovers.get()).values[0]?.value ?? 0;
  const create = () => client.post('/api/v3/events/events/', { action: 'configuration_warning', app: 'eventlog.failover', context: {} });
  const storedOn = (server: PrivateMariaDb) => storedEventIds(server.url('eventlog'));
  const readiness = () => client.get('/-/health/ready/', { signal: AbortSignal.timeout(3 * DATABASE_TIMEOUT_MS) });

  it('serves from host 1 while it is up', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect((await storedOn(servers[0])).has(created.body.pk.replace(/-/g, ''))).toBe(true);
    expect(await failovers()).toBe(0);
  });

  it('moves to host 2 when host 1 is killed, within a bounded time', async () => {
    const load = new CreateLoad(t!.baseUrl, ADMIN_KEY, {
      workers: 2,
      requestTimeoutMs: 3 * DATABASE_TIMEOUT_MS,
      maxDurationMs: 60_000,
    }).start();
    await load.waitUntil('a first 201', (outcomes) => outcomes.some((o) => o.status === 201), 10_000);
    const killedAt = Date.now();
    await servers[0].stop('SIGKILL');
    const servedAgain = (o: CreateOutcome) => o.startedAt > killedAt && o.status === 201;
    await load
      .waitUntil('a 201 after the kill', (outcomes) => outcomes.some(servedAgain), FAILOVER_WITHIN_MS)
      .catch((error) => {
        console.log(tally(load.outcomes), load.outcomes.slice(-3));
        throw error;
      });
    const recoveredAt = load.outcomes.filter(servedAgain)[0].startedAt;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const outcomes = await load.stop();
    console.log(`failover: first 201 on host 2 for a request started ${recoveredAt - killedAt} ms after the kill`, tally(outcomes));

    expect(recoveredAt - killedAt).toBeLessThan(FAILOVER_WITHIN_MS);
    // Once a request succeeded on host 2, every later one did too (nothing goes back to the dead host).
    const later = outcomes.filter((o) => o.startedAt > recoveredAt + CHECK_EVERY_MS);
    expect(tally(later)).toEqual({ 201: later.length });
    // Every event answered 201 after the kill is on host 2.
    const onSecond = await storedOn(servers[1]);
    const afterKill = outcomes.filter(servedAgain).map((o) => (o.body as { pk: string }).pk.replace(/-/g, ''));
    expect(afterKill.filter((id) => !onSecond.has(id))).toEqual([]);
    expect(await failovers()).toBe(1);
    expect((await readiness()).status).toBe(200);
  }, 60_000);

  it('answers 503 on readiness while no host is usable', async () => {
    await servers[1].stop('SIGKILL');
    await waitFor('readiness 503', async () => (await readiness()).status === 503, 10_000);
    expect((await create()).status).toBe(503);
  }, 30_000);

  it('returns to host 1 when it is back', async () => {
    await servers[0].start();
    await waitFor('readiness 200', async () => (await readiness()).status === 200, 20_000);
    let created = await create();
    for (let tries = 0; created.status !== 201 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      created = await create();
    }
    expect(created.status).toBe(201);
    expect((await storedOn(servers[0])).has(created.body.pk.replace(/-/g, ''))).toBe(true);
    expect(await failovers()).toBe(2);
  }, 60_000);
});

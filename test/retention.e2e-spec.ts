import { Dialect } from '../src/database/sql';
import { JobLeases } from '../src/database/leases/job-leases';
import { randomBytes } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { createConnection } from 'mysql2/promise';
import { nowMicros } from '@app/common';
import { createApp } from '../src/create-app';
import { PURGE_JOB_NAME, PurgeScheduler } from '../src/events/retention/purge.scheduler';
import { PURGE_LEASE_NAME } from '../src/events/retention/purge-queries';
import { PurgeService } from '../src/events/retention/purge.service';
import { startTestApp, TestApp } from './support/test-app';
import { TEST_DB } from './support/test-database';

const DAY = 86_400_000_000;
const mariadbOnly = TEST_DB === 'mariadb' ? it : it.skip;

describe(`retention: purging expired events (${TEST_DB})`, () => {
  let t: TestApp;
  const q = (name: string) => (t.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

  /** Test setup only: an event row written straight into the table; returns its uuid as hex. */
  async function insertEvent(expires: number, table = 'events'): Promise<string> {
    const uuid = randomBytes(16);
    const columns = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];
    await t.dataSource.query(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      uuid,
      '{}',
      'login',
      'authentik.core',
      '{}',
      '192.0.2.1',
      expires - 365 * DAY,
      expires,
      '{}',
    ]);
    return uuid.toString('hex');
  }

  async function storedUuids(table = 'events'): Promise<string[]> {
    const rows: { event_uuid: Buffer }[] = await t.dataSource.query(`SELECT ${q('event_uuid')} FROM ${q(table)}`);
    return rows.map((row) => Buffer.from(row.event_uuid).toString('hex')).sort();
  }

  async function insertExpired(count: number, now: number): Promise<string[]> {
    const uuids: string[] = [];
    for (let i = 1; i <= count; i++) uuids.push(await insertEvent(now - i * 1000));
    return uuids;
  }

  beforeAll(async () => {
    t = await startTestApp(); // PURGE_ENABLED=false: no schedule interferes
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.dataSource.query(`DELETE FROM ${q('events')}`);
  });

  it('deletes exactly the expired events (expires <= now), in batches, and returns the count', async () => {
    const now = nowMicros();
    const expired = [...(await insertExpired(10, now)), await insertEvent(now)];
    const live = [await insertEvent(now + 1), await insertEvent(now + DAY), await insertEvent(now + 365 * DAY)];

    const purge = t.app.get(PurgeService);
    expect(await purge.countExpired(now)).toBe(expired.length);
    const progress: { deleted: number; batches: number }[] = [];
    const result = await purge.purgeExpired({ now, batchSize: 3, onProgress: (p) => progress.push(p) });

    expect(result).toEqual({ status: 'completed', deleted: expired.length, batches: 4, revisionsDeleted: 0 });
    // What `npm run purge` reports its progress from: the totals after every batch.
    expect(progress).toEqual([
      { deleted: 3, batches: 1 },
      { deleted: 6, batches: 2 },
      { deleted: 9, batches: 3 },
      { deleted: 11, batches: 4 },
    ]);
    expect(await storedUuids()).toEqual([...live].sort());
    expect(await purge.countExpired(now)).toBe(0);
  });

  it('deletes nothing when nothing has expired', async () => {
    const live = [await insertEvent(nowMicros() + DAY)];
    expect(await t.app.get(PurgeService).purgeExpired()).toEqual({ status: 'completed', deleted: 0, batches: 0, revisionsDeleted: 0 });
    expect(await storedUuids()).toEqual(live);
  });

  it('uses the configured batch size and the current time by default', async () => {
    const service = new PurgeService(t.dataSource, t.app.get(Dialect), t.app.get(JobLeases), { batchSize: 4, dependentTables: [] });
    await insertExpired(9, nowMicros());
    const live = await insertEvent(nowMicros() + DAY);
    expect(await service.purgeExpired()).toEqual({ status: 'completed', deleted: 9, batches: 3, revisionsDeleted: 0 });
    expect(await storedUuids()).toEqual([live]);
  });

  it('deletes the rows of dependent tables that belong to the purged events, and only those', async () => {
    const blob = t.dialect === 'mysql' ? 'BINARY(16)' : 'BLOB';
    await t.dataSource.query(`CREATE TABLE purge_test_notes (event_uuid ${blob} NOT NULL, note VARCHAR(20) NOT NULL)`);
    try {
      const now = nowMicros();
      const expired = await insertExpired(3, now);
      const live = await insertEvent(now + DAY);
      for (const uuid of [...expired, live, live]) {
        await t.dataSource.query('INSERT INTO purge_test_notes (event_uuid, note) VALUES (?, ?)', [Buffer.from(uuid, 'hex'), 'n']);
      }
      const service = new PurgeService(t.dataSource, t.app.get(Dialect), t.app.get(JobLeases), {
        batchSize: 2,
        dependentTables: ['purge_test_notes'],
      });

      expect(await service.purgeExpired({ now })).toEqual({ status: 'completed', deleted: 3, batches: 2, revisionsDeleted: 0 });
      expect(await storedUuids('purge_test_notes')).toEqual([live, live]);
      expect(await storedUuids()).toEqual([live]);
    } finally {
      await t.dataSource.query('DROP TABLE purge_test_notes');
    }
  });

  it('skips a second run started in the same process while the first is running', async () => {
    const now = nowMicros();
    await insertExpired(5, now);
    const service = t.app.get(PurgeService);

    const [first, second] = await Promise.all([service.purgeExpired({ now, batchSize: 2 }), service.purgeExpired({ now })]);

    expect(first).toEqual({ status: 'completed', deleted: 5, batches: 3, revisionsDeleted: 0 });
    expect(second).toEqual({ status: 'skipped', reason: 'running in this process' });
    expect(await service.purgeExpired({ now })).toEqual({ status: 'completed', deleted: 0, batches: 0, revisionsDeleted: 0 });
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(t.app.get(PurgeService).purgeExpired({ batchSize: 0 })).rejects.toThrow(RangeError);
  });

  mariadbOnly('lets exactly one of two instances sharing the database purge at a time', async () => {
    const now = nowMicros();
    const [oldest] = (await insertExpired(10, now)).slice(-1); // the smallest `expires` is found first
    const live = await insertEvent(now + DAY);
    const secondInstance = await createApp(t.config);
    // An open transaction holds a row lock on the oldest expired event, so whichever run gets the
    // purge lock waits inside its first batch until the other run has answered.
    const blocker = await createConnection({ uri: t.config.database.url });
    try {
      await blocker.beginTransaction();
      await blocker.query('SELECT event_uuid FROM events WHERE event_uuid = ? FOR UPDATE', [Buffer.from(oldest, 'hex')]);

      const runs = [t.app.get(PurgeService).purgeExpired({ now }), secondInstance.get(PurgeService).purgeExpired({ now })];
      expect(await Promise.race(runs)).toEqual({ status: 'skipped', reason: 'running on another instance' });
      await blocker.rollback();
      const results = await Promise.all(runs);

      expect(results).toHaveLength(2);
      expect(results).toEqual(
        expect.arrayContaining([
          { status: 'completed', deleted: 10, batches: 1, revisionsDeleted: 0 },
          { status: 'skipped', reason: 'running on another instance' },
        ]),
      );
      expect(await storedUuids()).toEqual([live]);
      // The lease was released: the next run is not skipped.
      expect(await secondInstance.get(PurgeService).purgeExpired({ now })).toEqual({
        status: 'completed',
        deleted: 0,
        batches: 0,
        revisionsDeleted: 0,
      });
    } finally {
      await blocker.end();
      await secondInstance.close();
    }
  });

  it('lets another instance take over the purge lease of a holder that died without releasing it, once it expired', async () => {
    const now = nowMicros();
    await insertExpired(3, now);
    // An instance with a 3 s lease takes it and stops without releasing it (as a killed process would).
    const holder = await createApp({ ...t.config, jobLeaseMs: 3000 });
    expect(await holder.get(JobLeases).acquire(PURGE_LEASE_NAME)).toBe(true);
    await holder.close();
    const purge = t.app.get(PurgeService);

    expect(await purge.purgeExpired({ now })).toEqual({ status: 'skipped', reason: 'running on another instance' });
    let result = await purge.purgeExpired({ now });
    for (let tries = 0; result.status === 'skipped' && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await purge.purgeExpired({ now });
    }

    expect(result).toEqual({ status: 'completed', deleted: 3, batches: 1, revisionsDeleted: 0 });
    // Released after the run: nobody holds it now.
    expect(await t.dataSource.query(`SELECT ${q('name')} FROM ${q('job_leases')}`)).toEqual([]);
  });

  describe('schedule', () => {
    it('is not registered when PURGE_ENABLED=false', () => {
      expect(() => t.app.get(PurgeScheduler)).toThrow();
    });

    it('runs every 5 minutes when PURGE_ENABLED=true', async () => {
      const scheduled = await startTestApp({ PURGE_ENABLED: 'true' });
      try {
        const job = scheduled.app.get(SchedulerRegistry).getCronJob(PURGE_JOB_NAME);
        expect(job.cronTime.source).toBe('0 */5 * * * *');
        expect(job.isActive).toBe(true);
      } finally {
        await scheduled.close();
      }
    });
  });
});

import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { JobLeasesSqlite1796650000000 } from '../migrations/sqlite/1796650000000-job-leases';
import { dialectFor } from '../sql';
import { JobLeases } from './job-leases';

const LEASE_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JobLeases (on an in-memory SQLite database)', () => {
  let dataSource: DataSource;
  /** Two instances sharing the database. */
  let first: JobLeases;
  let second: JobLeases;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: [JobLeasesSqlite1796650000000] });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const config = { jobLeaseMs: LEASE_MS } as AppConfig;
    first = new JobLeases(dataSource, dialectFor('sqlite'), config);
    second = new JobLeases(dataSource, dialectFor('sqlite'), config);
  });
  afterEach(async () => {
    await dataSource.destroy();
  });

  it('names each instance differently', () => {
    expect(first.holder).not.toEqual(second.holder);
  });

  it('gives a free lease to one instance only, and to the other once released', async () => {
    expect(await first.acquire('job')).toBe(true);
    expect(await second.acquire('job')).toBe(false);
    expect(await first.acquire('job')).toBe(false); // not re-entrant: one run at a time
    expect(await second.acquire('other job')).toBe(true);

    await second.release('job'); // not its lease: nothing happens
    expect(await second.acquire('job')).toBe(false);
    await first.release('job');
    expect(await second.acquire('job')).toBe(true);
  });

  it('lets another instance take an expired lease; the old holder can no longer renew it', async () => {
    expect(await first.acquire('job')).toBe(true);
    await sleep(LEASE_MS + 50);

    expect(await second.acquire('job')).toBe(true);
    expect(await first.renew('job')).toBe(false);
    expect(await second.renew('job')).toBe(true);
  });

  it('keeps the lease while the job runs longer than its length, then releases it', async () => {
    const run = first.runOnce('job', async (lease) => {
      await sleep(LEASE_MS * 2);
      return lease.lost;
    });
    await sleep(LEASE_MS * 1.5);
    expect(await second.runOnce('job', async () => 'ran')).toEqual({ ran: false });

    expect(await run).toEqual({ ran: true, result: false });
    expect(await second.runOnce('job', async () => 'ran')).toEqual({ ran: true, result: 'ran' });
  });

  it('tells a running job that its lease was taken over, and releases the lease even when the job fails', async () => {
    const run = first.runOnce('job', async (lease) => {
      // Another instance took it (as after a pause longer than the lease): the next renewal notices.
      await dataSource.query("UPDATE job_leases SET holder = 'someone else'");
      await sleep(LEASE_MS);
      return lease.lost;
    });
    expect(await run).toEqual({ ran: true, result: true });

    await expect(second.runOnce('failing', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await first.acquire('failing')).toBe(true);
  });
});

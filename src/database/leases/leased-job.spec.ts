import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { JobLeasesSqlite1796650000000 } from '../migrations/sqlite/1796650000000-job-leases';
import { dialectFor } from '../sql';
import { JobLeases } from './job-leases';
import { LeasedJob } from './leased-job';

/** A promise and the function that settles it: a run the test finishes when it wants. */
function gate<T>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}

describe('LeasedJob (leases on an in-memory SQLite database)', () => {
  let dataSource: DataSource;
  let here: LeasedJob<number>;
  /** The same job on another instance sharing the database. */
  let there: LeasedJob<number>;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: [JobLeasesSqlite1796650000000] });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const config = { jobLeaseMs: 60_000 } as AppConfig;
    here = new LeasedJob(new JobLeases(dataSource, dialectFor('sqlite'), config), 'job', -1);
    there = new LeasedJob(new JobLeases(dataSource, dialectFor('sqlite'), config), 'job', -1);
  });
  afterEach(async () => {
    await here.stop();
    await there.stop();
    await dataSource.destroy();
  });

  it('answers a call during a run with that run, and starts a new run after it', async () => {
    const first = gate<number>();
    let runs = 0;
    const work = () => {
      runs++;
      return first.opened;
    };
    const a = here.run(work);
    const b = here.run(work);
    first.open(7);
    expect([await a, await b, runs]).toEqual([7, 7, 1]);
    expect(await here.run(async () => 8)).toBe(8);
  });

  it('skips a run while another instance holds the lease', async () => {
    const elsewhere = gate<number>();
    const theirs = there.run(() => elsewhere.opened);
    await new Promise((resolve) => setTimeout(resolve, 50)); // their lease is taken
    let ran = false;
    expect(
      await here.run(async () => {
        ran = true;
        return 1;
      }),
    ).toBe(-1);
    expect(ran).toBe(false);
    elsewhere.open(2);
    expect(await theirs).toBe(2);
  });

  it('waits at stop for the run under way, and ticks no more after it', async () => {
    const slow = gate<number>();
    let ticks = 0;
    here.every(
      10,
      () => {
        ticks++;
        return here.run(() => slow.opened);
      },
      { error: () => undefined } as never,
      'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    let stopped = false;
    const stopping = here.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    slow.open(3);
    await stopping;
    const ticksAtStop = ticks;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([stopped, ticks]).toEqual([true, ticksAtStop]);
    expect(ticksAtStop).toBeGreaterThan(0);
  });
});

import { setImmediate } from 'node:timers/promises';
import { nowMicros } from '@app/common';
import { CounterFold } from '../../src/events/counters/counter-fold';
import { APP_OPTIONS_LIMIT, EventsRepository } from '../../src/events/events.repository';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS, eventPath, quote } from './event-fixtures';

/**
 * The event counters stay exact and small (issue 17 item 5): list counts equal COUNT(*) with the
 * same filter after many distinct apps, before and after a fold and while one runs next to
 * concurrent writers; a fold empties the deltas and deletes totals that reached zero, so the
 * tables hold the live keys only, however many were ever written.
 */
describe(`event counters (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let fold: CounterFold;
  beforeAll(async () => {
    // The fold runs when the test says, not on its timer.
    t = await startTestApp({ COUNTER_FOLD_INTERVAL_MS: '0' });
    fold = t.app.get(CounterFold);
  });
  afterAll(async () => t?.close());

  const q = (name: string) => quote(t, name);
  const scalar = async (statement: string, params: unknown[] = []) => Number((await t.dataSource.query(statement, params))[0].n);
  const rowsOf = (table: string) => scalar(`SELECT COUNT(*) AS n FROM ${q(table)}`);
  const countOf = async (query: string) => {
    const res = await t.admin.get(`${EVENTS}?page_size=1${query}`);
    expect(res.status).toBe(200);
    return res.body.pagination.count as number;
  };
  /** What each list must count, from the events themselves. */
  const expected = async () => ({
    all: await scalar(`SELECT COUNT(*) AS n FROM ${q('events')}`),
    logins: await scalar(`SELECT COUNT(*) AS n FROM ${q('events')} WHERE ${q('action')} = 'login'`),
    users: await scalar(`SELECT COUNT(*) AS n FROM ${q('events')} WHERE ${q('context_model_name')} = 'user'`),
  });
  const counted = async () => ({
    all: await countOf(''),
    logins: await countOf('&action=login'),
    users: await countOf('&context_model_name=user'),
  });
  const liveApps = async () =>
    (await t.dataSource.query(`SELECT DISTINCT ${q('app')} AS app FROM ${q('events')}`)).map((row: { app: string }) => row.app).sort();
  /** What `autocomplete` should offer, counted from the events: the APP_OPTIONS_LIMIT apps with the most (ties by bytes), byte-sorted. */
  const offeredApps = async () => {
    const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    const rows: { app: string; n: number | string }[] = await t.dataSource.query(
      `SELECT ${q('app')} AS app, COUNT(*) AS n FROM ${q('events')} GROUP BY ${q('app')}`,
    );
    return rows
      .sort((a, b) => Number(b.n) - Number(a.n) || byBytes(a.app, b.app))
      .slice(0, APP_OPTIONS_LIMIT)
      .map((row) => row.app)
      .sort(byBytes);
  };

  const create = async (i: number, app: string) => {
    const body = {
      action: i % 3 === 0 ? 'login' : 'model_updated',
      app,
      context: i % 2 === 0 ? { model: { app: 'authentik_core', model_name: 'user', pk: i } } : {},
    };
    const res = await t.admin.post(EVENTS, body);
    expect(res.status).toBe(201);
    return res.body.pk as string;
  };

  it('counts exactly after many distinct apps, and after a fold that leaves only the live keys', async () => {
    const pks: string[] = [];
    for (let i = 0; i < 120; i++) pks.push(await create(i, `churn.${i}`));
    // Change some apps and keys, delete some events: every kind of trigger.
    for (const pk of pks.slice(0, 20)) expect((await t.admin.patch(eventPath(pk), { app: 'kept.app' })).status).toBe(200);
    for (const pk of pks.slice(20, 30)) expect((await t.admin.patch(eventPath(pk), { action: 'login' })).status).toBe(200);
    for (const pk of pks.slice(30, 90)) expect((await t.admin.delete(eventPath(pk))).status).toBe(204);

    const want = await expected();
    expect(want.all).toBe(60);
    expect(await counted()).toEqual(want);
    expect(await rowsOf('event_app_count_deltas')).toBeGreaterThan(0);

    const result = await fold.fold();
    expect(result.folded).toBeGreaterThan(0);
    expect(await rowsOf('event_count_deltas')).toBe(0);
    expect(await rowsOf('event_app_count_deltas')).toBe(0);
    expect(await counted()).toEqual(want);
    // Zero totals are gone: one row per live app and per live (action, model app, model name).
    const apps = await liveApps();
    expect(await rowsOf('event_app_counts')).toBe(apps.length);
    expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual(await offeredApps());
    const liveModelKeys = await scalar(
      `SELECT COUNT(*) AS n FROM (SELECT DISTINCT ${q('action')}, COALESCE(${q('context_model_app')}, ''), COALESCE(${q('context_model_name')}, '') FROM ${q('events')}) AS k`,
    );
    expect(await rowsOf('event_counts')).toBe(liveModelKeys);
  });

  it('drops every row of apps whose events are all gone, and a fold with nothing to do changes nothing', async () => {
    for (let i = 0; i < 40; i++) await create(i, `gone.${i}`);
    await fold.fold();
    const before = await rowsOf('event_app_counts');
    await t.dataSource.query(`DELETE FROM ${q('events')} WHERE ${q('app')} LIKE 'gone.%'`);
    // 40 app deltas (each app's total comes to zero) and the few model keys' deltas (they live on).
    expect(await fold.fold()).toEqual({ folded: 40 + 4, zeroed: 40 });
    expect(await rowsOf('event_app_counts')).toBe(before - 40);
    expect(await fold.fold()).toEqual({ folded: 0, zeroed: 0 });
    expect(await counted()).toEqual(await expected());
  });

  it('is exact at every instant while writers and folds run together, without deadlocks', async () => {
    /** Totals plus deltas minus rows, in one statement (one snapshot): always 0 when the counters are exact. */
    const drift = () =>
      scalar(
        `SELECT (SELECT COALESCE(SUM(${q('n')}), 0) FROM ${q('event_counts')}) + (SELECT COALESCE(SUM(${q('n')}), 0) FROM ${q('event_count_deltas')}) ` +
          `- (SELECT COUNT(*) FROM ${q('events')}) AS n`,
      );
    const appDrift = () =>
      scalar(
        `SELECT (SELECT COALESCE(SUM(${q('n')}), 0) FROM ${q('event_app_counts')}) + (SELECT COALESCE(SUM(${q('n')}), 0) FROM ${q('event_app_count_deltas')}) ` +
          `- (SELECT COUNT(*) FROM ${q('events')}) AS n`,
      );
    let writing = true;
    const statuses: number[] = [];
    const writer = async (w: number) => {
      for (let i = 0; writing && i < 60; i++) {
        const res = await t.admin.post(EVENTS, { action: i % 2 ? 'login' : 'logout', app: `race.${w}.${i}` });
        statuses.push(res.status);
        if (res.status === 201 && i % 3 === 0)
          statuses.push((await t.admin.patch(eventPath(res.body.pk), { app: `race.moved.${i}` })).status);
        if (res.status === 201 && i % 4 === 0) statuses.push((await t.admin.delete(eventPath(res.body.pk))).status);
      }
    };
    const writers = Promise.all([0, 1, 2, 3, 4, 5].map(writer)).finally(() => (writing = false));
    const drifts: number[] = [];
    let folds = 0;
    const pause = () => setImmediate(); // on SQLite every statement is synchronous: let the others in
    const folder = async () => {
      // Small batches: many transactions, each racing the writers and the checks.
      for (; writing; folds += 1) await Promise.all([fold.fold(7), pause()]);
    };
    const checker = async () => {
      for (; writing; await pause()) drifts.push(await drift(), await appDrift());
    };
    await Promise.all([folder(), checker()]);
    await writers;
    expect(statuses.filter((status) => status >= 300)).toEqual([]);
    expect(folds).toBeGreaterThan(1);
    expect(new Set(drifts)).toEqual(new Set([0]));
    await fold.fold();
    expect(await rowsOf('event_count_deltas')).toBe(0);
    expect(await counted()).toEqual(await expected());
    expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual(await offeredApps());
  });

  it('counts rows written by multi-row INSERTs (every row fires the triggers)', async () => {
    const before = await expected();
    const created = nowMicros();
    const row = (i: number) => [Buffer.from(`${'ab'.repeat(12)}${String(i).padStart(8, '0')}`, 'hex'), 'login', `bulk.${i}`, created + i];
    const params = [0, 1, 2].flatMap(row);
    await t.dataSource.query(
      `INSERT INTO ${q('events')} (${q('event_uuid')}, ${q('action')}, ${q('app')}, ${q('created')}, ${q('expires')}, ${q('user')}, ${q('context')}, ${q('brand')}) VALUES ` +
        [0, 1, 2].map(() => `(?, ?, ?, ?, 9999999999999999, '{}', '{}', '{}')`).join(', '),
      params,
    );
    expect(await counted()).toEqual({ ...before, all: before.all + 3, logins: before.logins + 3 });
    await fold.fold();
    expect(await counted()).toEqual({ ...before, all: before.all + 3, logins: before.logins + 3 });
    expect(await t.app.get(EventsRepository).visibleApps(nowMicros())).toEqual(expect.arrayContaining(['bulk.0', 'bulk.1', 'bulk.2']));
  });
});

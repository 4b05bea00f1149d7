import { setTimeout as sleep } from 'node:timers/promises';
import { nowMicros } from '@app/common';
import { PurgeService } from '../../src/events/retention/purge.service';
import { createEvent, eventPath } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  adminActor,
  deleteRevisionRow,
  tamperEvent,
  expectValidChain,
  historyPath,
  hex,
  micros,
  stateOfEvent,
  VERIFY,
} from './revision-fixtures';

const EVENTS = '/api/v3/events/events/';
const LONG_AGO = '2000-01-01T00:00:00Z';
const kinds = (body: { kind: string }[]) => body.map((revision) => revision.kind);
const seqs = (body: { seq: number }[]) => body.map((revision) => revision.seq);

/*
 * Issue 13 item 3, "an edit cannot erase the trail": the retention purge removes an expired event's
 * row, but its history stays, ending with a `purge` revision, until REVISION_RETENTION (measured
 * from when each revision was recorded) removes the revisions themselves.
 */
describe(`purge and revisions (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('purges an event hidden by a PATCH of expires, keeping its history with a last purge revision', async () => {
    const expiring = await createEvent(t);
    const patched = await t.admin.patch(eventPath(expiring.pk), { expires: LONG_AGO });
    expect(patched.status).toBe(200);
    const live = await createEvent(t);
    await t.admin.patch(eventPath(live.pk), { app: 'authentik.flows' });
    const deleted = await createEvent(t);
    await t.admin.delete(eventPath(deleted.pk));
    expect((await t.admin.get(EVENTS)).body.pagination.count).toBe(1);

    const result = await t.app.get(PurgeService).purgeExpired();
    expect(result).toMatchObject({ status: 'completed', deleted: 1, revisionsDeleted: 0 });

    const history = (await t.admin.get(historyPath(expiring.pk))).body;
    expect(kinds(history)).toEqual(['create', 'update', 'purge']);
    expectValidChain(history);
    expect(history[1]).toMatchObject({ fields: ['expires'], after: { expires: micros('2000-01-01T00:00:00.000000Z') } });
    const purge = history[2];
    expect(purge).toMatchObject({ event: hex(expiring.pk), actor: {}, after: null });
    expect(purge.before).toEqual({ ...stateOfEvent(expiring), expires: micros('2000-01-01T00:00:00.000000Z') });
    expect(history[0].actor).toEqual(await adminActor(t));

    // The row is gone and the counters know it; the other histories are untouched.
    expect((await t.admin.get(eventPath(expiring.pk))).status).toBe(404);
    expect((await t.admin.get(EVENTS)).body.pagination.count).toBe(1);
    expect(kinds((await t.admin.get(historyPath(live.pk))).body)).toEqual(['create', 'update']);
    expect(kinds((await t.admin.get(historyPath(deleted.pk))).body)).toEqual(['create', 'delete']);
    expect((await t.admin.get(VERIFY)).body).toEqual({ checked: 7, broken: [] });

    // A second run finds nothing: the purge revision is written once.
    expect(await t.app.get(PurgeService).purgeExpired()).toMatchObject({ status: 'completed', deleted: 0 });
    expect(seqs((await t.admin.get(historyPath(expiring.pk))).body)).toEqual([1, 2, 3]);
    expect((await t.admin.get(VERIFY)).body).toEqual({ checked: 7, broken: [] });
  });

  it('purges in batches, each event with its own chained purge revision', async () => {
    const expiring = [];
    for (let i = 0; i < 5; i++) {
      const event = await createEvent(t);
      await t.admin.patch(eventPath(event.pk), { expires: LONG_AGO });
      expiring.push(event);
    }
    const result = await t.app.get(PurgeService).purgeExpired({ batchSize: 2 });
    expect(result).toMatchObject({ status: 'completed', deleted: 5, batches: 3 });
    for (const event of expiring) {
      const history = (await t.admin.get(historyPath(event.pk))).body;
      expect(kinds(history)).toEqual(['create', 'update', 'purge']);
      expectValidChain(history);
    }
    expect((await t.admin.get(VERIFY)).body.broken).toEqual([]);
  });
  // SQLite refuses text that is not JSON in these columns ("malformed JSON" from the JSON functions over them), so
  // only a MariaDB row can be edited into this state.
  const onMariaDb = process.env.TEST_DB === 'mariadb' ? it : it.skip;
  onMariaDb(
    'purges an event whose row no longer parses in the same chunk as the others, leaving a purge revision without before',
    async () => {
      const garbled = await createEvent(t);
      await t.admin.patch(eventPath(garbled.pk), { expires: LONG_AGO });
      await tamperEvent(t, garbled.pk, 'brand', '{not json');
      const intact = await createEvent(t);
      await t.admin.patch(eventPath(intact.pk), { expires: LONG_AGO });

      expect(await t.app.get(PurgeService).purgeExpired()).toMatchObject({ status: 'completed', deleted: 2, batches: 1 });

      const garbledHistory = (await t.admin.get(historyPath(garbled.pk))).body;
      expect(kinds(garbledHistory)).toEqual(['create', 'update', 'purge']);
      expectValidChain(garbledHistory);
      expect(garbledHistory[2]).toMatchObject({ actor: {}, before: null, after: null });
      const intactHistory = (await t.admin.get(historyPath(intact.pk))).body;
      expect(kinds(intactHistory)).toEqual(['create', 'update', 'purge']);
      expectValidChain(intactHistory);
      expect(intactHistory[2].before).toEqual({ ...stateOfEvent(intact), expires: micros('2000-01-01T00:00:00.000000Z') });
      expect((await t.admin.get(eventPath(garbled.pk))).status).toBe(404);
    },
  );
});

describe(`revision retention (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  const RETENTION_SECONDS = 2;

  beforeAll(async () => {
    t = await startTestApp({ REVISION_RETENTION: `seconds=${RETENTION_SECONDS}` });
  });
  afterAll(() => t.close());

  it('deletes revisions recorded longer ago than REVISION_RETENTION, and verify stays clean', async () => {
    const untouched = await createEvent(t);
    const edited = await createEvent(t);
    const expiring = await createEvent(t);
    // Let the three creation revisions age past the retention; what follows is recorded after it.
    await sleep(RETENTION_SECONDS * 1000 + 300);
    await t.admin.patch(eventPath(edited.pk), { app: 'authentik.flows' });
    await t.admin.patch(eventPath(expiring.pk), { expires: LONG_AGO });

    const result = await t.app.get(PurgeService).purgeExpired();
    expect(result).toMatchObject({ status: 'completed', deleted: 1, revisionsDeleted: 3 });

    // Chains that lost their oldest links still verify: their events are older than the retention.
    expect((await t.admin.get(historyPath(untouched.pk))).body).toEqual([]);
    expect(seqs((await t.admin.get(historyPath(edited.pk))).body)).toEqual([2]);
    const purged = (await t.admin.get(historyPath(expiring.pk))).body;
    expect(kinds(purged)).toEqual(['update', 'purge']);
    expect(seqs(purged)).toEqual([2, 3]);
    expect(purged[1].prev_hash).toBe(purged[0].hash);
    expect((await t.admin.get(VERIFY)).body).toEqual({ checked: 3, broken: [] });

    // A recent event whose first revision is removed is still reported: it cannot have aged out.
    const recent = await createEvent(t);
    await t.admin.patch(eventPath(recent.pk), { app: 'authentik.flows' });
    await deleteRevisionRow(t, recent.pk, 1);
    expect((await t.admin.get(VERIFY)).body.broken).toEqual([{ event: recent.pk, seq: 1, reason: 'revision is missing (gap in seq)' }]);

    // Once the purge revision itself has aged out, nothing of the purged event remains (batches of 2, 2, 0).
    const later = await t.app.get(PurgeService).purgeExpired({ now: nowMicros() + 10 * RETENTION_SECONDS * 1_000_000, batchSize: 2 });
    expect(later).toMatchObject({ status: 'completed', revisionsDeleted: 4 });
    expect((await t.admin.get(historyPath(expiring.pk))).status).toBe(404);
  });
});

import { nowMicros } from '@app/common';
import { PurgeService } from '../../src/events/retention/purge.service';
import { createEvent, eventPath } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { historyPath, VERIFY } from './revision-fixtures';

const DAY = 86_400_000_000;

/* The retention purge (SPEC §5) removes the revisions of the events it purges, and only those. */
describe(`purge and revisions (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('deletes an expired event with its history and keeps every other history', async () => {
    const expiring = await createEvent(t);
    // Through the API, so the change is itself a revision and the chain stays verifiable.
    await t.admin.patch(eventPath(expiring.pk), { expires: new Date(Date.now() + 2000).toISOString() });
    const live = await createEvent(t);
    await t.admin.patch(eventPath(live.pk), { app: 'authentik.flows' });
    const deleted = await createEvent(t);
    await t.admin.delete(eventPath(deleted.pk));

    const result = await t.app.get(PurgeService).purgeExpired({ now: nowMicros() + DAY });
    expect(result).toMatchObject({ status: 'completed', deleted: 1 });
    expect((await t.admin.get(historyPath(expiring.pk))).status).toBe(404);
    expect((await t.admin.get(historyPath(live.pk))).body).toHaveLength(2);
    // A deleted event's history stays: its deletion must remain visible.
    expect((await t.admin.get(historyPath(deleted.pk))).body.map((r: any) => r.kind)).toEqual(['create', 'delete']);
    expect((await t.admin.get(VERIFY)).body).toEqual({ checked: 4, broken: [] });
  });
});

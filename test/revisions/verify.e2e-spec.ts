import { EventsService } from '../../src/events/events.service';
import { createEvent, eventPath, insertRawEvents, sequentialUuids } from '../events/event-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { countRevisions, deleteEventRow, deleteRevisionRow, historyPath, tamperEvent, tamperRevision, VERIFY } from './revision-fixtures';

interface BrokenLink {
  event: string;
  seq: number;
  reason: string;
}

/*
 * GET /events/events/verify/ (docs/api-contract.md §7): clean chains verify clean; every kind of direct database
 * tampering is reported. Each case tampers with its own event, so the expected report is exact.
 */
describe(`chain verification (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** An event with `patches` PATCHes after its creation (so 1 + patches revisions). */
  async function eventWithHistory(patches: number, deleted = false): Promise<string> {
    const { pk } = await createEvent(t, { context: { step: 0 } });
    for (let i = 1; i <= patches; i++) await t.admin.patch(eventPath(pk), { context: { step: i } });
    if (deleted) await t.admin.delete(eventPath(pk));
    return pk;
  }

  const verify = async () => {
    const answer = await t.admin.get(VERIFY);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    return answer.body as { checked: number; broken: BrokenLink[] };
  };
  const sortBroken = (broken: BrokenLink[]) => [...broken].sort((a, b) => a.event.localeCompare(b.event) || a.seq - b.seq);

  it('is for superusers only', async () => {
    const viewer = await createUserWithToken(t, { permissions: ['authentik_events.view_event'] });
    expect(await viewer.client.get(VERIFY)).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
  });

  it('reports clean chains as clean, counting every revision (also of deleted events)', async () => {
    await eventWithHistory(0);
    await eventWithHistory(3);
    await eventWithHistory(2, true);
    // Setup: more events and revisions than one keyset page (1000 rows) of the walk.
    const events = t.app.get(EventsService);
    for (let batch = 0; batch < 21; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => events.create({ action: 'login', app: 'authentik.core' })));
    }
    const report = await verify();
    expect(report).toEqual({ checked: await countRevisions(t), broken: [] });
    expect(report.checked).toBe(1 + 4 + 4 + 1050);
  });

  it('reports each direct tampering: event row, revision content, deleted revisions, deleted or inserted rows', async () => {
    const editedRow = await eventWithHistory(2);
    await tamperEvent(t, editedRow, 'app', 'authentik.forged');

    const editedRevision = await eventWithHistory(2);
    await tamperRevision(t, editedRevision, 2, 'after_state', JSON.stringify({ context: { step: 99 } }));

    const middleRemoved = await eventWithHistory(3);
    await deleteRevisionRow(t, middleRemoved, 2);

    const latestRemoved = await eventWithHistory(2);
    await deleteRevisionRow(t, latestRemoved, 3);

    const rowDeleted = await eventWithHistory(1);
    await deleteEventRow(t, rowDeleted);

    const deletionRemoved = await eventWithHistory(1, true);
    await deleteRevisionRow(t, deletionRemoved, 3);

    const [inserted] = sequentialUuids(1, 0xabc);
    await insertRawEvents(t, [{ pk: inserted, created: Date.now() * 1000 }]);

    const report = await verify();
    expect(report.checked).toBe(await countRevisions(t));
    expect(sortBroken(report.broken)).toEqual(
      sortBroken([
        { event: editedRow, seq: 3, reason: 'the event row differs from its history (app): edited in the database' },
        { event: editedRevision, seq: 2, reason: 'hash does not match the content (revision altered)' },
        { event: middleRemoved, seq: 2, reason: 'revision is missing (gap in seq)' },
        { event: latestRemoved, seq: 3, reason: 'revision is missing: the event row names it as its latest' },
        { event: rowDeleted, seq: 2, reason: 'the event is gone but its history has no delete revision' },
        { event: deletionRemoved, seq: 2, reason: 'the event is gone but its history has no delete revision' },
        { event: inserted, seq: 0, reason: 'the event has no revisions (written to the database directly)' },
      ]),
    );
    // History still shows what is stored, so the damage can be inspected.
    expect((await t.admin.get(historyPath(middleRemoved))).body.map((r: any) => r.seq)).toEqual([1, 3, 4]);
  });

  it('reports a revision relinked to another hash, and a revision that is no longer JSON', async () => {
    const relinked = await eventWithHistory(1);
    await tamperRevision(t, relinked, 2, 'prev_hash', 'f'.repeat(64));
    const garbled = await eventWithHistory(0);
    await tamperRevision(t, garbled, 1, 'after_state', '{not json');
    expect((await t.admin.get(historyPath(garbled))).body[0].after).toBe('{not json');
    const broken = (await verify()).broken.filter((link) => [relinked, garbled].includes(link.event));
    expect(sortBroken(broken)).toEqual(
      sortBroken([
        { event: relinked, seq: 2, reason: 'prev_hash does not match the previous revision (a revision was removed or replaced)' },
        { event: garbled, seq: 1, reason: 'hash does not match the content (revision altered)' },
      ]),
    );
  });
});

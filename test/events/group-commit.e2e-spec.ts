import { expectValidChain, historyPath, stateOfEvent, VERIFY } from '../revisions/revision-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { countRows, createEvent, eventPath, EVENTS, expireEvent } from './event-fixtures';

/*
 * EVENT_GROUP_COMMIT on (the default) and off (MariaDB; SQLite groups concurrent creates always,
 * whatever it says): concurrent creates answered 201 each with its own event, every one stored
 * once with its creation revision, and the counters exact; concurrent PATCHes (MariaDB batches
 * those of distinct events, SQLite shares their transactions always) answered each with its own
 * change, each event's chain one revision per PATCH. The batching itself is group-commit.spec.ts's.
 */
describe.each(['true', 'false'])(`concurrent writes with EVENT_GROUP_COMMIT=%s (${process.env.TEST_DB ?? 'sqlite'})`, (groupCommit) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ EVENT_GROUP_COMMIT: groupCommit });
  });
  afterAll(async () => t?.close());

  it('answers every concurrent create with its own stored event, chains and counters exact', async () => {
    const before = await countRows(t);
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        t.admin.post(EVENTS, { action: i % 2 ? 'login' : 'logout', app: 'authentik.core', context: { i } }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect(answers.map((answer) => answer.body.context.i)).toEqual(answers.map((_, i) => i));
    expect(new Set(answers.map((answer) => answer.body.pk)).size).toBe(64);
    expect(await countRows(t)).toBe(before + 64);
    for (const { body } of answers.slice(0, 8)) {
      expect((await t.admin.get(eventPath(body.pk))).body).toEqual(body);
      const history = (await t.admin.get(historyPath(body.pk))).body;
      expect(history).toHaveLength(1);
      expect(history[0].after).toEqual(stateOfEvent(body));
      expectValidChain(history);
    }
    expect((await t.admin.get(`${EVENTS}?page_size=1`)).body.pagination.count).toBe(before + 64);
    expect((await t.admin.get(`${EVENTS}?page_size=1&action=login`)).body.pagination.count).toBe(32);
    expect((await t.admin.get(VERIFY)).body.broken).toEqual([]);
  });

  it('a refused create fails alone; the others beside it are stored', async () => {
    const before = await countRows(t);
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => t.admin.post(EVENTS, { action: 'login', app: 'authentik.core', context: { i } })),
      t.admin.post(EVENTS, { action: 'login', app: '' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([...Array.from({ length: 10 }, () => 201), 400]);
    expect(await countRows(t)).toBe(before + 10);
  });

  it('answers every concurrent PATCH with its own change: one revision each, chains, state and counters exact', async () => {
    const count = async (action: string) => (await t.admin.get(`${EVENTS}?page_size=1&action=${action}`)).body.pagination.count;
    const before = [await count('login'), await count('logout')];
    const events = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createEvent(t, { action: 'login', app: 'group.patch', context: { i } })),
    );
    const gone = await createEvent(t, { app: 'group.patch' });
    expect((await t.admin.delete(eventPath(gone.pk))).status).toBe(204);
    const expired = await createEvent(t, { app: 'group.patch' });
    await expireEvent(t, expired.pk);
    // Four PATCHes per event, sent together, with those of the missing events among them.
    const patches: { pk: string; body: Record<string, unknown> }[] = events.flatMap((event, i) => [
      { pk: event.pk, body: { context: { i, round: 1 } } },
      { pk: event.pk, body: { client_ip: `203.0.113.${i}` } },
      { pk: event.pk, body: { action: i % 3 === 0 ? 'logout' : 'login' } },
      { pk: event.pk, body: { context: { i, round: 2 } } },
    ]);
    patches.splice(10, 0, { pk: gone.pk, body: { app: 'x' } }, { pk: expired.pk, body: { app: 'x' } });
    const answers = await Promise.all(patches.map(({ pk, body }) => t.admin.patch(eventPath(pk), body)));
    for (const [n, { pk, body }] of patches.entries()) {
      if (pk === gone.pk || pk === expired.pk) {
        expect(answers[n].status).toBe(404);
        continue;
      }
      expect(answers[n].status).toBe(200);
      expect(answers[n].body.pk).toBe(pk);
      expect(answers[n].body).toMatchObject(body);
    }
    for (const [i, event] of events.entries()) {
      const history = (await t.admin.get(historyPath(event.pk))).body;
      expect(history.map((revision: { seq: number }) => revision.seq)).toEqual([1, 2, 3, 4, 5]);
      expectValidChain(history);
      const now = (await t.admin.get(eventPath(event.pk))).body;
      expect(now).toEqual({
        ...event,
        ...history.slice(1).reduce((state: object, r: { after: object }) => ({ ...state, ...r.after }), {}),
      });
      expect(now.client_ip).toBe(`203.0.113.${i}`);
      expect(now.action).toBe(i % 3 === 0 ? 'logout' : 'login');
    }
    expect([await count('login'), await count('logout')]).toEqual([before[0] + 8, before[1] + 4]);
  });
});

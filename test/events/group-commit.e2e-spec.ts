import { expectValidChain, historyPath, stateOfEvent, VERIFY } from '../revisions/revision-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { countRows, eventPath, EVENTS } from './event-fixtures';

/*
 * EVENT_GROUP_COMMIT on (the default) and off (MariaDB; SQLite groups concurrent creates always,
 * whatever it says): concurrent creates answered 201 each with its own event, every one stored
 * once with its creation revision, and the counters exact. The batching itself is
 * group-commit.spec.ts's.
 */
describe.each(['true', 'false'])(`concurrent creates with EVENT_GROUP_COMMIT=%s (${process.env.TEST_DB ?? 'sqlite'})`, (groupCommit) => {
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
});

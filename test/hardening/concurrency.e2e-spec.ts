import { EVENT_ACTIONS } from '../../src/events/event-actions';
import { PurgeService } from '../../src/events/retention/purge.service';
import { createEvent, EVENTS, eventPath } from '../events/event-fixtures';
import { ApiResponse } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';

const PATCHED_FIELDS = ['user', 'app', 'context', 'client_ip', 'expires', 'brand', 'action'] as const;
type PatchedField = (typeof PATCHED_FIELDS)[number];

/** A value for `field` that no other PATCH sends and the original event does not hold. */
function valueFor(field: PatchedField, i: number): unknown {
  switch (field) {
    case 'user':
      return { pk: 1000 + i, username: `patcher-${i}` };
    case 'app':
      return `concurrency.app.${i}`;
    case 'context':
      return { patch: i, nested: { list: [i, `${i}`] } };
    case 'client_ip':
      return `198.51.100.${i}`;
    case 'expires':
      // Always in the future: an expired event would vanish from the API under the other PATCHes.
      return new Date(Date.UTC(2031, 0, 1 + i)).toISOString();
    case 'brand':
      return { app: 'authentik_brands', model_name: 'brand', pk: `brand-${i}`, name: `Brand ${i}` };
    case 'action':
      return EVENT_ACTIONS.filter((a) => a !== 'login')[i % (EVENT_ACTIONS.length - 1)];
  }
}

/** Runs `count` calls of `task`, at most `parallel` at a time. */
async function inParallel<T>(count: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

const statusesOf = (responses: ApiResponse[]) => responses.map((r) => r.status);

/**
 * Concurrent writers on one event and creates racing the retention purge: no lost update, no
 * deadlock or lock-timeout reaching a client, no event acknowledged and then missing or doubled.
 */
describe(`concurrency (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('50 concurrent PATCHes of different fields of one event: all 200, every field ends with a value sent to it', async () => {
    const original = await createEvent(t, { app: 'concurrency.original', client_ip: '192.0.2.1', context: { original: true } });
    for (let round = 0; round < 2; round++) {
      const fields = Array.from({ length: 50 }, (_, i) => PATCHED_FIELDS[i % PATCHED_FIELDS.length]);
      const responses = await Promise.all(
        fields.map((field, i) => t.admin.patch(eventPath(original.pk), { [field]: valueFor(field, round * 50 + i) })),
      );
      const failures = responses.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`);
      expect(failures).toEqual([]);

      // What each PATCH stored for its field, as the API writes it back.
      const acknowledged = new Map<PatchedField, unknown[]>();
      fields.forEach((field, i) => acknowledged.set(field, [...(acknowledged.get(field) ?? []), responses[i].body[field]]));
      const final = await t.admin.get(eventPath(original.pk));
      expect(final.status).toBe(200);
      for (const field of PATCHED_FIELDS) {
        expect({ field, value: final.body[field], sent: acknowledged.get(field) }).toEqual({
          field,
          value: expect.anything(),
          sent: expect.arrayContaining([final.body[field]]),
        });
        expect(final.body[field]).not.toEqual(original[field]);
      }
      expect(final.body.created).toBe(original.created);
    }
  });

  it('200 concurrent creates while the purge runs again and again: every 201 is stored exactly once, no 5xx', async () => {
    const purge = t.app.get(PurgeService);
    const expired = await inParallel(60, 10, () => createEvent(t, { app: 'concurrency.expired', expires: '2001-01-01T00:00:00Z' }));

    let creating = true;
    const purgeRuns: string[] = [];
    const purging = (async () => {
      while (creating) {
        const result = await purge.purgeExpired();
        purgeRuns.push(result.status);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const created = await inParallel(200, 25, async (i) => {
      // Every fifth one is born expired: the purge races the insert it is about to delete.
      const body =
        i % 5 === 0
          ? { action: 'login', app: 'concurrency.born-expired', expires: '2001-01-01T00:00:00Z' }
          : { action: 'login', app: `concurrency.create.${i}` };
      return t.admin.post(EVENTS, body);
    }).finally(() => (creating = false));
    await purging;

    expect(statusesOf(created).filter((status) => status !== 201)).toEqual([]);
    expect(purgeRuns.filter((status) => status !== 'completed' && status !== 'skipped')).toEqual([]);
    expect(purgeRuns.length).toBeGreaterThan(0);

    await purge.purgeExpired();
    const stored = await storedEventUuids(t);
    const alive = created.filter((r) => r.body.app !== 'concurrency.born-expired').map((r) => r.body.pk as string);
    const bornExpired = created.filter((r) => r.body.app === 'concurrency.born-expired').map((r) => r.body.pk as string);
    expect(new Set(alive).size).toBe(160);
    for (const pk of alive) expect({ pk, copies: stored.filter((uuid) => uuid === pk).length }).toEqual({ pk, copies: 1 });
    for (const pk of [...bornExpired, ...expired.map((e) => e.pk as string)]) expect(stored).not.toContain(pk);

    // And through the API: each one retrievable, and the list counts each once.
    const retrieved = await inParallel(alive.length, 20, (i) => t.admin.get(eventPath(alive[i])));
    expect(statusesOf(retrieved).filter((status) => status !== 200)).toEqual([]);
    const listed = await listAllPks(t);
    expect(listed.length).toBe(new Set(listed).size);
    expect(listed).toEqual(expect.arrayContaining(alive));
  });
});

/** The pk of every visible event, page by page through the API. */
async function listAllPks(t: TestApp): Promise<string[]> {
  const pks: string[] = [];
  for (let page = 1; page > 0;) {
    const res = await t.admin.get(`${EVENTS}?page_size=100&page=${page}`);
    expect(res.status).toBe(200);
    pks.push(...res.body.results.map((event: { pk: string }) => event.pk));
    page = res.body.pagination.next;
  }
  return pks;
}

/** Every event_uuid in the table, as the API writes it (dashed lower-case hex), duplicates kept. */
async function storedEventUuids(t: TestApp): Promise<string[]> {
  const rows: { event_uuid: Buffer }[] = await t.dataSource.query('SELECT event_uuid FROM events');
  return rows.map(({ event_uuid }) => {
    const hex = Buffer.from(event_uuid).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

import { nowMicros } from '@app/common';
import { insertRawEvents, RawEvent, sequentialUuids } from '../events/event-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS, qs } from './api-query-fixtures';

/**
 * The `username` filter reads its three alternatives (user.username, context.username, the user
 * as context.model) as a UNION of index ranges, for the count and for the page (see
 * EventsRepository.unionPageKeys). Checked here against the list without the filter, which
 * takes the plain single-query path: every ordering, every page, events matching two or three
 * ways counted once, other filters combined, expired events left out.
 */
describe(`events_events_list username as a union (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let danaPk: number;
  const uuids = sequentialUuids(120, 0x9000);
  const base = nowMicros() - 3_600_000_000;
  const matching = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp();
    danaPk = (await createUserWithToken(t, { username: 'dana' })).pk;
    const asModel = { app: 'authentik_core', model_name: 'user', pk: danaPk, name: 'dana' };
    // Six ways an event relates to dana (or not), repeated; `created` values repeat, so the pk
    // tie-break decides much of the order.
    const shapes: ((i: number) => Pick<RawEvent, 'user' | 'context'> & { matches: boolean })[] = [
      () => ({ user: { pk: danaPk, username: 'dana' }, matches: true }),
      () => ({ user: { pk: 7, username: 'erin' }, context: { username: 'dana' }, matches: true }),
      () => ({ user: { pk: 7, username: 'erin' }, context: { model: asModel }, matches: true }),
      () => ({ user: { pk: danaPk, username: 'dana' }, context: { username: 'dana', model: asModel }, matches: true }),
      () => ({ user: { pk: 7, username: 'erin' }, context: { model: { ...asModel, model_name: 'group' } }, matches: false }),
      (i) => ({ user: { pk: 8, username: `frank${i}` }, context: { username: 'danax' }, matches: false }),
    ];
    const events: RawEvent[] = uuids.map((pk, i) => {
      const { matches, ...shape } = shapes[i % shapes.length](i);
      if (matches) matching.add(pk);
      return {
        pk,
        ...shape,
        created: base + (i % 9) * 1000,
        action: ['login', 'logout', 'model_updated'][i % 4 === 0 ? 2 : i % 2],
        clientIp: `10.0.0.${i % 5}`,
      };
    });
    // One expired event of each matching shape: never listed, never counted.
    events.push(
      ...sequentialUuids(4, 0x9f00).map((pk, i) => ({
        ...shapes[i](0),
        pk,
        created: base,
        expires: nowMicros() - 1_000_000,
        matches: undefined,
      })),
    );
    await insertRawEvents(t, events);
  });
  afterAll(async () => t?.close());

  /** Every page of the list, in order, and the counts the pages reported. */
  async function walk(params: Record<string, string | number>, pageSize: number): Promise<{ pks: string[]; counts: number[] }> {
    const pks: string[] = [];
    const counts: number[] = [];
    for (let page = 1; ; page++) {
      const res = await t.admin.get(`${EVENTS}${qs({ ...params, page, page_size: pageSize })}`);
      expect(res.status).toBe(200);
      pks.push(...res.body.results.map((event: { pk: string }) => event.pk));
      counts.push(res.body.pagination.count);
      if (res.body.pagination.next === 0) return { pks, counts };
    }
  }

  it('counts each matching event once, expired ones not at all', async () => {
    const res = await t.admin.get(`${EVENTS}${qs({ username: 'dana', page_size: 1 })}`);
    expect(res.status).toBe(200);
    expect(res.body.pagination.count).toBe(matching.size);
    expect(matching.size).toBe(80); // 4 of every 6 of the 120
  });

  it.each(['-created', 'created', 'action,-pk', '-client_ip,created', 'user', '-context', 'expires,-action', 'pk'])(
    'ordering=%s: every page equals the unfiltered list with the non-matching events taken out',
    async (ordering) => {
      const all = await walk({ ordering }, 1000);
      const expected = all.pks.filter((pk) => matching.has(pk));
      const filtered = await walk({ ordering, username: 'dana' }, 7);
      expect(filtered.pks).toEqual(expected);
      expect(new Set(filtered.counts)).toEqual(new Set([expected.length]));
    },
  );

  it('combines with other filters inside every branch', async () => {
    const all = await walk({ action: 'model_updated', client_ip: '10.0.0.0' }, 1000);
    const expected = all.pks.filter((pk) => matching.has(pk));
    const filtered = await walk({ action: 'model_updated', client_ip: '10.0.0.0', username: 'dana' }, 3);
    expect(expected.length).toBeGreaterThan(0);
    expect(filtered.pks).toEqual(expected);
    expect(filtered.counts[0]).toBe(expected.length);
  });

  it('a page past the end is still 404 Invalid page.', async () => {
    const res = await t.admin.get(`${EVENTS}${qs({ username: 'dana', page: 13, page_size: 7 })}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Invalid page.' });
  });
});

import { nowMicros } from '@app/common';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ADD,
  CHANGE,
  createEvent,
  DEFAULT_BRAND,
  EVENTS,
  expireEvent,
  formatMicros,
  insertRawEvents,
  sequentialUuids,
  VIEW,
} from './event-fixtures';

const EMPTY_PAGINATION = { next: 0, previous: 0, count: 0, current: 1, total_pages: 1, start_index: 0, end_index: 0 };
const pks = (body: { results: { pk: string }[] }) => body.results.map((e) => e.pk);

/**
 * GET /events/events/: events_events_list, pagination and default ordering (docs/api-contract.md §3.3). The
 * filters, search and `ordering` are src/events/query's and tested there; `autocomplete` too.
 */
describe(`events_events_list (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  describe('on an empty table', () => {
    it('answers the empty page', async () => {
      const res = await t.admin.get(EVENTS);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ pagination: EMPTY_PAGINATION, results: [], autocomplete: expect.any(Object) });
      expect(Object.keys(res.body)).toEqual(['pagination', 'results', 'autocomplete']);
    });

    it.each(['1', '01', 'abc&page=1'])('page=%s is the first page', async (page) => {
      const res = await t.admin.get(`${EVENTS}?page=${page}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual(EMPTY_PAGINATION);
    });

    it.each(['2', '0', '-1', 'abc', '1.5', 'last'])('page=%s is 404 Invalid page.', async (page) => {
      const res = await t.admin.get(`${EVENTS}?page=${page}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Invalid page.' });
    });
  });

  describe('with events', () => {
    // 7 events: two pairs share a `created`, so the pk decides their order.
    const base = nowMicros() - 3_600_000_000;
    const uuids = sequentialUuids(7, 0x100);
    const created = [base, base + 10, base + 10, base + 20, base + 30, base + 30, base + 40];
    const newestFirst = uuids.map((pk, i) => ({ pk, created: created[i] })).sort((a, b) => b.created - a.created || (a.pk < b.pk ? 1 : -1));

    beforeAll(async () => {
      await insertRawEvents(
        t,
        uuids.map((pk, i) => ({ pk, created: created[i] })),
      );
    });

    it('lists newest first, ties broken by pk (descending)', async () => {
      const res = await t.admin.get(EVENTS);
      expect(res.status).toBe(200);
      expect(pks(res.body)).toEqual(newestFirst.map((e) => e.pk));
      expect(res.body.pagination).toEqual({ next: 0, previous: 0, count: 7, current: 1, total_pages: 1, start_index: 1, end_index: 7 });
    });

    it('writes each event as the retrieve does', async () => {
      const res = await t.admin.get(EVENTS);
      const first = newestFirst[0];
      expect(res.body.results[0]).toEqual({
        pk: first.pk,
        user: {},
        action: 'login',
        app: 'test',
        context: {},
        client_ip: null,
        created: formatMicros(first.created),
        expires: formatMicros(first.created + 3_600_000_000_000),
        brand: DEFAULT_BRAND,
      });
      expect((await t.admin.get(`${EVENTS}${first.pk}/`)).body).toEqual(res.body.results[0]);
    });

    it('walks the pages without repeating or skipping an event', async () => {
      const seen: string[] = [];
      const expected = [
        { next: 2, previous: 0, count: 7, current: 1, total_pages: 3, start_index: 1, end_index: 3 },
        { next: 3, previous: 1, count: 7, current: 2, total_pages: 3, start_index: 4, end_index: 6 },
        { next: 0, previous: 2, count: 7, current: 3, total_pages: 3, start_index: 7, end_index: 7 },
      ];
      for (const [i, pagination] of expected.entries()) {
        const res = await t.admin.get(`${EVENTS}?page=${i + 1}&page_size=3`);
        expect(res.status).toBe(200);
        expect(res.body.pagination).toEqual(pagination);
        seen.push(...pks(res.body));
      }
      expect(seen).toEqual(newestFirst.map((e) => e.pk));
    });

    it('answers 404 Invalid page. just past the end', async () => {
      const res = await t.admin.get(`${EVENTS}?page=4&page_size=3`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Invalid page.' });
    });

    it.each(['0', '-3', 'abc', '2.5', ''])('page_size=%s still answers a page', async (size) => {
      const res = await t.admin.get(`${EVENTS}?page_size=${size}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toMatchObject({ count: 7, total_pages: 1, end_index: 7 });
    });

    it('takes the last of a repeated parameter', async () => {
      const res = await t.admin.get(`${EVENTS}?page_size=100&page_size=2&page=9&page=2`);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toMatchObject({ current: 2, start_index: 3, end_index: 4 });
    });

    it('ignores unknown parameters', async () => {
      const res = await t.admin.get(`${EVENTS}?frobnicate=1`);
      expect(res.status).toBe(200);
      expect(res.body.pagination.count).toBe(7);
    });

    it('never lists or counts an expired event', async () => {
      const event = await createEvent(t);
      expect((await t.admin.get(EVENTS)).body.pagination.count).toBe(8);
      await expireEvent(t, event.pk);
      const res = await t.admin.get(EVENTS);
      expect(res.body.pagination.count).toBe(7);
      expect(pks(res.body)).not.toContain(event.pk);
    });

    it('403 without credentials', async () => {
      const res = await t.anonymous.get(EVENTS);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it('403 without view_event (not an empty page)', async () => {
      const writer = await createUserWithToken(t, { permissions: [ADD, CHANGE] });
      const res = await writer.client.get(EVENTS);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });

    it('200 with view_event granted through a role', async () => {
      const viewer = await createUserWithToken(t, { permissions: [VIEW] });
      const res = await viewer.client.get(EVENTS);
      expect(res.status).toBe(200);
      expect(res.body.pagination.count).toBe(7);
    });
  });

  describe('authentik 2026.8 page sizes on 1007 events', () => {
    beforeAll(async () => {
      await insertRawEvents(
        t,
        sequentialUuids(1000, 0x10000).map((pk, i) => ({ pk, created: nowMicros() - 7_200_000_000 - i })),
      );
    });

    it('the default is 20', async () => {
      const res = await t.admin.get(EVENTS);
      expect(res.body.results).toHaveLength(20);
      expect(res.body.pagination).toEqual({
        next: 2,
        previous: 0,
        count: 1007,
        current: 1,
        total_pages: 51,
        start_index: 1,
        end_index: 20,
      });
    });

    it.each(['101', '1000', '5000', '99999999999999999999'])('page_size=%s is clamped to 100', async (size) => {
      const res = await t.admin.get(`${EVENTS}?page_size=${size}`);
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(100);
      expect(res.body.pagination).toEqual({
        next: 2,
        previous: 0,
        count: 1007,
        current: 1,
        total_pages: 11,
        start_index: 1,
        end_index: 100,
      });
    });

    // docs/api-contract.md §3.3: a given size that is not a positive integer falls back to the default.
    it.each(['0', '-3', 'abc', ''])('page_size=%s is the default, 20', async (size) => {
      const res = await t.admin.get(`${EVENTS}?page_size=${size}`);
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(20);
    });

    it('the last page holds the remainder', async () => {
      const res = await t.admin.get(`${EVENTS}?page=11&page_size=100`);
      expect(res.body.results).toHaveLength(7);
      expect(res.body.pagination).toEqual({
        next: 0,
        previous: 10,
        count: 1007,
        current: 11,
        total_pages: 11,
        start_index: 1001,
        end_index: 1007,
      });
    });

    it('a page past the last at the default size is Invalid page.', async () => {
      expect((await t.admin.get(`${EVENTS}?page=51`)).body.results).toHaveLength(7);
      const res = await t.admin.get(`${EVENTS}?page=52`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Invalid page.' });
    });
  });
});

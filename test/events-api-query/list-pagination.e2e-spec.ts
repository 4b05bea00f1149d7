import { nowMicros } from '@app/common';
import { insertRawEvents, sequentialUuids } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS, INVALID_PAGE, qs } from './api-query-fixtures';

const EMPTY = { next: 0, previous: 0, count: 0, current: 1, total_pages: 1, start_index: 0, end_index: 0 };
const ACTIONS = ['login', 'logout', 'model_created'];

/**
 * Pages of GET /events/events/ (docs/api-contract.md §3.3): every edge, the page size rules, filters with pages,
 * and walks over all pages in several orderings of 1005 events that share only 7 `created`
 * values, so the pk tie-breaker decides most of the order.
 */
describe(`events_events_list pagination (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const list = (params: Record<string, string | number>) => t.admin.get(`${EVENTS}${qs(params)}`);

  describe('empty', () => {
    const cases: Record<string, string | number>[] = [{}, { page: 1 }, { page_size: 1 }, { actions: 'login' }, { search: 'x' }];
    it.each(cases)('%j is one empty page', async (params) => {
      const res = await list(params);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual(EMPTY);
      expect(res.body.results).toEqual([]);
    });

    it.each([0, 2, -1, 'abc'])('page=%s is 404 Invalid page.', async (page) => {
      const res = await list({ page });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(INVALID_PAGE);
    });
  });

  describe('with 1005 events', () => {
    const TOTAL = 1005;
    const uuids = sequentialUuids(TOTAL, 0x1000);
    const base = nowMicros() - 3_600_000_000;
    const events = uuids.map((pk, i) => ({ pk, created: base + (i % 7) * 1000, action: ACTIONS[i % 3] }));
    const LOGINS = events.filter((event) => event.action === 'login').length; // 335

    beforeAll(async () => {
      await insertRawEvents(t, events);
    });

    it('counts exactly and fills the first page of the default 20', async () => {
      const res = await list({});
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual({
        next: 2,
        previous: 0,
        count: TOTAL,
        current: 1,
        total_pages: 51,
        start_index: 1,
        end_index: 20,
      });
      expect(res.body.results).toHaveLength(20);
    });

    it('a middle page points both ways', async () => {
      const res = await list({ page: 5, page_size: 100 });
      expect(res.body.pagination).toEqual({
        next: 6,
        previous: 4,
        count: TOTAL,
        current: 5,
        total_pages: 11,
        start_index: 401,
        end_index: 500,
      });
    });

    it('the last page is partial', async () => {
      const res = await list({ page: 11, page_size: 100 });
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual({
        next: 0,
        previous: 10,
        count: TOTAL,
        current: 11,
        total_pages: 11,
        start_index: 1001,
        end_index: 1005,
      });
      expect(res.body.results).toHaveLength(5);
    });

    it('a full last page, when the count is a multiple of the page size', async () => {
      const res = await list({ actions: 'login', page_size: LOGINS / 5, page: 5 });
      expect(res.body.pagination).toEqual({
        next: 0,
        previous: 4,
        count: LOGINS,
        current: 5,
        total_pages: 5,
        start_index: LOGINS - 66,
        end_index: LOGINS,
      });
      expect(res.body.results).toHaveLength(LOGINS / 5);
      const beyond = await list({ actions: 'login', page_size: LOGINS / 5, page: 6 });
      expect(beyond.status).toBe(404);
      expect(beyond.body).toEqual(INVALID_PAGE);
    });

    it('a filter counts and pages the matching events only', async () => {
      const res = await list({ actions: 'login', page_size: 100, page: 4 });
      expect(res.body.pagination).toEqual({
        next: 0,
        previous: 3,
        count: LOGINS,
        current: 4,
        total_pages: 4,
        start_index: 301,
        end_index: LOGINS,
      });
      expect(res.body.results.every((e: { action: string }) => e.action === 'login')).toBe(true);
    });

    it.each([52, 53, 1000, '999999999999999', 0, -1, '1.5', 'abc', ''])('page=%s is 404 Invalid page. (51 pages of 20)', async (page) => {
      const res = await list({ page });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(INVALID_PAGE);
    });

    // docs/api-contract.md §3.3: a given size that is not a positive integer falls back to the default, 20.
    it.each(['0', '-1', 'abc', '', '1.5', '10abc'])('page_size=%s is the default, 20', async (pageSize) => {
      const res = await list({ page_size: pageSize });
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual({
        next: 2,
        previous: 0,
        count: TOTAL,
        current: 1,
        total_pages: 51,
        start_index: 1,
        end_index: 20,
      });
      expect(res.body.results).toHaveLength(20);
    });

    it.each(['5000', '1001', '101', '99999999999999999999'])('page_size=%s is clamped to 100', async (pageSize) => {
      const res = await list({ page_size: pageSize });
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual({
        next: 2,
        previous: 0,
        count: TOTAL,
        current: 1,
        total_pages: 11,
        start_index: 1,
        end_index: 100,
      });
      expect(res.body.results).toHaveLength(100);
      const second = await list({ page_size: pageSize, page: 2 });
      expect(second.body.pagination).toEqual({
        next: 3,
        previous: 1,
        count: TOTAL,
        current: 2,
        total_pages: 11,
        start_index: 101,
        end_index: 200,
      });
      expect(second.body.results).toHaveLength(100);
    });

    it('page_size=1 pages one event at a time', async () => {
      const res = await list({ page_size: 1, page: TOTAL });
      expect(res.body.pagination).toEqual({
        next: 0,
        previous: TOTAL - 1,
        count: TOTAL,
        current: TOTAL,
        total_pages: TOTAL,
        start_index: TOTAL,
        end_index: TOTAL,
      });
      expect(res.body.results).toHaveLength(1);
    });

    /** Every page in turn; the pks in the order they came. */
    async function walk(params: Record<string, string>, pageSize: number): Promise<string[]> {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const res = await list({ ...params, page_size: pageSize, page });
        expect(res.status).toBe(200);
        seen.push(...res.body.results.map((e: { pk: string }) => e.pk));
        if (res.body.pagination.next === 0) return seen;
        expect(res.body.pagination.next).toBe(page + 1);
      }
    }

    type Sortable = (typeof events)[number];
    const byPk = (a: Sortable, b: Sortable) => (a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0);
    const byCreated = (a: Sortable, b: Sortable) => a.created - b.created;
    const byAction = (a: Sortable, b: Sortable) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0);
    const desc = (compare: (a: Sortable, b: Sortable) => number) => (a: Sortable, b: Sortable) => compare(b, a);
    const then =
      (...compares: ((a: Sortable, b: Sortable) => number)[]) =>
      (a: Sortable, b: Sortable) =>
        compares.reduce((result, compare) => result || compare(a, b), 0);

    // Ties end in pk order, in the direction of the last key.
    it.each([
      ['(default)', then(desc(byCreated), desc(byPk))],
      ['created', then(byCreated, byPk)],
      ['-created', then(desc(byCreated), desc(byPk))],
      ['action', then(byAction, byPk)],
      ['-action,created', then(desc(byAction), byCreated, byPk)],
      ['app', byPk],
      ['-user', desc(byPk)],
      ['client_ip,-brand', desc(byPk)],
      ['pk', byPk],
      ['-pk', desc(byPk)],
    ])('walking every page ordered by %s yields each event exactly once, in order', async (ordering, compare) => {
      const params: Record<string, string> = ordering === '(default)' ? {} : { ordering };
      const seen = await walk(params, 37);
      expect(seen).toHaveLength(TOTAL);
      expect(new Set(seen).size).toBe(TOTAL);
      expect(seen).toEqual([...events].sort(compare).map((event) => event.pk));
    });

    it('walking a filtered list yields each matching event exactly once', async () => {
      const seen = await walk({ actions: 'login', ordering: 'created' }, 50);
      const logins = events.filter((event) => event.action === 'login').sort(then(byCreated, byPk));
      expect(seen).toEqual(logins.map((event) => event.pk));
    });
  });
});

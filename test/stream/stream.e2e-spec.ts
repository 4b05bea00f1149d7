import { parse } from 'csv-parse/sync';
import { nowMicros } from '@app/common';
import {
  createEvent,
  DEFAULT_BRAND,
  EVENT_KEYS,
  EVENTS,
  expireEvent,
  insertRawEvents,
  sequentialUuids,
  VIEW,
} from '../events/event-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { csvRow, drain, STREAM, streamPage } from './stream-fixtures';

const HOUR = 3_600_000_000;

/* GET /events/events/stream/ (docs/api-contract.md §3.5): keyset pages in (created, pk) order with a cursor. */
describe(`event stream (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM event_revisions');
    await t.dataSource.query('DELETE FROM events');
  });

  /** Raw events (setup): `created` ties in threes, pks deliberately not in created order. */
  async function seed(n: number, base = nowMicros() - HOUR): Promise<{ pk: string; created: number }[]> {
    const uuids = sequentialUuids(n, 0x100).reverse();
    const events = uuids.map((pk, i) => ({ pk, created: base + Math.floor(i / 3) * 10 }));
    await insertRawEvents(t, events);
    return [...events].sort((a, b) => a.created - b.created || a.pk.localeCompare(b.pk));
  }

  it('streams every visible event as NDJSON, oldest first with ties broken by pk, then the cursor', async () => {
    const expected = await seed(10);
    await expireEvent(t, expected[4].pk);
    const page = await streamPage(t.admin);
    expect(page.answer.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(page.events.map((e) => e.pk)).toEqual(expected.filter((_, i) => i !== 4).map((e) => e.pk));
    expect(Object.keys(page.events[0])).toEqual(EVENT_KEYS);
    expect(page.events[0]).toMatchObject({ user: {}, action: 'login', app: 'test', context: {}, client_ip: null, brand: DEFAULT_BRAND });
  });

  it('resumes after the cursor: with limit, every event exactly once across pages', async () => {
    const expected = await seed(11);
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await streamPage(t.admin, { limit: '3', ...(cursor ? { cursor } : {}) });
      expect(page.events.length).toBeLessThanOrEqual(3);
      if (page.events.length === 0) {
        expect(page.nextCursor).toBe(cursor); // nothing new: the same cursor again
        break;
      }
      pages.push(page.events.map((e) => e.pk));
      cursor = page.nextCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flat()).toEqual(expected.map((e) => e.pk));
  });

  it('walks beyond one query chunk, with and without a limit', async () => {
    const expected = (await seed(2500)).map((e) => e.pk);
    const all = await streamPage(t.admin);
    expect(all.events.map((e) => e.pk)).toEqual(expected);
    const first = await streamPage(t.admin, { limit: '1500' });
    expect(first.events.map((e) => e.pk)).toEqual(expected.slice(0, 1500));
    const rest = await streamPage(t.admin, { limit: '1500', cursor: first.nextCursor });
    expect(rest.events.map((e) => e.pk)).toEqual(expected.slice(1500));
    expect(rest.nextCursor).toBe(all.nextCursor);
  });

  it('returns only newer events when polled with the last cursor', async () => {
    await seed(4);
    const first = await streamPage(t.admin);
    expect(first.events).toHaveLength(4);
    const polledEmpty = await streamPage(t.admin, { cursor: first.nextCursor });
    expect(polledEmpty.events).toEqual([]);
    expect(polledEmpty.nextCursor).toBe(first.nextCursor);
    const fresh = await createEvent(t, { action: 'logout' });
    const polled = await streamPage(t.admin, { cursor: first.nextCursor });
    expect(polled.events).toEqual([fresh]);
  });

  it('hands out every event exactly once while new ones are created concurrently', async () => {
    await seed(30);
    let creating = true;
    const created: string[] = [];
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 15; i++) created.push((await createEvent(t, { context: { w, i } })).pk);
    });
    const finished = Promise.all(writers).then(() => (creating = false));
    const seen: Record<string, any>[] = [];
    let cursor: string | undefined;
    while (creating) {
      const page = await streamPage(t.admin, { limit: '7', ...(cursor ? { cursor } : {}) });
      seen.push(...page.events);
      cursor = page.nextCursor;
    }
    await finished;
    seen.push(...(await drain(t.admin, { limit: '7' }, cursor)).seen);

    const pks = seen.map((e) => e.pk);
    expect(new Set(pks).size).toBe(pks.length); // never twice
    expect(pks.length).toBe(30 + 60); // never skipped
    expect(created.every((pk) => pks.includes(pk))).toBe(true);
    const order = seen.map((e) => `${e.created}|${e.pk}`);
    expect([...order].sort()).toEqual(order); // in (created, pk) order throughout
  });

  it('applies the list filters', async () => {
    await seed(6);
    const login = await createEvent(t, { action: 'login', client_ip: '203.0.113.9', context: { username: 'jane' } });
    const logout = await createEvent(t, { action: 'logout', client_ip: '203.0.113.9' });
    expect((await streamPage(t.admin, { client_ip: '203.0.113.9' })).events.map((e) => e.pk)).toEqual([login.pk, logout.pk]);
    expect((await streamPage(t.admin, { actions: ['logout', 'password_set'] })).events.map((e) => e.pk)).toEqual([logout.pk]);
    expect((await streamPage(t.admin, { username: 'jane' })).events.map((e) => e.pk)).toEqual([login.pk]);
    expect((await streamPage(t.admin, { action: 'logo', limit: '5' })).events.map((e) => e.pk)).toEqual([logout.pk]);
    // Filtered pages resume too.
    const page = await streamPage(t.admin, { client_ip: '203.0.113.9', limit: '1' });
    expect(page.events.map((e) => e.pk)).toEqual([login.pk]);
    expect((await streamPage(t.admin, { client_ip: '203.0.113.9', cursor: page.nextCursor })).events.map((e) => e.pk)).toEqual([logout.pk]);
  });

  it('writes CSV with a header row and RFC 4180 quoting that a CSV parser reads back exactly', async () => {
    const tricky = await createEvent(t, {
      app: 'app, with "quotes"',
      context: { note: 'line one\nline two\r\nthird, "quoted"', emoji: 'Grüße 😀 €', cr: 'a\rb' },
      user: { pk: 3, username: 'zoë', email: 'zoë@example.com' },
      client_ip: '2001:db8::1',
    });
    const plain = await createEvent(t, { action: 'logout' });
    const answer = await t.admin.get(`${STREAM}?format=csv`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.text.startsWith('pk,user,action,app,context,client_ip,created,expires,brand\r\n')).toBe(true);
    const rows: string[][] = parse(answer.text);
    expect(rows).toEqual([EVENT_KEYS, ...[tricky, plain].map(csvRow)]);
    expect(JSON.parse(rows[1][4])).toEqual(tricky.context);
    expect(answer.headers.get('x-next-cursor')).toBe((await streamPage(t.admin)).nextCursor);
  });

  it('refuses bad parameters with DRF-style 400s', async () => {
    const bad = async (query: string) => {
      const answer = await t.admin.get(`${STREAM}?${query}`);
      return { status: answer.status, body: answer.body };
    };
    expect(await bad('cursor=nope')).toEqual({ status: 400, body: { cursor: ['Invalid cursor.'] } });
    expect(await bad('cursor=')).toEqual({ status: 400, body: { cursor: ['Invalid cursor.'] } });
    expect(await bad(`cursor=${'A'.repeat(31)}%2B`)).toEqual({ status: 400, body: { cursor: ['Invalid cursor.'] } });
    expect(await bad('limit=0')).toEqual({ status: 400, body: { limit: ['Ensure this value is greater than or equal to 1.'] } });
    expect(await bad('limit=ten')).toEqual({ status: 400, body: { limit: ['A valid integer is required.'] } });
    expect(await bad('format=xml')).toEqual({ status: 400, body: { format: ['"xml" is not a valid choice.'] } });
    expect(await bad('actions=nope&cursor=x')).toEqual({
      status: 400,
      body: { cursor: ['Invalid cursor.'], actions: ['Select a valid choice. nope is not one of the available choices.'] },
    });
  });

  it('needs view_event', async () => {
    const outsider = await createUserWithToken(t, { permissions: ['authentik_events.add_event'] });
    expect(await outsider.client.get(STREAM)).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    const viewer = await createUserWithToken(t, { permissions: [VIEW] });
    expect((await viewer.client.get(STREAM)).status).toBe(200);
    expect((await t.anonymous.get(STREAM)).status).toBe(403);
    expect((await t.admin.get(EVENTS)).status).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import { adminActor, expectValidChain, historyPath, stateOfEvent, VERIFY } from '../revisions/revision-fixtures';
import { createUserWithToken } from '../support/fixtures';
import type { ApiResponse } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { ADD, countRows, DATETIME, EVENT_KEYS, EVENT_UUID, eventPath, EVENTS, FULL_BODY, quote, VIEW } from './event-fixtures';

const BULK = `${EVENTS}bulk/`;
const MAX_EVENTS = 1200;
const BULK_BODY_BYTES = 256 * 1024;
const NDJSON = { 'Content-Type': 'application/x-ndjson' };
const TAKEN = 'Event with this Event uuid already exists.';

const login = (i: number) => ({ action: 'login', app: 'authentik.core', context: { i } });

/** POST /events/events/bulk/: eventlog's bulk ingest (docs/api-contract.md §3.6). */
describe(`events_events_bulk_create (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // A single body's limit below the bulk one: the route's own limit is the one that applies.
    t = await startTestApp({ BULK_MAX_EVENTS: String(MAX_EVENTS), BULK_MAX_BODY_BYTES: String(BULK_BODY_BYTES), MAX_BODY_BYTES: '65536' });
  });
  afterAll(async () => t?.close());

  /** Total events by COUNT(*), and what the counters (a list's `count`) say: they must agree. */
  async function counts(): Promise<{ rows: number; counted: number; logins: number; loginRows: number }> {
    const rows = await countRows(t);
    const counted = (await t.admin.get(`${EVENTS}?page_size=1`)).body.pagination.count;
    const logins = (await t.admin.get(`${EVENTS}?page_size=1&action=login`)).body.pagination.count;
    const loginRows = Number(
      (await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${quote(t, 'events')} WHERE ${quote(t, 'action')} = 'login'`))[0].n,
    );
    return { rows, counted, logins, loginRows };
  }

  async function expectNothingWritten(request: () => Promise<ApiResponse>, status = 400): Promise<ApiResponse> {
    const before = await counts();
    const res = await request();
    expect(res.status).toBe(status);
    expect(await counts()).toEqual(before);
    return res;
  }

  it('stores a JSON array in order, each event as a single create stores it, with its creation revision', async () => {
    const before = await counts();
    const res = await t.admin.post(BULK, [FULL_BODY, { action: 'login', app: 'authentik.core' }, login(3)]);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(3);
    for (const event of res.body) expect(Object.keys(event)).toEqual(EVENT_KEYS);
    expect(res.body[0]).toEqual({ ...FULL_BODY, pk: expect.stringMatching(EVENT_UUID), created: expect.stringMatching(DATETIME) });
    expect(res.body[1]).toMatchObject({ action: 'login', user: {}, context: {}, client_ip: null });
    expect(res.body[2].context).toEqual({ i: 3 });
    // One transaction: one `created` for all of them; expires defaults from it.
    expect(new Set(res.body.map((event: { created: string }) => event.created)).size).toBe(1);
    const actor = await adminActor(t);
    for (const event of res.body) {
      expect((await t.admin.get(eventPath(event.pk))).body).toEqual(event);
      const history = (await t.admin.get(historyPath(event.pk))).body;
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ seq: 1, kind: 'create', actor, before: null, after: stateOfEvent(event) });
      expectValidChain(history);
    }
    const after = await counts();
    expect(after.rows).toBe(before.rows + 3);
    expect(after.counted).toBe(after.rows);
    expect(after.logins).toBe(after.loginRows);
  });

  it("seals a large event (computed in slices) and small ones alike: every hash is the auditor's", async () => {
    const large = { ...login(1), context: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, { v: i }])) };
    const res = await t.admin.post(BULK, [login(0), large, login(2)]);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body[1].context)).toHaveLength(5000);
    for (const event of res.body) {
      const history = (await t.admin.get(historyPath(event.pk))).body;
      expect(history[0].after).toEqual(stateOfEvent(event));
      expectValidChain(history);
    }
  });

  it('takes NDJSON, one event per line, blank lines skipped', async () => {
    const body = `${JSON.stringify(login(1))}\n\n${JSON.stringify(login(2))}\r\n${JSON.stringify(login(3))}`;
    const res = await t.admin.post(BULK, undefined, { rawBody: body, headers: NDJSON });
    expect(res.status).toBe(201);
    expect(res.body.map((event: { context: unknown }) => event.context)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('keeps a pk the caller chose, and refuses it once taken, storing nothing', async () => {
    const pk = randomUUID();
    const res = await t.admin.post(BULK, [{ ...login(1), pk: pk.toUpperCase().replace(/-/g, '') }]);
    expect(res.status).toBe(201);
    expect(res.body[0].pk).toBe(pk);
    expect((await t.admin.get(eventPath(pk))).status).toBe(200);
    const again = await expectNothingWritten(() => t.admin.post(BULK, [login(2), { ...login(3), pk }]));
    expect(again.body).toEqual([{}, { pk: [TAKEN] }]);
  });

  it('refuses a pk given twice in one request on its later items', async () => {
    const pk = randomUUID();
    const res = await expectNothingWritten(() => t.admin.post(BULK, [{ ...login(1), pk }, login(2), { ...login(3), pk }]));
    expect(res.body).toEqual([{}, {}, { pk: [TAKEN] }]);
  });

  it('answers DRF many=True errors, one entry per item, and stores nothing when any item is invalid', async () => {
    const res = await expectNothingWritten(() =>
      t.admin.post(BULK, [login(1), { app: 'x' }, 'text', { action: 'nope', app: '', client_ip: 'x' }, { ...login(5), pk: 'abc' }]),
    );
    expect(res.body).toEqual([
      {},
      { action: ['This field is required.'] },
      { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] },
      {
        action: ['"nope" is not a valid choice.'],
        app: ['This field may not be blank.'],
        client_ip: ['Enter a valid IPv4 or IPv6 address.'],
      },
      { pk: ['Must be a valid UUID.'] },
    ]);
  });

  it.each([
    ['an object', { action: 'login', app: 'x' }, 'Expected a list of items but got type "dict".'],
    ['a string', 'login', 'Expected a list of items but got type "str".'],
    ['no body', undefined, 'Expected a list of items but got type "dict".'],
    ['an empty list', [], 'This list may not be empty.'],
  ])('refuses %s under non_field_errors', async (_name, body, message) => {
    const res = await expectNothingWritten(() => t.admin.post(BULK, body));
    expect(res.body).toEqual({ non_field_errors: [message] });
  });

  it('refuses more than BULK_MAX_EVENTS items with 400, and takes exactly that many', async () => {
    const tooMany = await expectNothingWritten(() =>
      t.admin.post(
        BULK,
        Array.from({ length: MAX_EVENTS + 1 }, (_, i) => login(i)),
      ),
    );
    expect(tooMany.body).toEqual({ non_field_errors: [`Ensure this field has no more than ${MAX_EVENTS} elements.`] });
    // Over MAX_BODY_BYTES (64 KiB) but under BULK_MAX_BODY_BYTES: the bulk route's limit applies.
    const body = Array.from({ length: MAX_EVENTS }, (_, i) => login(i));
    expect(JSON.stringify(body).length).toBeGreaterThan(65536);
    const before = await counts();
    const res = await t.admin.post(BULK, body);
    expect(res.status).toBe(201);
    expect(res.body.map((event: { context: { i: number } }) => event.context.i)).toEqual(body.map((_, i) => i));
    const after = await counts();
    expect(after.rows).toBe(before.rows + MAX_EVENTS);
    expect(after.counted).toBe(after.rows);
    expect(after.logins).toBe(after.loginRows);
    // More than one multi-row chunk: every chain still verifies.
    const report = (await t.admin.get(VERIFY)).body;
    expect(report.broken).toEqual([]);
  });

  it('refuses a body over BULK_MAX_BODY_BYTES with 413, JSON or NDJSON', async () => {
    const big = { ...login(0), context: { pad: 'x'.repeat(BULK_BODY_BYTES) } };
    const json = await expectNothingWritten(() => t.admin.post(BULK, [big]), 413);
    expect(json.body).toEqual({ detail: 'Request body too large.' });
    const ndjson = await expectNothingWritten(() => t.admin.post(BULK, undefined, { rawBody: JSON.stringify(big), headers: NDJSON }), 413);
    expect(ndjson.body).toEqual({ detail: 'Request body too large.' });
  });

  it('refuses JSON that does not parse, naming the NDJSON line', async () => {
    const json = await expectNothingWritten(() =>
      t.admin.post(BULK, undefined, { rawBody: '[{"action": "login"', headers: { 'Content-Type': 'application/json' } }),
    );
    expect(json.body.detail).toMatch(/^JSON parse error - /);
    const ndjson = await expectNothingWritten(() =>
      t.admin.post(BULK, undefined, { rawBody: `${JSON.stringify(login(1))}\n{"action": `, headers: NDJSON }),
    );
    expect(ndjson.body.detail).toMatch(/^JSON parse error - line 2: /);
  });

  it('lets an item nest as deep as a single body may, not deeper', async () => {
    const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });
    const depth = t.config.maxJsonDepth; // the item is level 1, its context's levels come after
    const deepest = { ...login(0), context: nested(depth - 1) };
    expect((await t.admin.post(EVENTS, deepest)).status).toBe(201);
    expect((await t.admin.post(BULK, [deepest])).status).toBe(201);
    expect((await t.admin.post(BULK, undefined, { rawBody: JSON.stringify(deepest), headers: NDJSON })).status).toBe(201);
    const tooDeep = { ...login(0), context: nested(depth) };
    expect((await t.admin.post(EVENTS, tooDeep)).status).toBe(400);
    await expectNothingWritten(() => t.admin.post(BULK, [tooDeep]));
    await expectNothingWritten(() => t.admin.post(BULK, undefined, { rawBody: JSON.stringify(tooDeep), headers: NDJSON }));
  });

  it('takes NDJSON on the bulk route only', async () => {
    const res = await expectNothingWritten(
      () => t.admin.post(EVENTS, undefined, { rawBody: JSON.stringify(login(1)), headers: NDJSON }),
      415,
    );
    expect(res.body).toEqual({ detail: 'Unsupported media type "application/x-ndjson" in request.' });
  });

  it('needs add_event', async () => {
    const viewer = await createUserWithToken(t, { permissions: [VIEW] });
    const refused = await expectNothingWritten(() => viewer.client.post(BULK, [login(1)]), 403);
    expect(refused.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    await expectNothingWritten(() => t.anonymous.post(BULK, [login(1)]), 403);
    const adder = await createUserWithToken(t, { permissions: [ADD] });
    const res = await adder.client.post(BULK, [login(1)]);
    expect(res.status).toBe(201);
    const history = (await t.admin.get(historyPath(res.body[0].pk))).body;
    expect(history[0].actor).toEqual({ pk: adder.pk, username: adder.username, email: `${adder.username}@example.com` });
  });
});

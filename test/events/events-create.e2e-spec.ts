import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ADD,
  ALL_FIELDS_BAD,
  countRows,
  DATETIME,
  DEFAULT_BRAND,
  EVENT_KEYS,
  EVENT_UUID,
  eventPath,
  EVENTS,
  FULL_BODY,
  INVALID_VALUES,
  micros,
  REQUIRED,
  uuidMillis,
  VIEW,
} from './event-fixtures';

/** POST /events/events/: events_events_create (docs/api-contract.md §3.2). */
describe(`events_events_create (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('creates an event from action and app alone, with the defaults', async () => {
    const before = Date.now() * 1000;
    const res = await t.admin.post(EVENTS, { action: 'login', app: 'authentik.core' });
    const after = Date.now() * 1000 + 1000;
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(EVENT_KEYS);
    expect(res.body).toEqual({
      pk: expect.stringMatching(EVENT_UUID),
      user: {},
      action: 'login',
      app: 'authentik.core',
      context: {},
      client_ip: null,
      created: expect.stringMatching(DATETIME),
      expires: expect.stringMatching(DATETIME),
      brand: DEFAULT_BRAND,
    });
    const created = micros(res.body.created);
    expect(created).toBeGreaterThanOrEqual(before - 1000);
    expect(created).toBeLessThanOrEqual(after);
    expect(micros(res.body.expires) - created).toBe(t.config.eventRetentionMicros);
    expect((await t.admin.get(eventPath(res.body.pk))).body).toEqual(res.body);
  });

  it('gives new events time-ordered uuids that carry the time they were created', async () => {
    const pks: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.admin.post(EVENTS, { action: 'login', app: 'authentik.core' });
      expect(res.status).toBe(201);
      // The uuid's clock is Date.now(), `created`'s the precise one: a second apart at most.
      expect(Math.abs(uuidMillis(res.body.pk) - micros(res.body.created) / 1000)).toBeLessThan(1000);
      pks.push(res.body.pk);
    }
    // Sorted as strings, as the stored bytes are: in the order they were made.
    expect([...pks].sort()).toEqual(pks);
  });

  it('stores every field it is given', async () => {
    const res = await t.admin.post(EVENTS, FULL_BODY);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ...FULL_BODY, pk: expect.stringMatching(EVENT_UUID), created: expect.stringMatching(DATETIME) });
    expect(Object.keys(res.body)).toEqual(EVENT_KEYS);
    expect((await t.admin.get(eventPath(res.body.pk))).body).toEqual(res.body);
  });

  it('normalises like DRF: app trimmed, IPv6 canonical, offsets converted to UTC', async () => {
    const res = await t.admin.post(EVENTS, {
      action: 'login',
      app: ' authentik.core ',
      client_ip: '2001:0DB8:0000:0000:0000:0000:0000:0001',
      expires: '2030-01-01T12:00:00+02:00',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ app: 'authentik.core', client_ip: '2001:db8::1', expires: '2030-01-01T10:00:00.000000Z' });
  });

  it('stores what the client sends without sanitising it', async () => {
    const context = { password: 'hunter2', token: 'abc', nested: { api_key: 'k' } };
    const res = await t.admin.post(EVENTS, { action: 'custom_', app: 'x', context, user: { secret: 's' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ context, user: { secret: 's' } });
  });

  it('ignores pk, created and unknown keys', async () => {
    const res = await t.admin.post(EVENTS, {
      action: 'login',
      app: 'x',
      pk: '00000000-0000-4000-8000-000000000000',
      created: '2001-01-01T00:00:00Z',
      tenant: 'other',
    });
    expect(res.status).toBe(201);
    expect(res.body.pk).not.toBe('00000000-0000-4000-8000-000000000000');
    expect(res.body.created).not.toBe('2001-01-01T00:00:00.000000Z');
    expect(Object.keys(res.body)).toEqual(EVENT_KEYS);
  });

  it('gives every event a new uuid', async () => {
    const pks = new Set<string>();
    for (let i = 0; i < 5; i++) pks.add((await t.admin.post(EVENTS, { action: 'login', app: 'x' })).body.pk);
    expect(pks.size).toBe(5);
  });

  describe('requires action and app', () => {
    it.each([
      [{}, { action: [REQUIRED], app: [REQUIRED] }],
      [undefined, { action: [REQUIRED], app: [REQUIRED] }],
      [{ app: 'x' }, { action: [REQUIRED] }],
      [{ action: 'login' }, { app: [REQUIRED] }],
      [
        { user: {}, context: {} },
        { action: [REQUIRED], app: [REQUIRED] },
      ],
    ])('%j → %j', async (body, errors) => {
      const count = await countRows(t);
      const res = await t.admin.post(EVENTS, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errors);
      expect(await countRows(t)).toBe(count);
    });
  });

  describe('refuses an invalid value and stores nothing', () => {
    it.each(INVALID_VALUES)('%s = %j → %s', async (field, value, message) => {
      const count = await countRows(t);
      const res = await t.admin.post(EVENTS, { action: 'login', app: 'x', [field]: value });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ [field]: [message] });
      expect(await countRows(t)).toBe(count);
    });
  });

  it('reports every bad field at once', async () => {
    const count = await countRows(t);
    const res = await t.admin.post(EVENTS, ALL_FIELDS_BAD.body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(ALL_FIELDS_BAD.errors);
    expect(await countRows(t)).toBe(count);
  });

  it('refuses a body that is not an object', async () => {
    const res = await t.admin.post(EVENTS, [{ action: 'login', app: 'x' }]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  });

  describe('permissions', () => {
    it('403 without credentials', async () => {
      const count = await countRows(t);
      const res = await t.anonymous.post(EVENTS, { action: 'login', app: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(await countRows(t)).toBe(count);
    });

    it('403 without add_event', async () => {
      const viewer = await createUserWithToken(t, { permissions: [VIEW] });
      const count = await countRows(t);
      const res = await viewer.client.post(EVENTS, { action: 'login', app: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      expect(await countRows(t)).toBe(count);
    });

    it('201 with add_event granted through a role', async () => {
      const writer = await createUserWithToken(t, { permissions: [ADD] });
      const res = await writer.client.post(EVENTS, { action: 'login', app: 'x' });
      expect(res.status).toBe(201);
      // The API stores what it is sent: the caller does not become the event's user.
      expect(res.body.user).toEqual({});
    });
  });
});

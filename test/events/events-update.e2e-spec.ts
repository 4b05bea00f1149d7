import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ALL_FIELDS_BAD,
  CHANGE,
  createEvent,
  EVENT_KEYS,
  eventPath,
  expireEvent,
  FULL_BODY,
  INVALID_VALUES,
  REQUIRED,
  storedRow,
  VIEW,
} from './event-fixtures';

/** PUT /events/events/{event_uuid}/: events_events_update (docs/api-contract.md §3.2). */
describe(`events_events_update (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('replaces every field it is given; pk and created stay', async () => {
    const before = await createEvent(t);
    const res = await t.admin.put(eventPath(before.pk), FULL_BODY);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...FULL_BODY, pk: before.pk, created: before.created });
    expect(Object.keys(res.body)).toEqual(EVENT_KEYS);
    expect((await t.admin.get(eventPath(before.pk))).body).toEqual(res.body);
  });

  it('keeps the values of fields that are not sent (as authentik does)', async () => {
    const before = await createEvent(t, { context: { kept: true }, client_ip: '192.0.2.5', user: { pk: 1 } });
    const res = await t.admin.put(eventPath(before.pk), { action: 'logout', app: 'authentik.flows' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, action: 'logout', app: 'authentik.flows' });
  });

  it('sets client_ip to null and converts offsets', async () => {
    const before = await createEvent(t, { client_ip: '192.0.2.5' });
    const res = await t.admin.put(eventPath(before.pk), {
      action: 'login',
      app: 'x',
      client_ip: null,
      expires: '2030-01-01T12:00:00+02:00',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, app: 'x', client_ip: null, expires: '2030-01-01T10:00:00.000000Z' });
  });

  it('ignores pk, created and unknown keys', async () => {
    const before = await createEvent(t);
    const res = await t.admin.put(eventPath(before.pk), {
      action: before.action,
      app: 'y',
      pk: '00000000-0000-4000-8000-000000000000',
      created: '2001-01-01T00:00:00Z',
      extra: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, app: 'y' });
  });

  describe('requires action and app, writing nothing otherwise', () => {
    it.each([
      [{}, { action: [REQUIRED], app: [REQUIRED] }],
      [undefined, { action: [REQUIRED], app: [REQUIRED] }],
      [{ app: 'x', context: { a: 1 } }, { action: [REQUIRED] }],
      [{ action: 'logout', client_ip: '192.0.2.9' }, { app: [REQUIRED] }],
    ])('%j → %j', async (body, errors) => {
      const before = await createEvent(t);
      const row = await storedRow(t, before.pk);
      const res = await t.admin.put(eventPath(before.pk), body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errors);
      expect(await storedRow(t, before.pk)).toEqual(row);
    });
  });

  describe('refuses an invalid value and writes nothing', () => {
    it.each(INVALID_VALUES)('%s = %j → %s', async (field, value, message) => {
      const before = await createEvent(t);
      const row = await storedRow(t, before.pk);
      const res = await t.admin.put(eventPath(before.pk), { action: 'logout', app: 'y', [field]: value });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ [field]: [message] });
      expect(await storedRow(t, before.pk)).toEqual(row);
    });
  });

  it('reports every bad field at once', async () => {
    const before = await createEvent(t);
    const res = await t.admin.put(eventPath(before.pk), ALL_FIELDS_BAD.body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(ALL_FIELDS_BAD.errors);
  });

  describe('404', () => {
    it('for an unknown uuid', async () => {
      const res = await t.admin.put(eventPath('6f1e3c1a-0000-4000-8000-000000000000'), { action: 'login', app: 'x' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'No Event matches the given query.' });
    });

    it('for a malformed id', async () => {
      const res = await t.admin.put(eventPath('nope'), { action: 'login', app: 'x' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found.' });
    });

    it('for an expired event, which stays untouched', async () => {
      const before = await createEvent(t);
      await expireEvent(t, before.pk);
      const row = await storedRow(t, before.pk);
      const res = await t.admin.put(eventPath(before.pk), { action: 'logout', app: 'x' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'No Event matches the given query.' });
      expect(await storedRow(t, before.pk)).toEqual(row);
    });
  });

  describe('permissions', () => {
    it('403 without credentials', async () => {
      const before = await createEvent(t);
      const res = await t.anonymous.put(eventPath(before.pk), { action: 'logout', app: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it('403 without change_event', async () => {
      const before = await createEvent(t);
      const viewer = await createUserWithToken(t, { permissions: [VIEW] });
      const res = await viewer.client.put(eventPath(before.pk), { action: 'logout', app: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      expect((await t.admin.get(eventPath(before.pk))).body).toEqual(before);
    });

    it('200 with change_event granted through a role', async () => {
      const before = await createEvent(t);
      const editor = await createUserWithToken(t, { permissions: [CHANGE] });
      const res = await editor.client.put(eventPath(before.pk), { action: 'logout', app: 'x' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...before, action: 'logout', app: 'x' });
    });
  });

  it('lets a PUT and a concurrent PATCH of other fields both win', async () => {
    const events = await Promise.all(Array.from({ length: 4 }, () => createEvent(t)));
    await Promise.all(
      events.flatMap((event, i) => [
        t.admin.put(eventPath(event.pk), { action: 'logout', app: `put-${i}` }),
        t.admin.patch(eventPath(event.pk), { context: { patched: i } }),
      ]),
    );
    for (const [i, event] of events.entries()) {
      expect((await t.admin.get(eventPath(event.pk))).body).toEqual({
        ...event,
        action: 'logout',
        app: `put-${i}`,
        context: { patched: i },
      });
    }
  });
});

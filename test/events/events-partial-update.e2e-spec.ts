import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  ALL_FIELDS_BAD,
  CHANGE,
  createEvent,
  DEFAULT_BRAND,
  EVENT_KEYS,
  eventPath,
  expireEvent,
  FULL_BODY,
  INVALID_VALUES,
  storedRow,
  VIEW,
} from './event-fixtures';

/** PATCH /events/events/{event_uuid}/: events_events_partial_update, the seed (docs/api-contract.md §3.1). */
describe(`events_events_partial_update (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  describe('changes only the field that is sent', () => {
    it.each([
      [
        'user',
        { pk: 9, username: 'jdoe', on_behalf_of: { pk: 4, username: 'akadmin' } },
        { pk: 9, username: 'jdoe', on_behalf_of: { pk: 4, username: 'akadmin' } },
      ],
      ['user', {}, {}],
      ['action', 'logout', 'logout'],
      ['action', 'custom_', 'custom_'],
      ['app', 'authentik.flows', 'authentik.flows'],
      ['app', '  authentik.flows  ', 'authentik.flows'],
      ['app', 5, '5'],
      [
        'context',
        { nested: { list: [1, 'two', { three: null }], flag: false }, text: 'äö ✓ 🎉' },
        { nested: { list: [1, 'two', { three: null }], flag: false }, text: 'äö ✓ 🎉' },
      ],
      ['context', {}, {}],
      ['client_ip', '198.51.100.7', '198.51.100.7'],
      ['client_ip', ' 198.51.100.7 ', '198.51.100.7'],
      ['client_ip', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['client_ip', '::ffff:198.51.100.7', '198.51.100.7'],
      ['client_ip', null, null],
      ['expires', '2030-01-01T12:00:00+02:00', '2030-01-01T10:00:00.000000Z'],
      // Django 5 reads a bare date as midnight UTC.
      ['expires', '2030-01-01', '2030-01-01T00:00:00.000000Z'],
      ['expires', '2030-01-01T12:00:00-05:30', '2030-01-01T17:30:00.000000Z'],
      ['expires', '2030-01-01T12:00:00.123456Z', '2030-01-01T12:00:00.123456Z'],
      ['expires', '2030-01-01T12:00:00.1234567Z', '2030-01-01T12:00:00.123456Z'],
      ['expires', '2030-01-01T12:00Z', '2030-01-01T12:00:00.000000Z'],
      ['expires', '2030-01-01 12:00:00', '2030-01-01T12:00:00.000000Z'],
      [
        'brand',
        { app: 'authentik_brands', model_name: 'brand', pk: 'ab'.repeat(16), name: 'Brand example.org' },
        { app: 'authentik_brands', model_name: 'brand', pk: 'ab'.repeat(16), name: 'Brand example.org' },
      ],
    ])('%s = %j', async (field, value, expected) => {
      const before = await createEvent(t, { client_ip: '192.0.2.1', context: { original: true } });
      const res = await t.admin.patch(eventPath(before.pk), { [field]: value });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...before, [field]: expected });
      expect(Object.keys(res.body)).toEqual(EVENT_KEYS);
      expect((await t.admin.get(eventPath(before.pk))).body).toEqual(res.body);
    });
  });

  it('changes several fields at once and keeps created', async () => {
    const before = await createEvent(t);
    const { user, action, app, context, client_ip, brand } = FULL_BODY;
    const res = await t.admin.patch(eventPath(before.pk), {
      user,
      action,
      app,
      context,
      client_ip,
      brand,
      expires: '2031-06-30T23:59:59.5+00:00',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      pk: before.pk,
      user,
      action,
      app,
      context,
      client_ip,
      created: before.created,
      expires: '2031-06-30T23:59:59.500000Z',
      brand,
    });
  });

  it.each([
    ['an empty object', {}],
    ['no body at all', undefined],
  ])('answers %s with the unchanged event', async (_name, body) => {
    const before = await createEvent(t);
    const row = await storedRow(t, before.pk);
    const res = await t.admin.patch(eventPath(before.pk), body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
    expect(await storedRow(t, before.pk)).toEqual(row);
  });

  it('ignores pk, created and unknown keys', async () => {
    const before = await createEvent(t);
    const res = await t.admin.patch(eventPath(before.pk), {
      pk: '00000000-0000-4000-8000-000000000000',
      created: '2001-01-01T00:00:00Z',
      event_uuid: '00000000-0000-4000-8000-000000000000',
      tenant: 'x',
      app: 'changed',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, app: 'changed' });
  });

  it('accepts the same value twice (an update that changes nothing still finds the event)', async () => {
    const before = await createEvent(t);
    expect((await t.admin.patch(eventPath(before.pk), { app: before.app })).body).toEqual(before);
  });

  it('answers 200 when moving expires into the past, after which the event is gone', async () => {
    const before = await createEvent(t);
    const res = await t.admin.patch(eventPath(before.pk), { expires: '2001-01-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, expires: '2001-01-01T00:00:00.000000Z' });
    expect((await t.admin.get(eventPath(before.pk))).status).toBe(404);
  });

  describe('refuses an invalid value and writes nothing', () => {
    it.each(INVALID_VALUES)('%s = %j → %s', async (field, value, message) => {
      const before = await createEvent(t, { client_ip: '192.0.2.1' });
      const row = await storedRow(t, before.pk);
      const res = await t.admin.patch(eventPath(before.pk), { [field]: value });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ [field]: [message] });
      expect(await storedRow(t, before.pk)).toEqual(row);
    });
  });

  it('reports every bad field at once and writes nothing', async () => {
    const before = await createEvent(t);
    const row = await storedRow(t, before.pk);
    const res = await t.admin.patch(eventPath(before.pk), ALL_FIELDS_BAD.body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(ALL_FIELDS_BAD.errors);
    expect(await storedRow(t, before.pk)).toEqual(row);
  });

  it('writes nothing when one field of several is bad', async () => {
    const before = await createEvent(t);
    const row = await storedRow(t, before.pk);
    const res = await t.admin.patch(eventPath(before.pk), { app: 'fine', context: { fine: true }, client_ip: 'not-an-ip' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ client_ip: ['Enter a valid IPv4 or IPv6 address.'] });
    expect(await storedRow(t, before.pk)).toEqual(row);
  });

  it.each([
    ['a list', '[1]', { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
    ['a string', '"app"', { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] }],
    ['a number', '5', { non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] }],
  ])('refuses a body that is %s', async (_name, raw, body) => {
    const before = await createEvent(t);
    const res = await t.admin.request('PATCH', eventPath(before.pk), { rawBody: raw, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(body);
  });

  it('refuses malformed JSON', async () => {
    const before = await createEvent(t);
    const res = await t.admin.request('PATCH', eventPath(before.pk), {
      rawBody: '{"app": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: expect.stringMatching(/^JSON parse error - /) });
  });

  describe('404', () => {
    it('for an unknown uuid', async () => {
      const res = await t.admin.patch(eventPath('6f1e3c1a-0000-4000-8000-000000000000'), { app: 'x' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'No Event matches the given query.' });
    });

    it('for an unknown uuid with an empty body', async () => {
      const res = await t.admin.patch(eventPath('6f1e3c1a-0000-4000-8000-000000000000'), {});
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'No Event matches the given query.' });
    });

    it.each(['not-a-uuid', '1234', '6f1e3c1a-0000-4000-8000-00000000000z', '6f1e3c1a00004000800000000000000000'])(
      'Not found. for the malformed id %s',
      async (id) => {
        const res = await t.admin.patch(eventPath(id), { app: 'x' });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Not found.' });
      },
    );

    it('for an expired event, which stays untouched', async () => {
      const before = await createEvent(t);
      await expireEvent(t, before.pk);
      const row = await storedRow(t, before.pk);
      for (const body of [{ app: 'x' }, {}]) {
        const res = await t.admin.patch(eventPath(before.pk), body);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'No Event matches the given query.' });
      }
      expect(await storedRow(t, before.pk)).toEqual(row);
    });
  });

  it('finds the event by its uuid without dashes or in upper case', async () => {
    const before = await createEvent(t);
    for (const id of [before.pk.replace(/-/g, ''), before.pk.toUpperCase()]) {
      const res = await t.admin.patch(eventPath(id), { app: `via ${id}` });
      expect(res.status).toBe(200);
      expect(res.body.pk).toBe(before.pk);
    }
  });

  describe('permissions', () => {
    it('403 without credentials, writing nothing', async () => {
      const before = await createEvent(t);
      const res = await t.anonymous.patch(eventPath(before.pk), { app: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect((await t.admin.get(eventPath(before.pk))).body).toEqual(before);
    });

    it('403 with an unknown token', async () => {
      const before = await createEvent(t);
      const res = await t.anonymous.patch(eventPath(before.pk), { app: 'x' }, { token: 'no-such-key' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Token invalid/expired' });
    });

    it('403 without change_event (even with view_event), writing nothing', async () => {
      const before = await createEvent(t);
      const viewer = await createUserWithToken(t, { permissions: [VIEW] });
      const res = await viewer.client.patch(eventPath(before.pk), { app: 'x' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      expect((await t.admin.get(eventPath(before.pk))).body).toEqual(before);
    });

    it('403 before validation: a user without change_event learns nothing from a bad body', async () => {
      const before = await createEvent(t);
      const nobody = await createUserWithToken(t);
      const res = await nobody.client.patch(eventPath(before.pk), { action: 'nope' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });

    it('200 with change_event granted through a role', async () => {
      const before = await createEvent(t);
      const editor = await createUserWithToken(t, { permissions: [CHANGE] });
      const res = await editor.client.patch(eventPath(before.pk), { app: 'edited' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...before, app: 'edited' });
    });
  });

  it('lets concurrent PATCHes of different fields all win', async () => {
    const events = await Promise.all(Array.from({ length: 5 }, () => createEvent(t)));
    await Promise.all(
      events.flatMap((event, i) => [
        t.admin.patch(eventPath(event.pk), { app: `app-${i}` }),
        t.admin.patch(eventPath(event.pk), { context: { round: i } }),
        t.admin.patch(eventPath(event.pk), { client_ip: `203.0.113.${i}` }),
        t.admin.patch(eventPath(event.pk), { user: { pk: i } }),
      ]),
    );
    for (const [i, event] of events.entries()) {
      const res = await t.admin.get(eventPath(event.pk));
      expect(res.body).toEqual({
        ...event,
        app: `app-${i}`,
        context: { round: i },
        client_ip: `203.0.113.${i}`,
        user: { pk: i },
      });
    }
  });

  it('keeps the default brand unless brand is sent', async () => {
    const before = await createEvent(t);
    const res = await t.admin.patch(eventPath(before.pk), { action: 'logout' });
    expect(res.body.brand).toEqual(DEFAULT_BRAND);
  });
});

import { randomUUID } from 'node:crypto';
import { nowMicros } from '@app/common';
import { Notification } from '../../src/notifications/entities/notification.entity';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { expectAnswer, expectForbidden, noMatch, PAGE_KEYS } from '../identity/identity-expectations';

const NOTIFICATIONS = '/api/v3/events/notifications/';
const NOTIFICATION_KEYS = ['pk', 'severity', 'body', 'hyperlink', 'hyperlink_label', 'created', 'event', 'seen'];

describe(`notifications (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let viewer: UserFixture;
  let eventPk: string;

  /** Notifications come from transports; stored directly here, as the local sender stores them. */
  async function notify(user: UserFixture, fields: Partial<Omit<Notification, 'user'>> = {}): Promise<string> {
    const uuid = randomUUID();
    await t.dataSource.getRepository(Notification).insert({
      uuid,
      severity: 'alert',
      body: `for ${user.username}`,
      hyperlink: null,
      hyperlinkLabel: null,
      created: nowMicros(),
      eventUuid: null,
      seen: false,
      userId: user.pk,
      ...fields,
    });
    return uuid;
  }

  beforeAll(async () => {
    t = await startTestApp();
    alice = await createUserWithToken(t, { username: 'alice' });
    bob = await createUserWithToken(t, { username: 'bob' });
    viewer = await createUserWithToken(t, { username: 'viewer', permissions: ['authentik_events.view_notification'] });
    const event = await t.admin.post('/api/v3/events/events/', { action: 'configuration_error', app: 'tests', context: { foo: 'bar,' } });
    eventPk = event.body.pk;
  });
  afterAll(async () => t?.close());

  const bodies = async (client: UserFixture['client'], query = '') =>
    (await client.get(`${NOTIFICATIONS}${query}`)).body.results.map((n: { body: string }) => n.body).sort();

  it('shows users only their own, in authentik shape, with the nested event', async () => {
    const uuid = await notify(alice, {
      eventUuid: eventPk,
      body: "custom_foo: {'foo': 'bar,'}",
      hyperlink: 'https://x',
      hyperlinkLabel: 'Open',
    });
    await notify(bob);
    const res = await alice.client.get(NOTIFICATIONS);
    expect(Object.keys(res.body)).toEqual(PAGE_KEYS);
    expect(res.body.results).toHaveLength(1);
    const [only] = res.body.results;
    expect(Object.keys(only)).toEqual(NOTIFICATION_KEYS);
    expect(only).toMatchObject({
      pk: uuid,
      severity: 'alert',
      body: "custom_foo: {'foo': 'bar,'}",
      hyperlink: 'https://x',
      hyperlink_label: 'Open',
      seen: false,
      event: { pk: eventPk, action: 'configuration_error', context: { foo: 'bar,' } },
    });
    expect(await bodies(bob.client)).toEqual(['for bob']);
    // Whoever holds view_notification sees everyone's, unless they filter by user.
    expect(await bodies(viewer.client)).toEqual(["custom_foo: {'foo': 'bar,'}", 'for bob']);
    expect(await bodies(viewer.client, `?user=${bob.pk}`)).toEqual(['for bob']);
    expectAnswer(await bob.client.get(`${NOTIFICATIONS}${uuid}/`), 404, noMatch('Notification'));
    expectAnswer(await viewer.client.get(`${NOTIFICATIONS}${uuid}/`), 200, only);
    expectAnswer(await alice.client.get(`${NOTIFICATIONS}${uuid}/used_by/`), 200, []);
  });

  it('filters and orders', async () => {
    await notify(alice, { body: 'seen one', seen: true, severity: 'notice' });
    expect(await bodies(alice.client, '?seen=true')).toEqual(['seen one']);
    expect(await bodies(alice.client, '?severity=notice')).toEqual(['seen one']);
    expect(await bodies(alice.client, '?body=seen%20one')).toEqual(['seen one']);
    expect(await bodies(alice.client, `?event=${eventPk}`)).toEqual(["custom_foo: {'foo': 'bar,'}"]);
    const ordered = (await alice.client.get(`${NOTIFICATIONS}?ordering=body`)).body.results.map((n: any) => n.body);
    expect(ordered).toEqual(["custom_foo: {'foo': 'bar,'}", 'seen one']);
    expectAnswer(await alice.client.get(`${NOTIFICATIONS}?severity=loud`), 400, {
      severity: ['Select a valid choice. loud is not one of the available choices.'],
    });
    expectAnswer(await alice.client.get(`${NOTIFICATIONS}?user=abc`), 400, {
      user: ['Select a valid choice. That choice is not one of the available choices.'],
    });
  });

  it('lets the owner mark seen and delete; others need the permission and visibility', async () => {
    const uuid = await notify(alice, { body: 'to change' });
    expectAnswer(await bob.client.patch(`${NOTIFICATIONS}${uuid}/`, { seen: true }), 404, noMatch('Notification'));
    expectForbidden(await viewer.client.patch(`${NOTIFICATIONS}${uuid}/`, { seen: true }));
    expectForbidden(await viewer.client.delete(`${NOTIFICATIONS}${uuid}/`));
    const patched = await alice.client.patch(`${NOTIFICATIONS}${uuid}/`, { seen: true, body: 'ignored', severity: 'notice' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ seen: true, body: 'to change', severity: 'alert' });
    expect((await alice.client.put(`${NOTIFICATIONS}${uuid}/`, {})).body.seen).toBe(true);
    expectAnswer(await alice.client.patch(`${NOTIFICATIONS}${uuid}/`, { seen: 'perhaps' }), 400, { seen: ['Must be a valid boolean.'] });
    expectAnswer(await alice.client.patch(`${NOTIFICATIONS}${uuid}/`, { hyperlink: 'h'.repeat(4097) }), 400, {
      hyperlink: ['Ensure this field has no more than 4096 characters.'],
    });
    expect((await alice.client.delete(`${NOTIFICATIONS}${uuid}/`)).status).toBe(204);
    expect((await alice.client.get(`${NOTIFICATIONS}${uuid}/`)).status).toBe(404);
  });

  it('mark_all_seen: 204 without a body, only the caller’s own', async () => {
    await notify(alice, { body: 'unseen a' });
    const bobs = await notify(bob, { body: 'unseen b' });
    const res = await alice.client.post(`${NOTIFICATIONS}mark_all_seen/`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await bodies(alice.client, '?seen=false')).toEqual([]);
    expect((await bob.client.get(`${NOTIFICATIONS}${bobs}/`)).body.seen).toBe(false);
    expect((await t.admin.post(`${NOTIFICATIONS}mark_all_seen/`)).status).toBe(204);
    expect((await bob.client.get(`${NOTIFICATIONS}${bobs}/`)).body.seen).toBe(false);
  });

  it('shows event null once the event is gone', async () => {
    const event = await t.admin.post('/api/v3/events/events/', { action: 'login', app: 'tests' });
    const uuid = await notify(alice, { eventUuid: event.body.pk });
    expect((await t.admin.delete(`/api/v3/events/events/${event.body.pk}/`)).status).toBe(204);
    expect((await alice.client.get(`${NOTIFICATIONS}${uuid}/`)).body.event).toBeNull();
  });

  it('needs authentication', async () => {
    expect((await t.anonymous.get(NOTIFICATIONS)).status).toBe(403);
    expect((await t.anonymous.post(`${NOTIFICATIONS}mark_all_seen/`)).status).toBe(403);
  });
});

import { nowMicros } from '@app/common';
import { NotificationCleanup } from '../../src/notifications/delivery/notification-cleanup';
import { ApiClient } from '../support/api-client';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { createScratchDatabase, ScratchDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

const EVENTS = '/api/v3/events/events/';
const RULES = '/api/v3/events/rules/';
const TRANSPORTS = '/api/v3/events/transports/';
const GROUPS = '/api/v3/core/groups/';
const BINDINGS = '/api/v3/policies/bindings/';
const MATCHERS = '/api/v3/policies/event_matcher/';

/** Fast workers, so a test waits fractions of a second, not the production poll and backoff. */
const FAST = { NOTIFICATION_POLL_MS: '50', NOTIFICATION_RETRY_BASE_MS: '100', NOTIFICATION_RETRY_MAX_MS: '400' };

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const keysOf = (receiver: WebhookReceiver) => receiver.requests.map((r) => String(r.headers['idempotency-key']));

interface Delivery {
  uuid: string;
  transport_uuid: string;
  status: string;
  attempts: number;
  event_uuid: string;
  last_error: string | null;
}

async function deliveries(t: TestApp, eventUuid?: string): Promise<Delivery[]> {
  const rows: Delivery[] = await t.dataSource.query(
    eventUuid === undefined
      ? 'SELECT uuid, transport_uuid, status, attempts, event_uuid, last_error FROM notification_deliveries ORDER BY created, uuid'
      : 'SELECT uuid, transport_uuid, status, attempts, event_uuid, last_error FROM notification_deliveries WHERE event_uuid = ? ORDER BY created, uuid',
    eventUuid === undefined ? [] : [eventUuid],
  );
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

const outboxSize = async (t: TestApp) => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM event_outbox'))[0].n);

/**
 * A rule "login_failed → webhook (and any other transports) to the group `ops`", made through the
 * API as a user would: transport, group with members, event-matcher policy bound to the rule.
 */
async function alertRule(t: TestApp, name: string, transports: string[], members: number[], action = 'login_failed'): Promise<string> {
  const group = await t.admin.post(GROUPS, { name: `${name} group`, users: members });
  expect(group.status).toBe(201);
  const rule = await t.admin.post(RULES, { name, transports, destination_group: group.body.pk, severity: 'alert' });
  expect(rule.status).toBe(201);
  const matcher = await t.admin.post(MATCHERS, { name: `${name} matcher`, action });
  expect(matcher.status).toBe(201);
  const binding = await t.admin.post(BINDINGS, { policy: matcher.body.pk, target: rule.body.pk, order: 0 });
  expect(binding.status).toBe(201);
  return rule.body.pk;
}

async function webhookTransport(t: TestApp, name: string, url: string): Promise<string> {
  const res = await t.admin.post(TRANSPORTS, { name, mode: 'webhook', webhook_url: url });
  expect(res.status).toBe(201);
  return res.body.pk;
}

describe(`notification delivery (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  describe('one instance', () => {
    let t: TestApp;
    let receiver: WebhookReceiver;
    let member: UserFixture;
    let hook: string;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
      t = await startTestApp(FAST);
      member = await createUserWithToken(t, { username: 'oncall' });
      hook = await webhookTransport(t, 'ops hook', receiver.url());
      await alertRule(t, 'failed logins', [hook], [member.pk]);
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.close();
    });
    beforeEach(() => {
      receiver.requests.length = 0;
      receiver.status = 200;
    });

    it("delivers a matching event to the group's members by webhook, with authentik's body and an idempotency key", async () => {
      const created = await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests', context: { username: 'mallory' } });
      expect(created.status).toBe(201);
      const request = await until('the webhook', async () => receiver.requests[0]);
      expect(JSON.parse(request.body.toString('utf8'))).toEqual({
        body: "login_failed: {'username': 'mallory'}",
        severity: 'alert',
        user_email: 'oncall@example.com',
        user_username: 'oncall',
      });
      const [delivery] = await until('the delivered row', async () => {
        const rows = await deliveries(t, created.body.pk);
        return rows.length === 1 && rows[0].status === 'delivered' && rows;
      });
      expect(delivery).toMatchObject({ transport_uuid: hook, attempts: 1, last_error: null });
      expect(request.headers['idempotency-key']).toBe(delivery.uuid);
      expect(await outboxSize(t)).toBe(0);
      expect(receiver.requests).toHaveLength(1);
    });

    it('does not notify for events no rule matches', async () => {
      const other = await t.admin.post(EVENTS, { action: 'login', app: 'tests' });
      expect(other.status).toBe(201);
      await until('the outbox to drain', async () => (await outboxSize(t)) === 0);
      expect(await deliveries(t, other.body.pk)).toEqual([]);
      expect(receiver.requests).toHaveLength(0);
    });

    it('delivers again after a PATCH (a new revision), under a new key', async () => {
      const created = await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests', context: { n: 1 } });
      await until('the first webhook', async () => receiver.requests.length === 1);
      const patched = await t.admin.patch(`${EVENTS}${created.body.pk}/`, { context: { n: 2 } });
      expect(patched.status).toBe(200);
      await until('the second webhook', async () => receiver.requests.length === 2);
      expect(receiver.requests.map((r) => JSON.parse(r.body.toString('utf8')).body)).toEqual([
        "login_failed: {'n': 1}",
        "login_failed: {'n': 2}",
      ]);
      const keys = keysOf(receiver);
      expect(new Set(keys).size).toBe(2);
      // The receiver answers before the worker records the outcome.
      await until('both rows delivered', async () => (await deliveries(t, created.body.pk)).every((d) => d.status === 'delivered'));
      expect(await deliveries(t, created.body.pk)).toHaveLength(2);
    });

    it('retries a failing receiver with backoff until it accepts, under the same key', async () => {
      receiver.status = 503;
      const created = await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests' });
      await until('two failed attempts', async () => receiver.requests.length >= 2);
      const [pending] = await deliveries(t, created.body.pk);
      expect(pending.status).toBe('pending');
      expect(pending.last_error).toBe('ok');
      receiver.status = 200;
      const [delivered] = await until('the delivery', async () => {
        const rows = await deliveries(t, created.body.pk);
        return rows[0]?.status === 'delivered' && rows;
      });
      expect(delivered.attempts).toBe(receiver.requests.length);
      expect(delivered.attempts).toBeGreaterThanOrEqual(3);
      expect(new Set(keysOf(receiver))).toEqual(new Set([delivered.uuid]));
    });

    it('skips expired events', async () => {
      const past = new Date(Date.now() - 60_000).toISOString();
      const expired = await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests', expires: past });
      expect(expired.status).toBe(201);
      await until('the outbox to drain', async () => (await outboxSize(t)) === 0);
      expect(await deliveries(t, expired.body.pk)).toEqual([]);
      expect(receiver.requests).toHaveLength(0);
    });

    it('never sends an email about an email_sent event (its other transports still deliver)', async () => {
      const mail = await t.admin.post(TRANSPORTS, { name: 'mail', mode: 'email' });
      expect(mail.status).toBe(201);
      const hook2 = await webhookTransport(t, 'mail log hook', receiver.url('/mails'));
      await alertRule(t, 'mail watch', [mail.body.pk, hook2], [member.pk], 'email_sent');
      const sent = await t.admin.post(EVENTS, { action: 'email_sent', app: 'tests', context: { message: 'Email to x sent' } });
      expect(sent.status).toBe(201);
      await until('the webhook', async () => receiver.requests.length === 1);
      const rows = await until('the delivered row', async () => {
        const found = await deliveries(t, sent.body.pk);
        return found.every((d) => d.status === 'delivered') && found.length > 0 && found;
      });
      expect(rows.map((d) => d.transport_uuid)).toEqual([hook2]);
      expect(receiver.requests[0].path).toBe('/mails');
    });

    it('a resend after a crash between sending and recording carries the same key', async () => {
      const created = await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests' });
      const [delivered] = await until('the delivery', async () => {
        const rows = await deliveries(t, created.body.pk);
        return rows[0]?.status === 'delivered' && rows;
      });
      // As a worker that claimed it, sent it and died before recording the outcome leaves it: its lease is over.
      await t.dataSource.query(
        "UPDATE notification_deliveries SET status = 'pending', finished = NULL, next_attempt_at = 0 WHERE uuid = ?",
        [delivered.uuid],
      );
      await until('the resend', async () => receiver.requests.length === 2);
      expect(keysOf(receiver)).toEqual([delivered.uuid, delivered.uuid]);
      await until('the delivery', async () => (await deliveries(t, created.body.pk))[0]?.status === 'delivered');
    });
  });

  describe('the delivery log', () => {
    let t: TestApp;
    let receiver: WebhookReceiver;
    let hook: string;
    let eventUuid: string;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
      t = await startTestApp({ ...FAST, NOTIFICATION_MAX_ATTEMPTS: '2' });
      const member = await createUserWithToken(t, { username: 'oncall' });
      hook = await webhookTransport(t, 'ops hook', receiver.url());
      await alertRule(t, 'failed logins', [hook], [member.pk]);
      receiver.status = 500;
      receiver.reply = 'receiver is down';
      eventUuid = (await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests' })).body.pk;
      await until('the delivery to fail for good', async () => (await deliveries(t, eventUuid))[0]?.status === 'failed');
      receiver.status = 200;
      await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests' });
      await until('the second delivery', async () => (await deliveries(t)).filter((d) => d.status === 'delivered').length === 1);
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.close();
    });

    it("lists a transport's deliveries newest first, with status, attempts, last error and next retry", async () => {
      const res = await t.admin.get(`${TRANSPORTS}${hook}/deliveries/`);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toMatchObject({ count: 2, current: 1, total_pages: 1 });
      const [delivered, failed] = res.body.results;
      expect(Object.keys(failed)).toEqual([
        'pk',
        'idempotency_key',
        'event',
        'revision',
        'rule',
        'user',
        'severity',
        'status',
        'attempts',
        'last_error',
        'next_retry',
        'created',
        'finished',
      ]);
      expect(failed).toMatchObject({
        event: eventUuid,
        status: 'failed',
        attempts: 2,
        last_error: 'receiver is down',
        next_retry: null,
        severity: 'alert',
      });
      expect(failed.idempotency_key.startsWith(`${eventUuid}/`)).toBe(true);
      expect(failed.finished).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, last_error: null, next_retry: null });
      expect((await t.admin.get(`${TRANSPORTS}${hook}/deliveries/?status=failed`)).body.results.map((d: any) => d.pk)).toEqual([failed.pk]);
    });

    it('answers 400 for an unknown status, 404 for an unknown transport, 403 without view_notificationtransport', async () => {
      expect((await t.admin.get(`${TRANSPORTS}${hook}/deliveries/?status=lost`)).body).toEqual({
        status: ['Select a valid choice. lost is not one of the available choices.'],
      });
      expect((await t.admin.get(`${TRANSPORTS}8ede6f7b-9187-4b45-8536-e7ec6b90bf18/deliveries/`)).status).toBe(404);
      const nobody = await createUserWithToken(t, { username: 'nobody' });
      expect((await nobody.client.get(`${TRANSPORTS}${hook}/deliveries/`)).status).toBe(403);
      const viewer = await createUserWithToken(t, { username: 'viewer', permissions: ['authentik_events.view_notificationtransport'] });
      expect((await viewer.client.get(`${TRANSPORTS}${hook}/deliveries/`)).status).toBe(200);
    });

    it('is documented in the OpenAPI document beside authentik operations', async () => {
      const schema = (await t.anonymous.get('/api/v3/schema/?format=json')).body;
      const operation = schema.paths['/events/transports/{uuid}/deliveries/'].get;
      expect(operation.operationId).toBe('events_transports_deliveries_list');
      expect(operation.parameters.map((p: any) => p.name).sort()).toEqual(['ordering', 'page', 'page_size', 'status', 'uuid']);
      expect(schema.components.schemas.NotificationDelivery.properties.next_retry).toMatchObject({ format: 'date-time', nullable: true });
    });
  });

  describe('clean-up', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp(FAST);
    });
    afterAll(async () => t?.close());

    it("deletes notifications that are seen or whose event is gone, as authentik's notification_cleanup, and finished deliveries past retention", async () => {
      const member = await createUserWithToken(t, { username: 'oncall' });
      const local = await t.admin.post(TRANSPORTS, { name: 'inbox', mode: 'local' });
      await alertRule(t, 'failed logins', [local.body.pk], [member.pk]);
      const events: string[] = [];
      for (let i = 0; i < 3; i++)
        events.push((await t.admin.post(EVENTS, { action: 'login_failed', app: 'tests', context: { i } })).body.pk);
      const inbox = async () => (await member.client.get('/api/v3/events/notifications/?ordering=created')).body.results as any[];
      const notes = await until('three notifications', async () => {
        const found = await inbox();
        return found.length === 3 && found;
      });
      const byEvent = (uuid: string) => notes.find((n) => n.event?.pk === uuid);
      expect((await member.client.patch(`/api/v3/events/notifications/${byEvent(events[0]).pk}/`, { seen: true })).status).toBe(200);
      expect((await t.admin.delete(`${EVENTS}${events[1]}/`)).status).toBe(204);

      const cleanup = t.app.get(NotificationCleanup);
      expect(await cleanup.run()).toEqual({ notifications: 2, deliveries: 0 });
      expect((await inbox()).map((n) => n.pk)).toEqual([byEvent(events[2]).pk]);

      const retention = t.config.notifications.deliveryRetentionMicros;
      expect(await cleanup.run(nowMicros() + retention + 60_000_000)).toEqual({ notifications: 0, deliveries: 3 });
      expect(await deliveries(t)).toEqual([]);
    });
  });

  describe('a process that stops after the 201', () => {
    let database: ScratchDatabase;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
      database = await createScratchDatabase();
    });
    afterAll(async () => {
      await database?.drop();
      await receiver?.close();
    });

    it('delivers what it accepted once a new process runs on the same database', async () => {
      // The first process records but never delivers (as if killed right after answering).
      const first = await startTestApp({ ...FAST, NOTIFICATION_WORKERS: 'false' }, { database });
      const member = await createUserWithToken(first, { username: 'oncall' });
      const hook = await webhookTransport(first, 'ops hook', receiver.url());
      await alertRule(first, 'failed logins', [hook], [member.pk]);
      const created = await first.admin.post(EVENTS, { action: 'login_failed', app: 'tests' });
      expect(created.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests).toHaveLength(0);
      expect(await outboxSize(first)).toBeGreaterThan(0);
      await first.app.close();

      const second = await startTestApp(FAST, { database, keepStartupEvents: true });
      try {
        await until('the webhook', async () => receiver.requests.length === 1);
        const rows = await until('the delivered row', async () => {
          const found = await deliveries(second, created.body.pk);
          return found[0]?.status === 'delivered' && found;
        });
        expect(rows).toHaveLength(1);
        expect(keysOf(receiver)).toEqual([rows[0].uuid]);
      } finally {
        await second.app.close();
      }
    });
  });

  const onMariaDb = process.env.TEST_DB === 'mariadb' ? describe : describe.skip;

  onMariaDb('two instances on one database', () => {
    let database: ScratchDatabase;
    let receiver: WebhookReceiver;
    let a: TestApp;
    let b: TestApp;
    /** The second instance, with the first one's admin key (both run the same bootstrap token). */
    let bAdmin: ApiClient;

    beforeAll(async () => {
      receiver = await WebhookReceiver.start();
      database = await createScratchDatabase();
      a = await startTestApp(FAST, { database });
      b = await startTestApp({ ...FAST, AUTHENTIK_BOOTSTRAP_TOKEN: a.adminKey }, { database, keepStartupEvents: true });
      bAdmin = new ApiClient(b.baseUrl, a.adminKey);
    });
    afterAll(async () => {
      await a?.app.close();
      await b?.app.close();
      await database?.drop();
      await receiver?.close();
    });

    it('share the work and send every delivery exactly once', async () => {
      const members = [await createUserWithToken(a, { username: 'first' }), await createUserWithToken(a, { username: 'second' })];
      const hook = await webhookTransport(a, 'shared hook', receiver.url());
      await alertRule(
        a,
        'failed logins',
        [hook],
        members.map((m) => m.pk),
      );
      const N = 60;
      const posts = [];
      for (let i = 0; i < N; i++)
        posts.push((i % 2 ? a.admin : bAdmin).post(EVENTS, { action: 'login_failed', app: 'tests', context: { i } }));
      for (const res of await Promise.all(posts)) expect(res.status).toBe(201);
      await until('every webhook', async () => receiver.requests.length >= 2 * N, 60_000);
      await until(
        'every row delivered',
        async () => (await deliveries(a)).filter((d) => d.status === 'delivered').length === 2 * N,
        30_000,
      );
      // A moment for any duplicate to arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const keys = keysOf(receiver);
      expect(keys).toHaveLength(2 * N);
      expect(new Set(keys).size).toBe(2 * N);
      const rows = await deliveries(a);
      expect(rows.every((d) => d.attempts === 1)).toBe(true);
    });
  });
});

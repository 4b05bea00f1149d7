import { Webhook } from 'standardwebhooks';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { expectAnswer, expectForbidden, noMatch, PAGE_KEYS, singlePage, UUID } from '../identity/identity-expectations';

const TRANSPORTS = '/api/v3/events/transports/';
const UNKNOWN_UUID = '5d2f6a8e-0c1b-4f3a-9e7d-2b4c6d8e0f1a';
const TRANSPORT_KEYS = [
  'pk',
  'name',
  'mode',
  'mode_verbose',
  'webhook_url',
  'webhook_ca',
  'webhook_mapping_body',
  'webhook_mapping_headers',
  'email_subject_prefix',
  'email_template',
  'send_once',
  'webhook_signed',
];
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe(`notification transports (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;
  let reader: UserFixture;
  let changer: UserFixture;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    smtp = await SmtpSink.start();
    t = await startTestApp({
      AUTHENTIK_EMAIL__HOST: '127.0.0.1',
      AUTHENTIK_EMAIL__PORT: String(smtp.port),
      AUTHENTIK_EMAIL__FROM: 'alerts@example.com',
      AUTHENTIK_HTTP_TIMEOUT: '1',
    });
    reader = await createUserWithToken(t, { username: 'reader', permissions: ['authentik_events.view_notificationtransport'] });
    changer = await createUserWithToken(t, {
      username: 'changer',
      permissions: ['authentik_events.view_notificationtransport', 'authentik_events.change_notificationtransport'],
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await smtp?.close();
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await t.admin.post(TRANSPORTS, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const events = async (action: string) =>
    (await t.admin.get(`/api/v3/events/events/?action=${action}&ordering=created`)).body.results as any[];

  describe('CRUD', () => {
    it('creates with authentik defaults and records model_created', async () => {
      const res = await t.admin.post(TRANSPORTS, { name: 'local one' });
      expectAnswer(res, 201, {
        pk: expect.stringMatching(UUID),
        name: 'local one',
        mode: 'local',
        mode_verbose: 'authentik inbuilt notifications',
        webhook_url: '',
        webhook_ca: null,
        webhook_mapping_body: null,
        webhook_mapping_headers: null,
        email_subject_prefix: 'authentik Notification: ',
        email_template: 'email/event_notification.html',
        send_once: false,
        webhook_signed: false,
      });
      expect(Object.keys(res.body)).toEqual(TRANSPORT_KEYS);
      const created = (await events('model_created')).at(-1);
      expect(created.context.model).toEqual({
        app: 'authentik_events',
        model_name: 'notificationtransport',
        pk: res.body.pk.replace(/-/g, ''),
        name: 'local one',
      });
    });

    it('lists, filters, searches and orders; retrieves; updates; deletes', async () => {
      const hook = await create({ name: 'b-hook', mode: 'webhook', webhook_url: 'http://hooks/x', send_once: true });
      await create({ name: 'a-slack', mode: 'webhook_slack', webhook_url: 'https://hooks.example.com/slack' });
      const list = await reader.client.get(TRANSPORTS);
      expect(Object.keys(list.body)).toEqual(PAGE_KEYS);
      expect(list.body.results.map((r: any) => r.name)).toEqual(['a-slack', 'b-hook', 'local one']);
      const names = async (q: string) => (await t.admin.get(`${TRANSPORTS}${q}`)).body.results.map((r: any) => r.name);
      expect(await names('?mode=webhook')).toEqual(['b-hook']);
      expect(await names('?send_once=true')).toEqual(['b-hook']);
      expect(await names('?webhook_url=http://hooks/x')).toEqual(['b-hook']);
      expect(await names('?search=SLACK')).toEqual(['a-slack']);
      expect(await names('?ordering=-name')).toEqual(['local one', 'b-hook', 'a-slack']);
      expect((await t.admin.get(`${TRANSPORTS}?page_size=1`)).body.pagination).toMatchObject({ count: 3, total_pages: 3 });
      expectAnswer(await t.admin.get(`${TRANSPORTS}?mode=sms`), 400, {
        mode: ['Select a valid choice. sms is not one of the available choices.'],
      });

      expectAnswer(await reader.client.get(`${TRANSPORTS}${hook.pk}/`), 200, hook);
      expectAnswer(await t.admin.get(`${TRANSPORTS}${UNKNOWN_UUID}/`), 404, noMatch('NotificationTransport'));
      // DRF trims text fields, so a prefix's trailing space sent through the API goes too (as in authentik).
      const patched = await changer.client.patch(`${TRANSPORTS}${hook.pk}/`, { email_subject_prefix: '[X] ' });
      expectAnswer(patched, 200, { ...hook, email_subject_prefix: '[X]' });
      const put = await t.admin.put(`${TRANSPORTS}${hook.pk}/`, { name: 'b-hook2', mode: 'local' });
      expectAnswer(put, 200, {
        ...hook,
        name: 'b-hook2',
        mode: 'local',
        mode_verbose: 'authentik inbuilt notifications',
        email_subject_prefix: '[X]',
      });
      const updated = (await events('model_updated')).at(-1);
      expect(updated.context.diff).toMatchObject({ name: { previous_value: 'b-hook', new_value: 'b-hook2' } });
      expectAnswer(await t.admin.get(`${TRANSPORTS}${hook.pk}/used_by/`), 200, []);
      expect((await t.admin.delete(`${TRANSPORTS}${hook.pk}/`)).status).toBe(204);
      expect((await t.admin.get(`${TRANSPORTS}${hook.pk}/`)).status).toBe(404);
      expect((await events('model_deleted')).at(-1).context.model.name).toBe('b-hook2');
    });
  });

  describe('validation, in DRF words', () => {
    it('refuses bad bodies and stores nothing', async () => {
      const cases: [unknown, unknown][] = [
        [{}, { name: ['This field is required.'] }],
        [{ name: '' }, { name: ['This field may not be blank.'] }],
        [{ name: 'local one' }, { name: ['Notification Transport with this name already exists.'] }],
        [{ name: 'x', mode: 'sms' }, { mode: ['"sms" is not a valid choice.'] }],
        [{ name: 'x', mode: 'webhook' }, { webhook_url: ['Webhook URL may not be empty.'] }],
        [{ name: 'x', mode: 'webhook_slack', webhook_url: '' }, { webhook_url: ['Webhook URL may not be empty.'] }],
        [{ name: 'x', mode: 'webhook', webhook_url: 'foo' }, { webhook_url: ['Enter a valid URL.'] }],
        [{ name: 'x', webhook_url: 'mailto:a@b.c' }, { webhook_url: ['Enter a valid URL.'] }],
        [{ name: 'x', webhook_url: 'http://' }, { webhook_url: ['Enter a valid URL.'] }],
        [
          { name: 'x', email_template: 'invalid/template.html' },
          { email_template: ["Invalid template 'invalid/template.html' specified."] },
        ],
        [
          { name: 'x', webhook_mapping_body: UNKNOWN_UUID },
          { webhook_mapping_body: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] },
        ],
        [{ name: 'x', webhook_mapping_headers: 'abc' }, { webhook_mapping_headers: ['“abc” is not a valid UUID.'] }],
        [{ name: 'x', webhook_ca: UNKNOWN_UUID }, { webhook_ca: [`Invalid pk "${UNKNOWN_UUID}" - object does not exist.`] }],
        [{ name: 'x', send_once: 'maybe' }, { send_once: ['Must be a valid boolean.'] }],
        [
          { name: 'x', signing_secret: 'not-a-secret' },
          { signing_secret: ['Enter a Standard Webhooks secret: "whsec_" and the base64 of 24 to 64 random bytes.'] },
        ],
      ];
      for (const [body, errors] of cases) expectAnswer(await t.admin.post(TRANSPORTS, body), 400, errors);
      expect((await t.admin.get(`${TRANSPORTS}?name=x`)).body.results).toEqual([]);
    });

    it('accepts hosts without a dot, null relations and every built-in template', async () => {
      const res = await t.admin.post(TRANSPORTS, {
        name: 'dotless',
        mode: 'webhook',
        webhook_url: 'http://myhost:8080/x?y=1',
        webhook_ca: null,
        webhook_mapping_body: null,
        webhook_mapping_headers: null,
        email_template: 'email/password_reset.html',
      });
      expect(res.status).toBe(201);
      // authentik checks only the request: a PATCH naming a webhook mode needs the URL again.
      expectAnswer(await t.admin.patch(`${TRANSPORTS}${res.body.pk}/`, { mode: 'webhook' }), 400, {
        webhook_url: ['Webhook URL may not be empty.'],
      });
      expect((await t.admin.delete(`${TRANSPORTS}${res.body.pk}/`)).status).toBe(204);
    });
  });

  describe('permissions', () => {
    it('needs authentik_events.*_notificationtransport', async () => {
      const nobody = await createUserWithToken(t, { username: 'nobody' });
      const [first] = (await t.admin.get(TRANSPORTS)).body.results;
      expectForbidden(await nobody.client.get(TRANSPORTS));
      expectForbidden(await nobody.client.get(`${TRANSPORTS}${first.pk}/`));
      expectForbidden(await reader.client.post(TRANSPORTS, { name: 'sneaky' }));
      expectForbidden(await reader.client.patch(`${TRANSPORTS}${first.pk}/`, { name: 'sneaky' }));
      expectForbidden(await reader.client.delete(`${TRANSPORTS}${first.pk}/`));
      expectForbidden(await reader.client.post(`${TRANSPORTS}${first.pk}/test/`));
      expect((await t.admin.get(`${TRANSPORTS}?name=sneaky`)).body.pagination).toEqual(singlePage(0));
    });
  });

  describe('test/', () => {
    it('local: stores a notice for the caller and records custom_notification_test', async () => {
      const transport = await create({ name: 'local-test' });
      expectAnswer(await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`), 200, { messages: [] });
      const [event] = await events('custom_notification_test');
      expect(event).toMatchObject({
        app: 'authentik.events.api.notification_transports',
        user: {},
        client_ip: null,
        context: { user: { username: 'changer', pk: changer.pk, email: 'changer@example.com' }, context: { foo: 'bar' } },
      });
      const mine = (await changer.client.get('/api/v3/events/notifications/')).body.results;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        severity: 'notice',
        body: 'Test Notification from transport local-test',
        seen: false,
        event: { pk: event.pk },
      });
    });

    it('webhook: POSTs authentik JSON byte for byte and answers the status and text', async () => {
      const transport = await create({ name: 'hook-test', mode: 'webhook', webhook_url: receiver.url('/generic') });
      receiver.reply = 'thanks';
      const res = await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`);
      expectAnswer(res, 200, { messages: ['200', 'thanks'] });
      const request = receiver.requests.at(-1)!;
      expect(request.path).toBe('/generic');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['webhook-signature']).toBeUndefined();
      expect(request.body.toString('utf8')).toBe(
        '{"body": "Test Notification from transport hook-test", "severity": "notice", "user_email": "changer@example.com", "user_username": "changer"}',
      );
    });

    it('webhook: a failing receiver is a 500 with the answer text as a JSON string', async () => {
      const transport = await create({ name: 'hook-fail', mode: 'webhook', webhook_url: receiver.url('/fail') });
      receiver.status = 503;
      receiver.reply = 'down for maintenance';
      try {
        const res = await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`);
        expect(res.status).toBe(500);
        expect(res.body).toBe('down for maintenance');
      } finally {
        receiver.status = 200;
        receiver.reply = 'ok';
      }
    });

    it('webhook: a receiver that hangs is a 500 after AUTHENTIK_HTTP_TIMEOUT; a huge answer is cut', async () => {
      const transport = await create({ name: 'hook-slow', mode: 'webhook', webhook_url: receiver.url('/slow') });
      receiver.hang = true;
      try {
        const res = await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`);
        expect(res.status).toBe(500);
        expect(res.body).toBe(`Timed out after waiting for ${receiver.url('/slow')}`);
      } finally {
        receiver.hang = false;
      }
      receiver.reply = 'x'.repeat(300_000);
      try {
        const res = await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`);
        expect(res.status).toBe(200);
        expect(res.body.messages[1]).toHaveLength(64 * 1024);
      } finally {
        receiver.reply = 'ok';
      }
    });

    it('webhook: signed with Standard Webhooks headers that verify with the library', async () => {
      const transport = await create({
        name: 'hook-signed',
        mode: 'webhook',
        webhook_url: receiver.url('/signed'),
        signing_secret: SECRET,
      });
      expect(transport.webhook_signed).toBe(true);
      expect(transport).not.toHaveProperty('signing_secret');
      expect((await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`)).status).toBe(200);
      const request = receiver.requests.at(-1)!;
      const headers = {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      };
      expect(new Webhook(SECRET).verify(request.body.toString('utf8'), headers)).toMatchObject({ severity: 'notice' });
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request.body.toString('utf8'), headers)).toThrow();
      // Turning signing off.
      const off = await t.admin.patch(`${TRANSPORTS}${transport.pk}/`, { signing_secret: null });
      expect(off.body.webhook_signed).toBe(false);
    });

    it('webhook_slack: the Slack attachment payload', async () => {
      const transport = await create({ name: 'slack-test', mode: 'webhook_slack', webhook_url: receiver.url('/slack') });
      expect((await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`)).status).toBe(200);
      const body = JSON.parse(receiver.requests.at(-1)!.body.toString('utf8'));
      expect(body).toEqual({
        username: 'authentik',
        icon_url: 'https://goauthentik.io/img/icon.png',
        attachments: [
          {
            author_name: 'authentik',
            author_link: 'https://goauthentik.io',
            author_icon: 'https://goauthentik.io/img/icon.png',
            title: 'custom_notification_test',
            color: '#fd4b2d',
            fields: [
              { title: 'Severity', value: 'notice', short: true },
              { title: 'Dispatched for user', value: 'changer', short: true },
            ],
            footer: 'eventlog',
          },
        ],
      });
    });

    it('email: one mail over SMTP, then an email_sent event', async () => {
      const transport = await create({ name: 'mail-test', mode: 'email', email_subject_prefix: '[CUSTOM] ' });
      expectAnswer(await changer.client.post(`${TRANSPORTS}${transport.pk}/test/`), 200, { messages: [] });
      const mail = smtp.mails.at(-1)!;
      expect(mail.from).toBe('alerts@example.com');
      expect(mail.to).toEqual(['changer@example.com']);
      expect(mail.raw).toMatch(/^Subject: \[CUSTOM\]custom_notification_test\r?$/m);
      expect(mail.raw).toContain('Content-Type: text/html');
      expect(mail.raw).toContain('Content-Type: text/plain');
      expect(mail.raw).toContain('Test Notification from transport mail-test');
      const [sent] = await events('email_sent');
      expect(sent).toMatchObject({
        app: 'authentik.stages.email.tasks',
        context: {
          message: 'Email to changer <changer@example.com> sent',
          subject: '[CUSTOM]custom_notification_test',
          from_email: 'alerts@example.com',
          to_email: ['changer <changer@example.com>'],
        },
      });
    });

    it('email: a caller without an address gets nothing sent and messages null', async () => {
      const transport = await create({ name: 'mail-nobody', mode: 'email' });
      const silent = await createUserWithToken(t, { username: 'silent', permissions: ['authentik_events.change_notificationtransport'] });
      await t.dataSource.query(`UPDATE users SET email = '' WHERE id = ${silent.pk}`);
      const before = smtp.mails.length;
      expectAnswer(await silent.client.post(`${TRANSPORTS}${transport.pk}/test/`), 200, { messages: null });
      expect(smtp.mails).toHaveLength(before);
    });

    it('is a 404 for an unknown transport', async () => {
      expectAnswer(await t.admin.post(`${TRANSPORTS}${UNKNOWN_UUID}/test/`), 404, noMatch('NotificationTransport'));
    });
  });
});

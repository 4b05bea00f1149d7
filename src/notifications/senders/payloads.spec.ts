import { Webhook } from 'standardwebhooks';
import { emailContext, emailHtml, emailText } from './email-content';
import { eventHyperlink, eventSummary } from './notification-body';
import { slackBody, webhookBody } from './payloads';
import { pythonJsonDumps } from './python-json';
import type { OutgoingNotification } from './sender';
import { isSigningSecret, signatureHeaders } from './webhook-signature';

const notification: OutgoingNotification = {
  uuid: '0b6f4f0e-8d55-4b8e-9a43-1f2d3c4b5a69',
  severity: 'alert',
  body: "custom_foo: {'foo': 'bar,'}",
  hyperlink: null,
  hyperlinkLabel: null,
  recipient: { pk: 7, username: 'alice', name: 'Alice', email: 'alice@example.com', isSuperuser: false },
};
const event = {
  pk: 'e1',
  action: 'custom_foo',
  user: { pk: 3, username: 'bob', email: 'bob@example.com' },
  context: { foo: 'bar,', n: 1 },
};

describe('eventSummary: the body authentik gives a notification', () => {
  it('is "<action>: <context>" with the context in Python dict repr', () => {
    expect(eventSummary({ action: 'custom_foo', context: { foo: 'bar,' } })).toBe("custom_foo: {'foo': 'bar,'}");
    expect(eventSummary({ action: 'login', context: { a: true, b: null, c: [1, 'x'], d: { "it's": 'q"' } } })).toBe(
      `login: {'a': True, 'b': None, 'c': [1, 'x'], 'd': {"it's": 'q"'}}`,
    );
    expect(eventSummary({ action: 'login', context: {} })).toBe('login: {}');
  });

  it('is the context message when there is one', () => {
    expect(eventSummary({ action: 'login', context: { message: 'hello', x: 1 } })).toBe('hello');
    expect(eventSummary({ action: 'login', context: { message: { a: 1 } } })).toBe("{'a': 1}");
  });

  it('copies hyperlink and label from the context', () => {
    expect(eventHyperlink({ context: { hyperlink: 'https://x', hyperlink_label: 'Open' } })).toEqual({
      hyperlink: 'https://x',
      hyperlinkLabel: 'Open',
    });
    expect(eventHyperlink(null)).toEqual({ hyperlink: null, hyperlinkLabel: null });
  });
});

describe('pythonJsonDumps: json.dumps with Python defaults', () => {
  it('uses Python separators, keeps key order and escapes non-ASCII', () => {
    expect(pythonJsonDumps({ b: 1, a: [true, null, 'é😀\u007f'], c: {} })).toBe(
      '{"b": 1, "a": [true, null, "\\u00e9\\ud83d\\ude00\\u007f"], "c": {}}',
    );
    expect(pythonJsonDumps('line\nbreak "q" \\')).toBe('"line\\nbreak \\"q\\" \\\\"');
  });
});

describe('webhook payloads', () => {
  it('generic: the six keys in authentik order, event user keys only with an event user', () => {
    expect(pythonJsonDumps(webhookBody(notification, event))).toBe(
      '{"body": "custom_foo: {\'foo\': \'bar,\'}", "severity": "alert", "user_email": "alice@example.com", ' +
        '"user_username": "alice", "event_user_email": "bob@example.com", "event_user_username": "bob"}',
    );
    expect(Object.keys(webhookBody(notification, { ...event, user: {} }))).toEqual(['body', 'severity', 'user_email', 'user_username']);
    expect(webhookBody(notification, { ...event, user: { pk: 1 } })).toMatchObject({ event_user_email: null, event_user_username: null });
  });

  it('slack: authentik attachment with severity, recipient, event user and string context fields', () => {
    expect(slackBody(notification, event, 'eventlog')).toEqual({
      username: 'authentik',
      icon_url: 'https://goauthentik.io/img/icon.png',
      attachments: [
        {
          author_name: 'authentik',
          author_link: 'https://goauthentik.io',
          author_icon: 'https://goauthentik.io/img/icon.png',
          title: 'custom_foo',
          color: '#fd4b2d',
          fields: [
            { title: 'Severity', value: 'alert', short: true },
            { title: 'Dispatched for user', value: 'alice', short: true },
            { title: 'Event user', value: 'bob', short: true },
            { title: 'foo', value: 'bar,' },
          ],
          footer: 'eventlog',
        },
      ],
    });
  });

  it('slack: no event means the body is the title; at most 25 fields', () => {
    expect((slackBody(notification, null, 'f').attachments as any)[0].title).toBe(notification.body);
    const context = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v']));
    expect((slackBody(notification, { ...event, context }, 'f').attachments as any)[0].fields).toHaveLength(25);
  });
});

describe('email content', () => {
  it('has authentik template values: title, key/value table, transport name for superusers', () => {
    const context = emailContext({ ...notification, recipient: { ...notification.recipient, isSuperuser: true } }, event, 'mail <x>');
    expect(context.title).toBe('custom_foo');
    expect(context.keyValue).toEqual([
      ['user_email', 'alice@example.com'],
      ['user_username', 'alice'],
      ['event_user_email', 'bob@example.com'],
      ['event_user_username', 'bob'],
      ['foo', 'bar,'],
    ]);
    const html = emailHtml(context);
    expect(html).toContain('<h1>custom_foo</h1>');
    expect(html).toContain('custom_foo: {&#x27;foo&#x27;: &#x27;bar,&#x27;}');
    expect(html).toContain('<code>mail &lt;x&gt;</code>');
    const text = emailText(context);
    expect(text).toContain("The following notification was created:\n\n    custom_foo: {'foo': 'bar,'}");
    expect(text).toContain('    event_user_username: bob');
    expect(text.endsWith('-- \nPowered by goauthentik.io.\n')).toBe(true);
  });

  it('shows no transport to other users and cuts a title from the body without an event', () => {
    const context = emailContext({ ...notification, body: 'x'.repeat(100) }, null, 'mail');
    expect(context.sourceName).toBeNull();
    expect(context.title).toBe('x'.repeat(75));
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

  it('verify with the library', () => {
    const body = '{"a": 1}';
    const headers = signatureHeaders(secret, 'msg_1', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a": 2}', headers)).toThrow();
  });

  it('accepts only whsec_ secrets of 24 to 64 bytes', () => {
    expect(isSigningSecret(secret)).toBe(true);
    expect(isSigningSecret(Buffer.alloc(32).toString('base64'))).toBe(false);
    expect(isSigningSecret(`whsec_${Buffer.alloc(8).toString('base64')}`)).toBe(false);
    expect(isSigningSecret('whsec_not base64!')).toBe(false);
  });
});

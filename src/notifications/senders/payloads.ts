import type { NotificationEvent } from './notification-body';
import type { OutgoingNotification } from './sender';

/** Slack and Discord refuse more fields than this (authentik's `DISCORD_FIELD_LIMIT`). */
const SLACK_FIELD_LIMIT = 25;
const AUTHENTIK_ICON = 'https://goauthentik.io/img/icon.png';

const hasUser = (event: NotificationEvent | null): event is NotificationEvent =>
  event !== null && event.user !== null && typeof event.user === 'object' && Object.keys(event.user).length > 0;

/** `str(value)` of the event user's fields as authentik writes them (missing → `None`/null). */
const userField = (event: NotificationEvent, key: string) => (event.user[key] === undefined ? null : event.user[key]);

/** The generic webhook's JSON object, keys in authentik's order (`send_webhook`). */
export function webhookBody(notification: OutgoingNotification, event: NotificationEvent | null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    body: notification.body,
    severity: notification.severity,
    user_email: notification.recipient.email,
    user_username: notification.recipient.username,
  };
  if (hasUser(event)) {
    body.event_user_email = userField(event, 'email');
    body.event_user_username = userField(event, 'username');
  }
  return body;
}

/** The Slack/Discord attachment message (`send_webhook_slack`). */
export function slackBody(notification: OutgoingNotification, event: NotificationEvent | null, footer: string): Record<string, unknown> {
  const fields: Record<string, unknown>[] = [
    { title: 'Severity', value: notification.severity, short: true },
    { title: 'Dispatched for user', value: notification.recipient.username, short: true },
  ];
  if (hasUser(event)) {
    const username = event.user.username;
    fields.push({ title: 'Event user', value: typeof username === 'string' ? username : pythonStrOrNone(username), short: true });
  }
  if (event) {
    for (const [key, value] of Object.entries(event.context)) {
      // Only top-level text values, as authentik does; the limit counts the fields above too.
      if (typeof value !== 'string') continue;
      if (fields.length >= SLACK_FIELD_LIMIT) break;
      fields.push({ title: [...key].slice(0, 256).join(''), value: [...value].slice(0, 1024).join('') });
    }
  }
  return {
    username: 'authentik',
    icon_url: AUTHENTIK_ICON,
    attachments: [
      {
        author_name: 'authentik',
        author_link: 'https://goauthentik.io',
        author_icon: AUTHENTIK_ICON,
        title: event ? event.action : notification.body,
        color: '#fd4b2d',
        fields,
        footer,
      },
    ],
  };
}

function pythonStrOrNone(value: unknown): string {
  return value === undefined || value === null ? 'None' : String(value);
}

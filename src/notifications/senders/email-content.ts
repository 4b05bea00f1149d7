import type { NotificationEvent } from './notification-body';
import type { OutgoingNotification } from './sender';

/** The values authentik's `email/event_notification` template is rendered with. */
export interface EmailContext {
  title: string;
  body: string;
  keyValue: [string, string][];
  link: { target: string; label: string | null } | null;
  /** The transport's name, shown to superusers only (as authentik does). */
  sourceName: string | null;
}

export function emailContext(notification: OutgoingNotification, event: NotificationEvent | null, transportName: string): EmailContext {
  const keyValue: [string, string][] = [
    ['user_email', notification.recipient.email],
    ['user_username', notification.recipient.username],
  ];
  if (event && event.user && Object.keys(event.user).length > 0) {
    keyValue.push(['event_user_email', text(event.user.email)], ['event_user_username', text(event.user.username)]);
  }
  for (const [key, value] of Object.entries(event?.context ?? {})) {
    if (typeof value === 'string') upsert(keyValue, key, value);
  }
  return {
    title: event ? event.action : [...notification.body].slice(0, 75).join(''),
    body: notification.body,
    keyValue,
    link: notification.hyperlink ? { target: notification.hyperlink, label: notification.hyperlinkLabel } : null,
    sourceName: notification.recipient.isSuperuser ? transportName : null,
  };
}

/** A context key that repeats `user_email` etc. replaces it in place, as a Python dict update does. */
function upsert(pairs: [string, string][], key: string, value: string): void {
  const existing = pairs.find(([name]) => name === key);
  if (existing) existing[1] = value;
  else pairs.push([key, value]);
}

const text = (value: unknown) => (value === undefined || value === null ? 'None' : String(value));

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!);

/** The HTML part: title, body, an optional link button, the attribute table, the transport line. */
export function emailHtml(context: EmailContext): string {
  const rows = context.keyValue
    .map(([key, value]) => `<tr><td class="td-right">${escapeHtml(key)}</td><td class="td-left">${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const link = context.link
    ? `<tr><td align="center"><a id="confirm" class="btn" href="${escapeHtml(context.link.target)}">${escapeHtml(context.link.label ?? '')}</a></td></tr>`
    : '';
  const source = context.sourceName
    ? `<tr><td style="padding: 20px; font-size: 12px; color: #212124;" align="center">This email was sent from the notification transport <code>${escapeHtml(context.sourceName)}</code>.</td></tr>`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(context.title)}</title></head>`,
    '<body style="font-family: sans-serif; background-color: #f5f5f5;">',
    '<table width="100%" border="0" cellpadding="0" cellspacing="0" style="max-width: 600px; margin: 0 auto; background: #fff;">',
    `<tr><td align="center"><h1>${escapeHtml(context.title)}</h1></td></tr>`,
    `<tr><td align="center" style="max-width: 300px; padding: 20px 0; color: #212124;">${escapeHtml(context.body)}</td></tr>`,
    link,
    context.keyValue.length ? `<tr><td><table class="properties-table" width="100%"><tbody>\n${rows}\n</tbody></table></td></tr>` : '',
    source,
    '</table>',
    '<p style="text-align: center; font-size: 12px; color: #777;">Powered by goauthentik.io.</p>',
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The plain-text part, in the wording of authentik's `event_notification.txt`. */
export function emailText(context: EmailContext): string {
  const indent = (value: string) => value.replace(/\n/g, '\n    ');
  const lines = ['Dear authentik user,', '', 'The following notification was created:', '', `    ${indent(context.body)}`, ''];
  if (context.keyValue.length) {
    lines.push('Additional attributes:');
    for (const [key, value] of context.keyValue) lines.push(`    ${key}: ${indent(value)}`);
    lines.push('');
  }
  if (context.link) lines.push(`${context.link.label ?? context.link.target}: ${context.link.target}`, '');
  if (context.sourceName) lines.push(`This email was sent from the notification transport ${context.sourceName}.`, '');
  lines.push('-- ', 'Powered by goauthentik.io.', '');
  return lines.join('\n');
}

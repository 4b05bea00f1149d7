import { DrfMessage } from '@app/common';

/** The email templates authentik ships; any of them renders the event-notification layout here. */
export const EMAIL_TEMPLATES = [
  'email/password_reset.html',
  'email/account_confirmation.html',
  'email/email_otp.html',
  'email/event_notification.html',
  'email/invitation.html',
] as const;

export const DEFAULT_EMAIL_SUBJECT_PREFIX = 'authentik Notification: ';
export const DEFAULT_EMAIL_TEMPLATE = 'email/event_notification.html';

export const invalidTemplate = (value: string) => `Invalid template '${value}' specified.`;
export const WEBHOOK_URL_REQUIRED = 'Webhook URL may not be empty.';
const INVALID_URL = 'Enter a valid URL.';

const HOST = String.raw`(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,62}[A-Za-z0-9\u00a1-\uffff])?(?:\.[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,62}[A-Za-z0-9\u00a1-\uffff])?)*\.?)`;
// Django's URLValidator with authentik's DomainlessURLValidator changes: a host needs no dot.
const URL_PATTERN = new RegExp(String.raw`^(?:https?|ftps?)://(?:[^\s:@/]+(?::[^\s:@/]*)?@)?${HOST}(?::\d{1,5})?(?:[/?#][^\s]*)?$`, 'i');

/**
 * `webhook_url` as authentik's serializer checks it: a CharField (blank allowed) whose non-empty
 * value must pass `DomainlessURLValidator` (http, https, ftp, ftps; hosts without a dot allowed).
 */
export function webhookUrlProblem(value: unknown): string | null {
  if (value === null) return DrfMessage.null;
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return DrfMessage.string;
  const text = String(value).trim();
  if (text === '') return null;
  if (text.includes('\0')) return DrfMessage.nullCharacters;
  if (text.length > 2048 || !URL_PATTERN.test(text)) return INVALID_URL;
  return null;
}

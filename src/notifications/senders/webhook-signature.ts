import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`),
 * made by the `standardwebhooks` library, so any receiver using a Standard Webhooks library
 * verifies them and rejects replays outside its tolerance window.
 */
export function signatureHeaders(secret: string, messageId: string, body: string, now: Date = new Date()): Record<string, string> {
  const signature = new Webhook(secret).sign(messageId, now, body);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

const SECRET_PREFIX = 'whsec_';

/** A usable secret: `whsec_` and the base64 of 24 to 64 random bytes (the spec's advice). */
export function isSigningSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const bytes = Buffer.from(encoded, 'base64').length;
  return bytes >= 24 && bytes <= 64;
}

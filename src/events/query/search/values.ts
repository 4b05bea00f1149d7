import { parseDateTime } from '@app/common';

/**
 * A UUID as Python's `uuid.UUID(hex)` reads it (what Django's UUIDField accepts): `urn:` and
 * `uuid:` removed, surrounding braces stripped, dashes anywhere, then exactly 32 hex digits.
 * Returns the 16 stored bytes, or null.
 */
export function parseUuid(text: string): Buffer | null {
  const hex = text
    .replace(/urn:|uuid:/g, '')
    .replace(/^\{+|\}+$/g, '')
    .replace(/-/g, '');
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : null;
}

/**
 * A datetime in microseconds: anything `parseDateTime` reads (ISO 8601, zone optional, UTC by
 * default) plus djangoql's bare `YYYY-MM-DD` (midnight UTC). Null when it is not a datetime.
 */
export function parseSearchDateTime(text: string): number | null {
  const parsed = parseDateTime(text); // reads a bare date as midnight UTC too
  return parsed.ok ? parsed.micros : null;
}

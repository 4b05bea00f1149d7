/**
 * Timestamps are kept as integer microseconds since the Unix epoch (UTC): the database stores
 * them in BIGINT columns (compact, index-friendly, identical on MariaDB and SQLite) and the API
 * writes them as ISO 8601 with six fractional digits, the way Django REST Framework does.
 */
export type Micros = number;

const US_PER_MS = 1000;

export function nowMicros(): Micros {
  // Date.now() has millisecond resolution; performance.timeOrigin adds the sub-millisecond part.
  const precise = Math.floor((performance.timeOrigin + performance.now()) * US_PER_MS);
  return Math.max(precise, Date.now() * US_PER_MS);
}

export function microsToDate(us: Micros): Date {
  return new Date(Math.floor(us / US_PER_MS));
}

export function dateToMicros(date: Date): Micros {
  return date.getTime() * US_PER_MS;
}

/** `2026-07-01T12:00:00.123456Z` */
export function formatMicros(us: Micros | null | undefined): string | null {
  if (us === null || us === undefined) return null;
  const value = Number(us);
  const ms = Math.floor(value / US_PER_MS);
  const subMs = value - ms * US_PER_MS;
  const iso = new Date(ms).toISOString(); // 2026-07-01T12:00:00.123Z
  return `${iso.slice(0, 23)}${String(subMs).padStart(3, '0')}Z`;
}

// DRF's ISO 8601 input: date, `T` or space, hh:mm, optional seconds and up to 6 fraction digits
// (more are accepted and truncated), optional zone. Without a zone the value is taken as UTC.
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export type DateTimeParse = { ok: true; micros: Micros } | { ok: false; reason: 'format' };

export function parseDateTime(input: string): DateTimeParse {
  const text = input.trim();
  // Django 5 parses with datetime.fromisoformat first, which reads a bare date as midnight.
  const m = ISO_DATETIME.exec(ISO_DATE.test(text) ? `${text}T00:00` : text);
  if (!m) return { ok: false, reason: 'format' };
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) {
    return { ok: false, reason: 'format' };
  }
  // Not Date.UTC(year, …): it reads years 0-99 as 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, 0);
  const ms = check.getTime();
  if (year < 1 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) {
    return { ok: false, reason: 'format' }; // 2026-02-30 and friends
  }
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return { ok: false, reason: 'format' };
    offsetMinutes = sign * (oh * 60 + om);
  }
  const fractionUs = Number(frac.padEnd(6, '0').slice(0, 6));
  const micros = (ms - offsetMinutes * 60_000) * US_PER_MS + fractionUs;
  if (!Number.isSafeInteger(micros)) return { ok: false, reason: 'format' };
  return { ok: true, micros };
}

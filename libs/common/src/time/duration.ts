/**
 * authentik's duration strings (`timedelta_string_validator`): `hours=24`, `weeks=3;days=2`.
 * Keys are timedelta's keyword arguments; values are numbers, possibly fractional.
 */
const UNIT_MICROS: Record<string, number> = {
  microseconds: 1,
  milliseconds: 1_000,
  seconds: 1_000_000,
  minutes: 60_000_000,
  hours: 3_600_000_000,
  days: 86_400_000_000,
  weeks: 604_800_000_000,
};

// timedelta accepts at most 999999999 days; anything beyond is not a duration.
const MAX_DURATION_MICROS = 999_999_999 * UNIT_MICROS.days;

/** Parses a duration into microseconds; `null` when the text is not a valid duration. */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  let total = 0;
  for (const part of text.split(';')) {
    const [key, value, ...rest] = part.split('=');
    if (rest.length > 0 || value === undefined) return null;
    const unit = UNIT_MICROS[key.trim()];
    const trimmed = value.trim();
    if (unit === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
    total += Number(trimmed) * unit;
  }
  if (!Number.isFinite(total) || Math.abs(total) > MAX_DURATION_MICROS) return null;
  return Math.round(total);
}

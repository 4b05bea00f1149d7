import { formatMicros, parseDateTime } from './datetime';

describe('formatMicros', () => {
  it('writes six fractional digits and Z', () => {
    expect(formatMicros(Date.UTC(2026, 6, 1, 12, 0, 0, 123) * 1000 + 456)).toBe('2026-07-01T12:00:00.123456Z');
    expect(formatMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
  });
  it('keeps null', () => {
    expect(formatMicros(null)).toBeNull();
  });
});

describe('parseDateTime', () => {
  const micros = (iso: string, extra = 0) => Date.parse(iso) * 1000 + extra;
  it.each([
    ['2026-07-01T12:00:00.123456Z', micros('2026-07-01T12:00:00.123Z', 456)],
    ['2026-07-01T12:00:00Z', micros('2026-07-01T12:00:00Z')],
    ['2026-07-01T12:00Z', micros('2026-07-01T12:00:00Z')],
    ['2026-07-01T14:00:00+02:00', micros('2026-07-01T12:00:00Z')],
    ['2026-07-01T09:30:00-0230', micros('2026-07-01T12:00:00Z')],
    ['2026-07-01 12:00:00', micros('2026-07-01T12:00:00Z')],
    ['2026-07-01T12:00:00.1234567Z', micros('2026-07-01T12:00:00.123Z', 456)],
    ['2026-07-01', micros('2026-07-01T00:00:00Z')],
  ])('%s', (text, expected) => {
    expect(parseDateTime(text)).toEqual({ ok: true, micros: expected });
  });
  it.each(['', 'yesterday', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-07-01T24:00:00Z', '2026-07-01T12:00:00+25:00', '1e10'])(
    'rejects %p',
    (text) => {
      expect(parseDateTime(text)).toEqual({ ok: false, reason: 'format' });
    },
  );
});

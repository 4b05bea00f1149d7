import { parseSearchDateTime, parseUuid } from './values';

describe('parseUuid', () => {
  const hex = '0f8e4b2c1d3a4e5f8a9b0c1d2e3f4a5b';
  it.each([
    hex,
    hex.toUpperCase(),
    '0f8e4b2c-1d3a-4e5f-8a9b-0c1d2e3f4a5b',
    '{0f8e4b2c-1d3a-4e5f-8a9b-0c1d2e3f4a5b}',
    'urn:uuid:0f8e4b2c-1d3a-4e5f-8a9b-0c1d2e3f4a5b',
    '0f8e-4b2c1d3a4e5f8a9b0c1d2e3f4a5-b',
  ])('reads %s', (text) => {
    expect(parseUuid(text)?.toString('hex')).toBe(hex);
  });

  it.each(['', 'not-a-uuid', hex.slice(1), `${hex}0`, `${hex.slice(0, 31)}g`, ` ${hex}`, `'${hex}'`, '0x' + hex.slice(2)])(
    'rejects %p',
    (text) => {
      expect(parseUuid(text)).toBeNull();
    },
  );
});

describe('parseSearchDateTime', () => {
  const at = (iso: string) => Date.parse(iso) * 1000;
  it.each([
    ['2026-07-01', at('2026-07-01T00:00:00Z')],
    ['2026-07-01 12:30', at('2026-07-01T12:30:00Z')],
    ['2026-07-01 12:30:15', at('2026-07-01T12:30:15Z')],
    ['2026-07-01T12:30:15.5Z', at('2026-07-01T12:30:15.500Z')],
    ['2026-07-01T14:00:00+02:00', at('2026-07-01T12:00:00Z')],
  ])('%s', (text, micros) => {
    expect(parseSearchDateTime(text)).toBe(micros);
  });

  it.each(['', 'today', '2026-13-01', '2026-02-30', '1751371200', '2026-07-01T25:00'])('rejects %p', (text) => {
    expect(parseSearchDateTime(text)).toBeNull();
  });
});

import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['hours=24', 24 * 3_600_000_000],
    ['weeks=3;days=2', (21 + 2) * 86_400_000_000],
    ['days=365', 365 * 86_400_000_000],
    ['minutes=1.5', 90_000_000],
    ['seconds=1;milliseconds=5;microseconds=7', 1_005_007],
  ])('%s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
  it.each(['', '24d', 'hours', 'hours=', 'hours=abc', 'years=1', 'hours=1;;', 'hours=1=2', 'days=1e12'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

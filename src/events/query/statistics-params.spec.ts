import { COUNT_STEPS_MAX, parseInteger, parseStatsParams, parseTopPerUserParams, parseVolumeParams } from './statistics-params';

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

describe('parseInteger (DRF IntegerField on a query value)', () => {
  it.each([
    ['5', 5],
    [' 5 ', 5],
    ['+5', 5],
    ['5.0', 5],
    ['5.', 5],
    ['5.000 ', 5],
    ['1_000', 1000],
    ['007', 7],
    ['0', 0],
    ['99999999999999999999999', Number.MAX_SAFE_INTEGER],
  ])('%p → %p', (text, value) => {
    expect(parseInteger(text, 0)).toBe(value);
  });

  it.each(['', ' ', 'abc', '5.5', '1e3', '0x10', '1__0', '_1', '5 5', '٥', 'Infinity', 'NaN', '1'.repeat(1001)])('rejects %p', (text) => {
    expect(parseInteger(text, 0)).toBe('A valid integer is required.');
  });

  it('rejects values that are not text', () => {
    expect(parseInteger(['5'], 0)).toBe('A valid integer is required.');
    expect(parseInteger(undefined, 0)).toBe('A valid integer is required.');
  });

  it('applies the minimum', () => {
    expect(parseInteger('0', 1)).toBe('Ensure this value is greater than or equal to 1.');
    expect(parseInteger('-3', 0)).toBe('Ensure this value is greater than or equal to 0.');
    expect(parseInteger('-0', 0)).toBe(0);
  });
});

describe('parseTopPerUserParams', () => {
  it('defaults to action login and top_n 15', () => {
    expect(parseTopPerUserParams({})).toEqual({ ok: true, value: { action: 'login', topN: 15 } });
  });

  it('takes the last action as given (exact) and a positive top_n', () => {
    expect(parseTopPerUserParams({ action: ['login', 'authorize_application'], top_n: '3' })).toEqual({
      ok: true,
      value: { action: 'authorize_application', topN: 3 },
    });
    expect(parseTopPerUserParams({ action: '' })).toEqual({ ok: true, value: { action: '', topN: 15 } });
  });

  it.each([
    ['0', 'Ensure this value is greater than or equal to 1.'],
    ['-1', 'Ensure this value is greater than or equal to 1.'],
    ['abc', 'A valid integer is required.'],
    ['', 'A valid integer is required.'],
    ['2.5', 'A valid integer is required.'],
  ])('top_n=%p → 400', (topN, message) => {
    expect(parseTopPerUserParams({ top_n: topN })).toEqual({ ok: false, errors: { top_n: [message] } });
  });
});

describe('parseVolumeParams', () => {
  it.each([
    [undefined, 7],
    ['', 7],
    ['0', 0],
    ['1', 1],
    ['60', 60],
    ['61', 60],
    ['100000', 60],
    [['3', '9'], 9],
  ])('history_days=%p → %p days', (raw, days) => {
    expect(parseVolumeParams({ history_days: raw })).toEqual({ ok: true, value: { historyDays: days } });
  });

  it.each([
    ['-1', 'Ensure this value is greater than or equal to 0.'],
    ['abc', 'A valid integer is required.'],
    ['1.5', 'A valid integer is required.'],
  ])('history_days=%p → 400', (raw, message) => {
    expect(parseVolumeParams({ history_days: raw })).toEqual({ ok: false, errors: { history_days: [message] } });
  });
});

describe('parseStatsParams', () => {
  it(`takes at most ${COUNT_STEPS_MAX} steps, with DRF's ListField max_length message`, () => {
    const steps = (n: number) => Array.from({ length: n }, (_, i) => `hours=${i + 1}`);
    expect(parseStatsParams({ count_steps: steps(COUNT_STEPS_MAX) })).toMatchObject({ ok: true });
    expect(parseStatsParams({ count_steps: steps(COUNT_STEPS_MAX + 1) })).toEqual({
      ok: false,
      errors: { count_steps: [`Ensure this field has no more than ${COUNT_STEPS_MAX} elements.`] },
    });
  });

  it('requires count_steps', () => {
    expect(parseStatsParams({})).toEqual({ ok: false, errors: { count_steps: ['This field is required.'] } });
  });

  it('keys each step by its text without = and ; (authentik examples hours=24, days=7)', () => {
    expect(parseStatsParams({ count_steps: ['hours=24', 'days=7', 'weeks=3;days=2'] })).toEqual({
      ok: true,
      value: {
        steps: [
          { key: 'hours24', micros: 24 * HOUR },
          { key: 'days7', micros: 7 * DAY },
          { key: 'weeks3days2', micros: 23 * DAY },
        ],
      },
    });
  });

  it('accepts a single value and trims whitespace', () => {
    expect(parseStatsParams({ count_steps: ' minutes=90 ' })).toEqual({
      ok: true,
      value: { steps: [{ key: 'minutes90', micros: 90 * 60_000_000 }] },
    });
  });

  it('reports a bad step under its position, in authentik words', () => {
    expect(parseStatsParams({ count_steps: '24d' })).toEqual({
      ok: false,
      errors: { count_steps: { '0': ["24d is not in the correct format of 'hours=3;minutes=1'."] } },
    });
  });

  it('reports every bad step, blank ones in DRF words', () => {
    expect(parseStatsParams({ count_steps: ['hours=1', 'years=1', '', 'days=x'] })).toEqual({
      ok: false,
      errors: {
        count_steps: {
          '1': ["years=1 is not in the correct format of 'hours=3;minutes=1'."],
          '2': ['This field may not be blank.'],
          '3': ["days=x is not in the correct format of 'hours=3;minutes=1'."],
        },
      },
    });
  });

  it('reports NUL characters like a DRF CharField', () => {
    expect(parseStatsParams({ count_steps: 'hours=1\0' })).toEqual({
      ok: false,
      errors: {
        count_steps: {
          '0': ["hours=1\0 is not in the correct format of 'hours=3;minutes=1'.", 'Null characters are not allowed.'],
        },
      },
    });
  });
});

import { passedMilestone } from './export-files';

describe('passedMilestone (export progress lines)', () => {
  it.each([
    [0, 1000, null],
    [9000, 10_000, 10_000],
    [9500, 10_500, 10_000],
    [10_000, 11_000, null],
    [19_000, 31_000, 30_000],
    [0, 0, null],
  ])('from %d to %d rows: %p', (before, total, expected) => {
    expect(passedMilestone(before, total, 10_000)).toBe(expected);
  });
});

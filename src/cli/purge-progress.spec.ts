import { PurgeProgress } from './purge-progress';

describe('PurgeProgress', () => {
  it('stays quiet for a short purge, then reports done/total, percentage, rate and time left every interval', () => {
    let clock = 1_000_000;
    const lines: string[] = [];
    const progress = new PurgeProgress(
      100_000,
      (line) => lines.push(line),
      () => clock,
      5000,
    );
    clock += 1000;
    progress.update(5000);
    expect(lines).toEqual([]);
    clock += 4000;
    progress.update(25_000);
    clock += 1000;
    progress.update(30_000); // within the interval of the last line
    clock += 4000;
    progress.update(50_000);
    expect(lines).toEqual([
      'purge: 25000/100000 expired events deleted (25%), 5000 events/s, about 15 s left',
      'purge: 50000/100000 expired events deleted (50%), 5000 events/s, about 10 s left',
    ]);
  });
});

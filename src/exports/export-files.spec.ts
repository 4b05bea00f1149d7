import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { passedMilestone, writeChunks } from './export-files';

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

describe('writeChunks (export files)', () => {
  it('pulls the next chunk only as the writer takes the one before, however slow the writer', async () => {
    let pulled = 0;
    let written = 0;
    let furthestAhead = 0;
    async function* chunks(): AsyncGenerator<string> {
      for (let i = 0; i < 50; i++) {
        pulled += 1;
        furthestAhead = Math.max(furthestAhead, pulled - written);
        yield 'x'.repeat(1000);
      }
    }
    const slowDisk = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        written += 1;
        // A few turns of the event loop per chunk: a reader that ignored backpressure would run ahead.
        void tick()
          .then(tick)
          .then(tick)
          .then(() => done());
      },
    });
    await writeChunks(chunks(), slowDisk);
    expect(written).toBe(50);
    expect(furthestAhead).toBeLessThanOrEqual(3);
  });
});

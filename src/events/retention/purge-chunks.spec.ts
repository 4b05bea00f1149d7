import { CHUNK_BYTES, CHUNK_ROWS, chunksOf } from './purge-chunks';

const rows = (...sizes: (number | string | null)[]) => sizes.map((bytes, i) => ({ event_uuid: Buffer.from([i]), bytes }));
const shape = (chunks: Buffer[][]) => chunks.map((chunk) => chunk.map((uuid) => uuid[0]));

describe('purge chunks', () => {
  it('keeps the batch order and fills a chunk up to its bytes', () => {
    expect(shape(chunksOf(rows(40, 60, 1, 99, 100), 100, 10))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('puts an event larger than a chunk alone, never leaving it out', () => {
    expect(shape(chunksOf(rows(10, 500, 10), 100, 10))).toEqual([[0], [1], [2]]);
  });

  it('bounds the rows of a chunk too, and reads sizes the driver returns as strings or null', () => {
    expect(shape(chunksOf(rows('1', null, 1, 1, 1), 100, 2))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('gives no chunk for an empty batch', () => {
    expect(chunksOf([])).toEqual([]);
  });

  it('keeps a chunk INSERT below 16 MiB and within SQLite placeholders (10 a revision)', () => {
    expect(CHUNK_BYTES * 2).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(CHUNK_ROWS * 10).toBeLessThan(32_766);
  });
});

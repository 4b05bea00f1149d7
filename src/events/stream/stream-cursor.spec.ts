import { decodeCursor, encodeCursor, STREAM_START } from './stream-cursor';

describe('stream cursor', () => {
  const position = { created: 1_764_190_000_123_456, uuidHex: '0f8e4b5ac1d24f0e9a7b3c2d1e0f9a8b' };

  it('round-trips a position through an opaque base64url token', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(decodeCursor(cursor)).toEqual(position);
    expect(decodeCursor(encodeCursor(STREAM_START))).toEqual(STREAM_START);
    expect(decodeCursor(encodeCursor({ created: Number.MAX_SAFE_INTEGER, uuidHex: 'f'.repeat(32) }))).toEqual({
      created: Number.MAX_SAFE_INTEGER,
      uuidHex: 'f'.repeat(32),
    });
  });

  it('orders like the stream: the token is created, then the uuid, big-endian', () => {
    const bytes = Buffer.from(encodeCursor(position), 'base64url');
    expect(bytes.readBigUInt64BE(0)).toBe(BigInt(position.created));
    expect(bytes.subarray(8).toString('hex')).toBe(position.uuidHex);
  });

  it.each([
    ['empty', ''],
    ['too short', encodeCursor(position).slice(0, 31)],
    ['too long', `${encodeCursor(position)}A`],
    ['padding', `${encodeCursor(position).slice(0, 30)}==`],
    ['standard base64 characters', encodeCursor(position).replace(/^./, '+')],
    ['spaces', ` ${encodeCursor(position).slice(1)}`],
    ['a UUID', '0f8e4b5a-c1d2-4f0e-9a7b-3c2d1e0f9a8b'],
    ['created beyond 2^53', Buffer.concat([Buffer.from('ffffffffffffffff', 'hex'), Buffer.alloc(16)]).toString('base64url')],
  ])('refuses %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});

import type { Micros } from '@app/common';

/** A position in the `created, event_uuid` order: resume strictly after this event. */
export interface StreamPosition {
  created: Micros;
  /** 32 lower-case hex digits. */
  uuidHex: string;
}

const CURSOR = /^[A-Za-z0-9_-]{32}$/;

/**
 * The opaque cursor: base64url (no padding) of 24 bytes, `created` as an unsigned 64-bit
 * big-endian integer followed by the event's 16 UUID bytes. Clients only hand it back.
 */
export function encodeCursor(position: StreamPosition): string {
  const bytes = Buffer.alloc(24);
  bytes.writeBigUInt64BE(BigInt(position.created), 0);
  Buffer.from(position.uuidHex, 'hex').copy(bytes, 8);
  return bytes.toString('base64url');
}

/** The position a cursor names, or null when it is not one this service wrote. */
export function decodeCursor(cursor: string): StreamPosition | null {
  if (!CURSOR.test(cursor)) return null;
  const bytes = Buffer.from(cursor, 'base64url'); // 32 characters of the alphabet: exactly 24 bytes
  const created = bytes.readBigUInt64BE(0);
  if (created > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return { created: Number(created), uuidHex: bytes.subarray(8).toString('hex') };
}

/** Where a stream without a cursor starts: before every event. */
export const STREAM_START: StreamPosition = Object.freeze({ created: 0, uuidHex: '0'.repeat(32) });

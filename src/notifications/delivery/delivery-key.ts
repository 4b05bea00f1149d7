import { createHash } from 'node:crypto';

/**
 * The delivery's uuid, a function of its idempotency key alone: SHA-256 of the key, cut to 128
 * bits and marked as an RFC 9562 version 8 (custom) UUID. Two plans of the same revision give
 * the same uuids, so the second inserts nothing; a receiver sees the same id on every attempt.
 */
export function deliveryUuid(idempotencyKey: string): string {
  const bytes = createHash('sha256').update(idempotencyKey, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

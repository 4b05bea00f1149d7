import { createHash } from 'node:crypto';
import type { TestApp } from '../support/test-app';

export const historyPath = (pk: string) => `/api/v3/events/events/${pk}/history/`;
export const VERIFY = '/api/v3/events/events/verify/';
export const ZERO_HASH = '0'.repeat(64);
export const STATE_FIELDS = ['user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];

/**
 * An auditor's own implementation of README "Verifying the audit chain", written independently
 * of src/: keys sorted, no whitespace, JSON.stringify's strings and numbers (RFC 8785).
 */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of a revision as the history endpoint returns it. */
export function auditorHash(revision: Record<string, unknown>): string {
  const { hash: _hash, prev_hash, ...content } = revision;
  return createHash('sha256')
    .update(canonical(content) + String(prev_hash))
    .digest('hex');
}

/** Checks the links the way an auditor would: consecutive seqs, prev_hash, recomputed hashes. */
export function expectValidChain(revisions: Record<string, any>[]): void {
  revisions.forEach((revision, i) => {
    expect(revision.seq).toBe(i + 1);
    expect(revision.prev_hash).toBe(i === 0 ? ZERO_HASH : revisions[i - 1].hash);
    expect(revision.hash).toBe(auditorHash(revision));
  });
}

export const hex = (pk: string) => pk.replace(/-/g, '');

/** The event's state as revisions record it: the API's event with micro timestamps, minus `pk`. */
export function stateOfEvent(event: Record<string, any>): Record<string, unknown> {
  const { pk: _pk, created, expires, ...rest } = event;
  return { ...rest, created: micros(created), expires: micros(expires) };
}

export const micros = (iso: string) => Date.parse(iso) * 1000 + Number(iso.slice(23, 26));

/** The superuser's snapshot, as revisions name it. */
export async function adminActor(t: TestApp): Promise<Record<string, unknown>> {
  const me = await t.admin.get('/api/v3/core/users/me/');
  const { pk, username, email } = me.body.user;
  return { pk, username, email };
}

const quote = (t: TestApp, name: string) => (t.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
const uuidBytes = (pk: string) => Buffer.from(hex(pk), 'hex');

/** Test setup only: an UPDATE straight in the database, as an attacker with database access would. */
export async function tamperEvent(t: TestApp, pk: string, column: string, value: unknown): Promise<void> {
  await t.dataSource.query(`UPDATE ${quote(t, 'events')} SET ${quote(t, column)} = ? WHERE ${quote(t, 'event_uuid')} = ?`, [
    value,
    uuidBytes(pk),
  ]);
}

export async function tamperRevision(t: TestApp, pk: string, seq: number, column: string, value: unknown): Promise<void> {
  await t.dataSource.query(
    `UPDATE ${quote(t, 'event_revisions')} SET ${quote(t, column)} = ? WHERE ${quote(t, 'event_uuid')} = ? AND ${quote(t, 'seq')} = ?`,
    [value, uuidBytes(pk), seq],
  );
}

export async function deleteRevisionRow(t: TestApp, pk: string, seq: number): Promise<void> {
  await t.dataSource.query(`DELETE FROM ${quote(t, 'event_revisions')} WHERE ${quote(t, 'event_uuid')} = ? AND ${quote(t, 'seq')} = ?`, [
    uuidBytes(pk),
    seq,
  ]);
}

export async function deleteEventRow(t: TestApp, pk: string): Promise<void> {
  await t.dataSource.query(`DELETE FROM ${quote(t, 'events')} WHERE ${quote(t, 'event_uuid')} = ?`, [uuidBytes(pk)]);
}

export async function countRevisions(t: TestApp): Promise<number> {
  const rows = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${quote(t, 'event_revisions')}`);
  return Number(rows[0].n);
}

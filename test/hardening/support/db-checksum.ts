import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The tables the API writes. Tables other modules add (revisions, exports) are left out on purpose. */
export const CHECKSUMMED_TABLES = ['events', 'users', 'tokens', 'roles', 'role_members', 'role_permissions'] as const;

/**
 * Row counts plus a hash of every row of the API's tables, independent of row order and dialect
 * quirks of ordering: two equal checksums mean nothing was written.
 */
export async function databaseChecksum(dataSource: DataSource): Promise<string> {
  const parts: string[] = [];
  for (const table of CHECKSUMMED_TABLES) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM ${table}`);
    const digests = rows.map((row) => createHash('sha256').update(canonicalJson(row)).digest('hex')).sort();
    parts.push(`${table}:${rows.length}:${createHash('sha256').update(digests.join('\n')).digest('hex')}`);
  }
  return parts.join(' ');
}

function canonicalJson(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return JSON.stringify(keys.map((key) => [key, Buffer.isBuffer(row[key]) ? (row[key] as Buffer).toString('hex') : row[key]]));
}

import { DataSource } from 'typeorm';

/**
 * The ids (32 hex digits, no dashes) of every event in the database at `url` (a DATABASE_URL),
 * read directly rather than through the service: what survived is what is on disk.
 */
export async function storedEventIds(url: string): Promise<Set<string>> {
  const dataSource = new DataSource(
    url.startsWith('sqlite:')
      ? { type: 'better-sqlite3', database: url.replace(/^sqlite:/, ''), readonly: true }
      : { type: 'mysql', connectorPackage: 'mysql2', url },
  );
  await dataSource.initialize();
  try {
    const rows: { id: string }[] = await dataSource.query('SELECT LOWER(HEX(event_uuid)) AS id FROM events');
    return new Set(rows.map((row) => row.id));
  } finally {
    await dataSource.destroy();
  }
}

/** The uuids of `pks` that are not among `stored`. */
export function missingFrom(stored: Set<string>, pks: Iterable<string>): string[] {
  return [...pks].filter((pk) => !stored.has(pk.replace(/-/g, '')));
}

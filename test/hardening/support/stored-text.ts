import type { DataSource } from 'typeorm';

/** Every table of the database, whoever added it. */
async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    dataSource.options.type === 'mysql'
      ? await dataSource.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')
      : await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows.map((row) => row.name);
}

/**
 * The tables (and columns) whose stored text contains any of `needles`, every column of every
 * row read as text (binary columns as UTF-8 and hex).
 */
export async function tablesHolding(dataSource: DataSource, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const quote = (name: string) => (dataSource.options.type === 'mysql' ? `\`${name}\`` : `"${name}"`);
  for (const table of await tableNames(dataSource)) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM ${quote(table)}`);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const text = Buffer.isBuffer(value) ? `${value.toString('utf8')} ${value.toString('hex')}` : String(value);
        if (needles.some((needle) => text.includes(needle))) found.push(`${table}.${column}`);
      }
    }
  }
  return [...new Set(found)];
}

import mysql from 'mysql2/promise';

/**
 * Bulk loading into a table with fifteen secondary indexes (most of them on JSON-derived virtual
 * columns) is dominated by random index inserts. Dropping the secondary indexes, loading, and
 * adding them back in one ALTER (a sorted build) is several times faster. The indexes come back
 * exactly as the product's migration created them: the statement is taken from SHOW CREATE TABLE
 * and the result is checked against it.
 */

async function createTable(pool: mysql.Pool, table: string): Promise<string> {
  const [[row]] = await pool.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${table}\``);
  return String(row['Create Table']);
}

function secondaryKeys(ddl: string): string[] {
  return ddl
    .split('\n')
    .map((line) => line.trim().replace(/,$/, ''))
    .filter((line) => /^(UNIQUE |FULLTEXT |SPATIAL )?KEY `/.test(line));
}

const keyName = (definition: string) => /KEY `([^`]+)`/.exec(definition)![1];

/** InnoDB reports no progress for an in-place ALTER, so this only shows that it is still working. */
function reportElapsed(label: string): () => void {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  console.log(`${label} ...`);
  const timer = setInterval(() => console.log(`${label} ... ${elapsed()}`), 15_000);
  return () => {
    clearInterval(timer);
    console.log(`${label}: done in ${elapsed()}`);
  };
}

export async function withoutSecondaryIndexes(pool: mysql.Pool, table: string, load: () => Promise<void>): Promise<void> {
  const before = await createTable(pool, table);
  const keys = secondaryKeys(before);
  if (keys.length > 0) await pool.query(`ALTER TABLE \`${table}\` ${keys.map((k) => `DROP KEY \`${keyName(k)}\``).join(', ')}`);
  await load();
  if (keys.length === 0) return;
  // InnoDB builds one FULLTEXT index per statement; everything else goes in one pass.
  const fulltext = keys.filter((k) => k.startsWith('FULLTEXT'));
  const others = keys.filter((k) => !k.startsWith('FULLTEXT'));
  const done = reportElapsed(`seed: building ${keys.length} indexes`);
  try {
    if (others.length > 0) await pool.query(`ALTER TABLE \`${table}\` ${others.map((k) => `ADD ${k}`).join(', ')}`);
    for (const k of fulltext) await pool.query(`ALTER TABLE \`${table}\` ADD ${k}`);
  } finally {
    done();
  }
  const after = await createTable(pool, table);
  const sorted = (ddl: string) => secondaryKeys(ddl).sort().join('\n');
  if (sorted(after) !== sorted(before)) throw new Error(`${table}: indexes differ from the migration's after the bulk load`);
}

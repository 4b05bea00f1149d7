/**
 * Prints the schema a freshly migrated database ends up with, to compare migrations before and
 * after a refactoring that must not change them: `DATABASE_URL=sqlite:/tmp/x.sqlite` or
 * `DATABASE_URL=mysql://root@127.0.0.1:3306/empty_db` (an empty database), then
 * `npx ts-node -r tsconfig-paths/register --transpile-only scripts/dump-schema.ts > schema.sql`.
 * `SCHEMA_DUMP_REVERT=n` undoes the last n migrations before dumping.
 */
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';

async function main(): Promise<void> {
  const config = loadConfig(process.env, () => 'schema-dump-secret-0123456789');
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  await dataSource.runMigrations();
  // SCHEMA_DUMP_REVERT=n: then undo the last n migrations, to compare what `down` leaves too.
  for (let i = 0; i < Number(process.env.SCHEMA_DUMP_REVERT ?? 0); i++) await dataSource.undoLastMigration();
  if (config.database.type === 'sqlite') {
    const rows = await dataSource.query(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`);
    for (const row of rows) console.log(`-- ${row.type} ${row.name}\n${row.sql};\n`);
  } else {
    const tables = await dataSource.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME',
    );
    for (const { name } of tables) {
      if (name === 'migrations') continue; // its AUTO_INCREMENT counter is not schema
      const [row] = await dataSource.query(`SHOW CREATE TABLE \`${name}\``);
      console.log(`-- table ${name}\n${row['Create Table']};\n`);
    }
    const triggers = await dataSource.query(
      'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME',
    );
    for (const { name } of triggers) {
      const [row] = await dataSource.query(`SHOW CREATE TRIGGER \`${name}\``);
      console.log(`-- trigger ${name}\n${row['SQL Original Statement']};\n`);
    }
  }
  await dataSource.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

#!/usr/bin/env node
// `npm run migration:generate -- Name`: diffs the entities against the database that
// DATABASE_URL points at and writes the migration into that dialect's folder. Add the new class
// to src/database/migrations/index.ts, then generate the same change for the other dialect.
const { spawnSync } = require('node:child_process');

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run migration:generate -- <MigrationName>');
  process.exit(2);
}
const dialect = /^(mysql|mariadb):/i.test(process.env.DATABASE_URL ?? '') ? 'mysql' : 'sqlite';
const result = spawnSync(
  'node',
  [
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    'node_modules/typeorm/cli.js',
    'migration:generate',
    '-d',
    'ormconfig.ts',
    `src/database/migrations/${dialect}/${name}`,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

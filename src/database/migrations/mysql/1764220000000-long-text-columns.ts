import { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGGERS = ['events_count_update', 'events_count_delete', 'events_count_insert'];

const varchar255 = (column: string) => `CHAR_LENGTH(${column}) <= 255`;
const text = (column: string) => `LENGTH(${column}) <= 65535`;

/**
 * Columns that authentik stores as TextField (no length limit) and that were shorter here, with
 * their former type and the most that type held (VARCHAR counts characters, TEXT bytes).
 */
const WIDENED = [
  { table: 'events', column: 'app', longtext: 'longtext NOT NULL', before: 'varchar(255) NOT NULL', fits: varchar255 },
  { table: 'tokens', column: 'managed', longtext: 'longtext NULL', before: 'varchar(255) NULL', fits: varchar255 },
  { table: 'tokens', column: 'description', longtext: 'longtext NOT NULL', before: 'text NOT NULL', fits: text },
  {
    table: 'users',
    column: 'path',
    longtext: "longtext NOT NULL DEFAULT 'users'",
    before: "varchar(255) NOT NULL DEFAULT 'users'",
    fits: varchar255,
  },
  { table: 'users', column: 'name', longtext: 'longtext NOT NULL', before: 'text NOT NULL', fits: text },
  { table: 'users', column: 'attributes', longtext: 'longtext NOT NULL', before: 'text NOT NULL', fits: text },
] as const;

/** The counters' key columns, in key order; `app` is keyed by its digest (see below). */
const KEYS = ['action', 'app', 'context_model_app', 'context_model_name'] as const;

/**
 * What 1764210000000's `up` runs: counts keyed by the plain `app`, rebuilt from the events (for `down`).
 * Written out rather than imported, so that this migration stays the SQL it was.
 */
const COUNTS_BY_KEY_SQL: readonly string[] = [
  `DROP TRIGGER IF EXISTS \`events_count_update\``,
  `DROP TRIGGER IF EXISTS \`events_count_delete\``,
  `DROP TRIGGER IF EXISTS \`events_count_insert\``,
  `DROP TABLE \`event_counts\``,
  `CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) NOT NULL,
      \`app\` varchar(255) NOT NULL,
      \`context_model_app\` varchar(100) NOT NULL,
      \`context_model_name\` varchar(100) NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin`,
  `INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`, \`n\`) SELECT MIN(\`action\`), MIN(\`app\`), MIN(COALESCE(\`context_model_app\`, '')), MIN(COALESCE(\`context_model_name\`, '')), 0, COUNT(*) FROM \`events\` GROUP BY CAST(\`action\` AS BINARY), CAST(\`app\` AS BINARY), CAST(COALESCE(\`context_model_app\`, '') AS BINARY), CAST(COALESCE(\`context_model_name\`, '') AS BINARY)`,
  `CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`, \`n\`) VALUES (NEW.\`action\`, NEW.\`app\`, COALESCE(NEW.\`context_model_app\`, ''), COALESCE(NEW.\`context_model_name\`, ''), CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (1)`,
  `CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`, \`n\`) VALUES (OLD.\`action\`, OLD.\`app\`, COALESCE(OLD.\`context_model_app\`, ''), COALESCE(OLD.\`context_model_name\`, ''), CONNECTION_ID() % 16, -1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (-1)`,
  `CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF CAST(NEW.\`action\` AS BINARY) <> CAST(OLD.\`action\` AS BINARY) OR CAST(NEW.\`app\` AS BINARY) <> CAST(OLD.\`app\` AS BINARY) OR CAST(COALESCE(NEW.\`context_model_app\`, '') AS BINARY) <> CAST(COALESCE(OLD.\`context_model_app\`, '') AS BINARY) OR CAST(COALESCE(NEW.\`context_model_name\`, '') AS BINARY) <> CAST(COALESCE(OLD.\`context_model_name\`, '') AS BINARY) THEN
          INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`, \`n\`) VALUES (NEW.\`action\`, NEW.\`app\`, COALESCE(NEW.\`context_model_app\`, ''), COALESCE(NEW.\`context_model_name\`, ''), CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (1);
          INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`, \`n\`) VALUES (OLD.\`action\`, OLD.\`app\`, COALESCE(OLD.\`context_model_app\`, ''), COALESCE(OLD.\`context_model_name\`, ''), CONNECTION_ID() % 16, -1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (-1);
        END IF;
      END`,
];

/**
 * Long text where authentik has no limit: event `app`, token `managed` and `description`, user
 * `path`, `name` and `attributes` become LONGTEXT, so a long value (up to the request body
 * limit) is stored instead of failing the strict insert with a 500. SQLite never limited them.
 *
 * `event_counts` keys its rows by `app` (its primary key, utf8mb4_nopad_bin). A LONGTEXT cannot
 * be part of a key, so the key holds `app_digest` (SHA-256 of the app's bytes, computed by the
 * triggers) and `app` rides along for `autocomplete`; counts stay exact per byte-distinct app.
 * The table is rebuilt from the events as in 1764210000000. On a big table the ALTER of
 * `events` copies it (minutes for millions of rows).
 */
export class LongTextColumnsMysql1764220000000 implements MigrationInterface {
  name = 'LongTextColumnsMysql1764220000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    for (const { table, column, longtext } of WIDENED) {
      await q.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` ${longtext}`);
    }
    await q.query('DROP TABLE `event_counts`');
    await q.query(`CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) NOT NULL,
      \`app\` longtext NOT NULL,
      \`app_digest\` binary(32) NOT NULL,
      \`context_model_app\` varchar(100) NOT NULL,
      \`context_model_name\` varchar(100) NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`app_digest\`, \`context_model_app\`, \`context_model_name\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin`);
    const key = (row: string, column: string) =>
      column.startsWith('context_') ? `COALESCE(${row}\`${column}\`, '')` : `${row}\`${column}\``;
    const digest = (app: string) => `UNHEX(SHA2(${app}, 256))`;
    const columns = [...KEYS, 'app_digest', 'shard', 'n'].map((c) => `\`${c}\``).join(', ');
    await q.query(
      `INSERT INTO \`event_counts\` (${columns}) ` +
        `SELECT ${KEYS.map((c) => `MIN(${key('', c)})`).join(', ')}, ${digest('MIN(`app`)')}, 0, COUNT(*) FROM \`events\` ` +
        `GROUP BY ${KEYS.map((c) => (c === 'app' ? digest('`app`') : `CAST(${key('', c)} AS BINARY)`)).join(', ')}`,
    );
    const bump = (row: 'NEW' | 'OLD', delta: number) =>
      `INSERT INTO \`event_counts\` (${columns}) ` +
      `VALUES (${KEYS.map((c) => key(`${row}.`, c)).join(', ')}, ${digest(`${row}.\`app\``)}, CONNECTION_ID() % 16, ${delta}) ` +
      `ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (${delta})`;
    const changed = KEYS.map((c) => `CAST(${key('NEW.', c)} AS BINARY) <> CAST(${key('OLD.', c)} AS BINARY)`).join(' OR ');
    await q.query(`CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW ${bump('NEW', 1)}`);
    await q.query(`CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW ${bump('OLD', -1)}`);
    await q.query(`CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF ${changed} THEN
          ${bump('NEW', 1)};
          ${bump('OLD', -1)};
        END IF;
      END`);
  }

  /**
   * Back to the shorter columns, only when every stored value still fits: the revert refuses
   * (and changes nothing) rather than cut audit data.
   */
  async down(q: QueryRunner): Promise<void> {
    for (const { table, column, before, fits } of WIDENED) {
      const [row] = await q.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE NOT ${fits(`\`${column}\``)}`);
      if (Number(row.n) > 0) throw new Error(`cannot revert ${this.name}: ${row.n} values of ${table}.${column} do not fit ${before}`);
    }
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    for (const { table, column, before } of WIDENED) {
      await q.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` ${before}`);
    }
    for (const sql of COUNTS_BY_KEY_SQL) await q.query(sql);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGGERS = ['events_count_update', 'events_count_delete', 'events_count_insert'];

/** Key columns of the model counts: what the list filters count by (a missing model key is ''). */
const MODEL_KEYS = ['action', 'context_model_app', 'context_model_name'] as const;

const key = (row: string, column: string) => (column.startsWith('context_') ? `COALESCE(${row}\`${column}\`, '')` : `${row}\`${column}\``);
const digest = (app: string) => `UNHEX(SHA2(${app}, 256))`;
const bytesDiffer = (a: string, b: string) => `CAST(${a} AS BINARY) <> CAST(${b} AS BINARY)`;
const MODEL_COLUMNS = MODEL_KEYS.map((c) => `\`${c}\``).join(', ');

/** One delta row per connection slot: concurrent writers of one key do not queue on one row lock. */
const modelDelta = (row: 'NEW' | 'OLD', delta: number) =>
  `INSERT INTO \`event_count_deltas\` (${MODEL_COLUMNS}, \`slot\`, \`n\`) ` +
  `VALUES (${MODEL_KEYS.map((c) => key(`${row}.`, c)).join(', ')}, CONNECTION_ID() % 16, ${delta}) ` +
  `ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (${delta})`;
const appDelta = (row: 'NEW' | 'OLD', delta: number) =>
  `INSERT INTO \`event_app_count_deltas\` (\`app_digest\`, \`app\`, \`slot\`, \`n\`) ` +
  `VALUES (${digest(`${row}.\`app\``)}, ${row}.\`app\`, CONNECTION_ID() % 16, ${delta}) ` +
  `ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (${delta})`;

/**
 * What 1764220000000's `up` leaves: one table keyed by action, app (its digest), model app and
 * model name, with a shard per connection, rebuilt from the events (for `down`: the split counts
 * below cannot be recombined into that key). Written out, so this migration stays the SQL it was.
 */
const COUNTS_BY_KEY_SQL: readonly string[] = [
  `CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) NOT NULL,
      \`app\` longtext NOT NULL,
      \`app_digest\` binary(32) NOT NULL,
      \`context_model_app\` varchar(100) NOT NULL,
      \`context_model_name\` varchar(100) NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`app_digest\`, \`context_model_app\`, \`context_model_name\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin`,
  `INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`app_digest\`, \`shard\`, \`n\`) SELECT MIN(\`action\`), MIN(\`app\`), MIN(COALESCE(\`context_model_app\`, '')), MIN(COALESCE(\`context_model_name\`, '')), UNHEX(SHA2(MIN(\`app\`), 256)), 0, COUNT(*) FROM \`events\` GROUP BY CAST(\`action\` AS BINARY), UNHEX(SHA2(\`app\`, 256)), CAST(COALESCE(\`context_model_app\`, '') AS BINARY), CAST(COALESCE(\`context_model_name\`, '') AS BINARY)`,
  `CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`app_digest\`, \`shard\`, \`n\`) VALUES (NEW.\`action\`, NEW.\`app\`, COALESCE(NEW.\`context_model_app\`, ''), COALESCE(NEW.\`context_model_name\`, ''), UNHEX(SHA2(NEW.\`app\`, 256)), CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (1)`,
  `CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`app_digest\`, \`shard\`, \`n\`) VALUES (OLD.\`action\`, OLD.\`app\`, COALESCE(OLD.\`context_model_app\`, ''), COALESCE(OLD.\`context_model_name\`, ''), UNHEX(SHA2(OLD.\`app\`, 256)), CONNECTION_ID() % 16, -1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (-1)`,
  `CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF CAST(NEW.\`action\` AS BINARY) <> CAST(OLD.\`action\` AS BINARY) OR CAST(NEW.\`app\` AS BINARY) <> CAST(OLD.\`app\` AS BINARY) OR CAST(COALESCE(NEW.\`context_model_app\`, '') AS BINARY) <> CAST(COALESCE(OLD.\`context_model_app\`, '') AS BINARY) OR CAST(COALESCE(NEW.\`context_model_name\`, '') AS BINARY) <> CAST(COALESCE(OLD.\`context_model_name\`, '') AS BINARY) THEN
          INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`app_digest\`, \`shard\`, \`n\`) VALUES (NEW.\`action\`, NEW.\`app\`, COALESCE(NEW.\`context_model_app\`, ''), COALESCE(NEW.\`context_model_name\`, ''), UNHEX(SHA2(NEW.\`app\`, 256)), CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (1);
          INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`app_digest\`, \`shard\`, \`n\`) VALUES (OLD.\`action\`, OLD.\`app\`, COALESCE(OLD.\`context_model_app\`, ''), COALESCE(OLD.\`context_model_name\`, ''), UNHEX(SHA2(OLD.\`app\`, 256)), CONNECTION_ID() % 16, -1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (-1);
        END IF;
      END`,
];

/**
 * Counters whose size follows the live keys, not every key ever written (issue 17 item 5). The
 * one table keyed by (action, app, model app, model name, shard) grew by up to 16 rows for every
 * new key and never shrank, so a client writing many distinct `app` values slowed every count.
 * Now the counts are split by what reads need:
 * - `event_counts` (action, model app, model name): what a list's count adds up; no `app`, so
 *   distinct apps never reach the first page's count;
 * - `event_app_counts` (the app's SHA-256, the app): `autocomplete`'s apps.
 * Triggers add each change to a `…_deltas` table (a row per key and connection slot, as the shards
 * were); a fold job (src/events/counters/) moves the deltas into the totals every few seconds and
 * deletes the totals that reach zero, in transactions, so a read that adds totals and deltas is
 * exact at every instant. The totals are the sums of the former table's rows.
 */
export class EventCountsFoldedMysql1796660000000 implements MigrationInterface {
  name = 'EventCountsFoldedMysql1796660000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    await q.query('RENAME TABLE `event_counts` TO `event_counts_by_key`');
    const bin = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin';
    const modelColumns = `\`action\` varchar(64) NOT NULL,
      \`context_model_app\` varchar(100) NOT NULL,
      \`context_model_name\` varchar(100) NOT NULL,`;
    await q.query(`CREATE TABLE \`event_counts\` (${modelColumns}
      \`n\` bigint NOT NULL,
      PRIMARY KEY (${MODEL_COLUMNS})
    ) ${bin}`);
    await q.query(`CREATE TABLE \`event_count_deltas\` (${modelColumns}
      \`slot\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (${MODEL_COLUMNS}, \`slot\`)
    ) ${bin}`);
    await q.query(`CREATE TABLE \`event_app_counts\` (
      \`app_digest\` binary(32) NOT NULL,
      \`app\` longtext NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`app_digest\`)
    ) ${bin}`);
    await q.query(`CREATE TABLE \`event_app_count_deltas\` (
      \`app_digest\` binary(32) NOT NULL,
      \`app\` longtext NOT NULL,
      \`slot\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`app_digest\`, \`slot\`)
    ) ${bin}`);
    await q.query(
      `INSERT INTO \`event_counts\` (${MODEL_COLUMNS}, \`n\`) SELECT ${MODEL_COLUMNS}, SUM(\`n\`) FROM \`event_counts_by_key\` ` +
        `GROUP BY ${MODEL_COLUMNS} HAVING SUM(\`n\`) <> 0`,
    );
    await q.query(
      'INSERT INTO `event_app_counts` (`app_digest`, `app`, `n`) SELECT `app_digest`, MIN(`app`), SUM(`n`) FROM `event_counts_by_key` ' +
        'GROUP BY `app_digest` HAVING SUM(`n`) <> 0',
    );
    await q.query('DROP TABLE `event_counts_by_key`');
    const modelChanged = MODEL_KEYS.map((c) => bytesDiffer(key('NEW.', c), key('OLD.', c))).join(' OR ');
    await q.query(`CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW
      BEGIN
        ${modelDelta('NEW', 1)};
        ${appDelta('NEW', 1)};
      END`);
    await q.query(`CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW
      BEGIN
        ${modelDelta('OLD', -1)};
        ${appDelta('OLD', -1)};
      END`);
    await q.query(`CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF ${modelChanged} THEN
          ${modelDelta('NEW', 1)};
          ${modelDelta('OLD', -1)};
        END IF;
        IF ${bytesDiffer('NEW.`app`', 'OLD.`app`')} THEN
          ${appDelta('NEW', 1)};
          ${appDelta('OLD', -1)};
        END IF;
      END`);
  }

  /** Back to one table keyed by every column (1764220000000's), rebuilt from the events. */
  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    for (const table of ['event_app_count_deltas', 'event_app_counts', 'event_count_deltas', 'event_counts']) {
      await q.query(`DROP TABLE \`${table}\``);
    }
    for (const sql of COUNTS_BY_KEY_SQL) await q.query(sql);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGGERS = ['events_count_update', 'events_count_delete', 'events_count_insert'];

/** The counters' key: the events' own columns (the model ones generated from `context`). */
const KEYS = ['action', 'app', 'context_model_app', 'context_model_name'] as const;

/**
 * What 1764200000000's `up` runs: counts by action only, rebuilt from the events (for `down`).
 * Written out rather than imported, so that this migration stays the SQL it was.
 */
const COUNTS_BY_ACTION_SQL: readonly string[] = [
  `CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  `INSERT INTO \`event_counts\` (\`action\`, \`shard\`, \`n\`) SELECT \`action\`, 0, COUNT(*) FROM \`events\` GROUP BY \`action\``,
  `CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW INSERT INTO \`event_counts\` (\`action\`, \`shard\`, \`n\`) VALUES (NEW.\`action\`, CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (1)`,
  `CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW INSERT INTO \`event_counts\` (\`action\`, \`shard\`, \`n\`) VALUES (OLD.\`action\`, CONNECTION_ID() % 16, -1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (-1)`,
  `CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF NEW.\`action\` <> OLD.\`action\` THEN
          INSERT INTO \`event_counts\` (\`action\`, \`shard\`, \`n\`) VALUES (NEW.\`action\`, CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (1);
          INSERT INTO \`event_counts\` (\`action\`, \`shard\`, \`n\`) VALUES (OLD.\`action\`, CONNECTION_ID() % 16, -1) ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (-1);
        END IF;
      END`,
];

/**
 * `event_counts` keyed by action, app, `context.model.app` and `context.model.model_name`
 * (instead of action alone), so that more lists count without reading events:
 * - `autocomplete` gets the apps of the visible events from these rows instead of a scan of every
 *   event (`app` has no index; at ten million rows the scan ran past the statement time limit and
 *   the list answered 503);
 * - lists filtered by `action`/`actions`, `context_model_app` and `context_model_name` add up rows
 *   here instead of counting a range of tens of thousands of index entries per request.
 * A missing model key is stored as '' (a filter never asks for ''). Keys compare by their exact
 * bytes (utf8mb4_nopad_bin): `App` and `app`, or `x` and `x `, are different keys, as in the
 * filters. Sharding is as in 1764200000000; an update moves the count when any key changes.
 */
export class EventCountsByKeyMysql1764210000000 implements MigrationInterface {
  name = 'EventCountsByKeyMysql1764210000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    await q.query('DROP TABLE `event_counts`');
    await q.query(`CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) NOT NULL,
      \`app\` varchar(255) NOT NULL,
      \`context_model_app\` varchar(100) NOT NULL,
      \`context_model_name\` varchar(100) NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`app\`, \`context_model_app\`, \`context_model_name\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin`);
    const key = (row: string, column: string) =>
      column.startsWith('context_') ? `COALESCE(${row}\`${column}\`, '')` : `${row}\`${column}\``;
    await q.query(
      `INSERT INTO \`event_counts\` (${KEYS.map((c) => `\`${c}\``).join(', ')}, \`shard\`, \`n\`) ` +
        `SELECT ${KEYS.map((c) => `MIN(${key('', c)})`).join(', ')}, 0, COUNT(*) FROM \`events\` ` +
        `GROUP BY ${KEYS.map((c) => `CAST(${key('', c)} AS BINARY)`).join(', ')}`,
    );
    const bump = (row: 'NEW' | 'OLD', delta: number) =>
      `INSERT INTO \`event_counts\` (${KEYS.map((c) => `\`${c}\``).join(', ')}, \`shard\`, \`n\`) ` +
      `VALUES (${KEYS.map((c) => key(`${row}.`, c)).join(', ')}, CONNECTION_ID() % 16, ${delta}) ` +
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

  /** Back to counts by action only (1764200000000's table and triggers). */
  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    await q.query('DROP TABLE `event_counts`');
    for (const sql of COUNTS_BY_ACTION_SQL) await q.query(sql);
  }
}

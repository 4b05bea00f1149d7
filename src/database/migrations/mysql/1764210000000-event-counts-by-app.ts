import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventCountsMysql1764200000000 } from './1764200000000-event-counts';

const TRIGGERS = ['events_count_update', 'events_count_delete', 'events_count_insert'];

/**
 * `event_counts` keyed by action AND app, so the list's `autocomplete` gets the apps of the
 * visible events from these few rows instead of a scan of every event (`app` has no index; at
 * ten million rows the scan ran past the statement time limit and the list answered 503). Both
 * keys compare by bytes: `App` and `app` are different apps, as in the events themselves.
 * Sharding and the triggers are as in 1764200000000; an update moves the count when either key
 * changes.
 */
export class EventCountsByAppMysql1764210000000 implements MigrationInterface {
  name = 'EventCountsByAppMysql1764210000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    await q.query('DROP TABLE `event_counts`');
    await q.query(`CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) COLLATE utf8mb4_bin NOT NULL,
      \`app\` varchar(255) COLLATE utf8mb4_bin NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`app\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await q.query(
      'INSERT INTO `event_counts` (`action`, `app`, `shard`, `n`) SELECT MIN(`action`), MIN(`app`), 0, COUNT(*) FROM `events` ' +
        'GROUP BY CAST(`action` AS BINARY), CAST(`app` AS BINARY)',
    );
    const bump = (row: 'NEW' | 'OLD', delta: number) =>
      `INSERT INTO \`event_counts\` (\`action\`, \`app\`, \`shard\`, \`n\`) VALUES (${row}.\`action\`, ${row}.\`app\`, CONNECTION_ID() % 16, ${delta}) ` +
      `ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (${delta})`;
    await q.query(`CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW ${bump('NEW', 1)}`);
    await q.query(`CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW ${bump('OLD', -1)}`);
    await q.query(`CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF CAST(NEW.\`action\` AS BINARY) <> CAST(OLD.\`action\` AS BINARY) OR CAST(NEW.\`app\` AS BINARY) <> CAST(OLD.\`app\` AS BINARY) THEN
          ${bump('NEW', 1)};
          ${bump('OLD', -1)};
        END IF;
      END`);
  }

  /** Back to counts by action only (1764200000000's table and triggers). */
  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    await q.query('DROP TABLE `event_counts`');
    await new EventCountsMysql1764200000000().up(q);
  }
}

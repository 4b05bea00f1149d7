import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exact list counts without scanning: `event_counts` holds how many rows of `events` carry each
 * action, kept by triggers on every insert, delete and action change, whatever writes the row
 * (the API, the purge, an operator's SQL). A list filtered by nothing or only by action adds
 * these up and subtracts the few expired rows the purge has not removed yet.
 *
 * Each connection updates its own shard row (CONNECTION_ID() % 16), so concurrent inserts of
 * the same action do not queue on one row lock; a count sums the shards.
 */
export class EventCountsMysql1764200000000 implements MigrationInterface {
  name = 'EventCountsMysql1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`event_counts\` (
      \`action\` varchar(64) NOT NULL,
      \`shard\` smallint NOT NULL,
      \`n\` bigint NOT NULL,
      PRIMARY KEY (\`action\`, \`shard\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query('INSERT INTO `event_counts` (`action`, `shard`, `n`) SELECT `action`, 0, COUNT(*) FROM `events` GROUP BY `action`');
    const bump = (action: string, delta: number) =>
      `INSERT INTO \`event_counts\` (\`action\`, \`shard\`, \`n\`) VALUES (${action}, CONNECTION_ID() % 16, ${delta}) ` +
      `ON DUPLICATE KEY UPDATE \`n\` = \`n\` + (${delta})`;
    await q.query(`CREATE TRIGGER \`events_count_insert\` AFTER INSERT ON \`events\` FOR EACH ROW ${bump('NEW.`action`', 1)}`);
    await q.query(`CREATE TRIGGER \`events_count_delete\` AFTER DELETE ON \`events\` FOR EACH ROW ${bump('OLD.`action`', -1)}`);
    await q.query(`CREATE TRIGGER \`events_count_update\` AFTER UPDATE ON \`events\` FOR EACH ROW
      BEGIN
        IF NEW.\`action\` <> OLD.\`action\` THEN
          ${bump('NEW.`action`', 1)};
          ${bump('OLD.`action`', -1)};
        END IF;
      END`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const trigger of ['events_count_update', 'events_count_delete', 'events_count_insert']) {
      await q.query(`DROP TRIGGER IF EXISTS \`${trigger}\``);
    }
    await q.query('DROP TABLE `event_counts`');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain of docs/api-contract.md §7 and the data exports of docs/api-contract.md §3.5.
 *
 * `events` gains its chain head (the latest revision's seq and hash): a write reads it with the
 * row it locks, so appending a revision needs no extra query. Adding columns at the end is an
 * instant ALTER on MariaDB 10.3+, whatever the table's size. Revisions are keyed by
 * (event_uuid, seq): an event's history is one primary-key range, a duplicate seq is impossible,
 * and the purge deletes by the key's prefix.
 */
export class EventRevisionsMysql1764190000000 implements MigrationInterface {
  name = 'EventRevisionsMysql1764190000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    const hex64 = 'char(64) CHARACTER SET ascii COLLATE ascii_bin';
    await q.query(`ALTER TABLE \`events\`
      ADD COLUMN \`revision_seq\` int NOT NULL DEFAULT 0,
      ADD COLUMN \`revision_hash\` ${hex64} NULL`);
    await q.query(`CREATE TABLE \`event_revisions\` (
      \`event_uuid\` binary(16) NOT NULL,
      \`seq\` int NOT NULL,
      \`kind\` varchar(8) NOT NULL,
      \`actor\` longtext NOT NULL,
      \`recorded\` bigint NOT NULL,
      \`fields\` longtext NOT NULL,
      \`before_state\` longtext NULL,
      \`after_state\` longtext NULL,
      \`prev_hash\` ${hex64} NOT NULL,
      \`hash\` ${hex64} NOT NULL,
      PRIMARY KEY (\`event_uuid\`, \`seq\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`data_exports\` (
      \`id\` varchar(36) NOT NULL,
      \`requested_by\` int NULL,
      \`requested_on\` bigint NOT NULL,
      \`content_type\` varchar(100) NOT NULL,
      \`query_params\` longtext NOT NULL,
      \`completed\` tinyint NOT NULL DEFAULT 0,
      \`completed_on\` bigint NULL,
      PRIMARY KEY (\`id\`),
      KEY \`idx_data_exports_requested_by\` (\`requested_by\`, \`requested_on\`),
      KEY \`idx_data_exports_requested_on\` (\`requested_on\`),
      CONSTRAINT \`fk_data_exports_user\` FOREIGN KEY (\`requested_by\`) REFERENCES \`users\` (\`id\`) ON DELETE SET NULL
    ) ${opts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE `data_exports`');
    await q.query('DROP TABLE `event_revisions`');
    await q.query('ALTER TABLE `events` DROP COLUMN `revision_hash`, DROP COLUMN `revision_seq`');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery pipeline of notifications (issue 15).
 *
 * `event_outbox`: one row per saved event revision, inserted in the event's own transaction, so
 * "check the rules for this save" commits exactly when the save does. Narrow and with no index
 * but its auto-increment key: the claim reads it in key order (`FOR UPDATE SKIP LOCKED`) and the
 * planner deletes what it planned.
 *
 * `notification_deliveries`: one row per planned delivery. Its key is derived from the
 * delivery's idempotency key (event, revision, rule, transport, recipient slot), so planning the
 * same revision twice inserts nothing new (INSERT IGNORE). `next_attempt_at` is when it is due;
 * a worker that claims it moves it forward by its lease, so a claim whose worker died becomes due
 * again. Indexes: due rows by status, a transport's log, and finished rows for pruning.
 */
export class NotificationDeliveryMysql1796670000000 implements MigrationInterface {
  name = 'NotificationDeliveryMysql1796670000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    const ascii = 'CHARACTER SET ascii COLLATE ascii_bin';
    await q.query(`CREATE TABLE \`event_outbox\` (
      \`id\` bigint NOT NULL AUTO_INCREMENT,
      \`event_uuid\` binary(16) NOT NULL,
      \`revision\` char(64) ${ascii} NOT NULL,
      \`recorded\` bigint NOT NULL,
      PRIMARY KEY (\`id\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`notification_deliveries\` (
      \`uuid\` varchar(36) NOT NULL,
      \`idempotency_key\` varchar(255) ${ascii} NOT NULL,
      \`event_uuid\` varchar(36) NOT NULL,
      \`revision\` char(64) ${ascii} NOT NULL,
      \`rule_uuid\` varchar(36) NOT NULL,
      \`transport_uuid\` varchar(36) NOT NULL,
      \`recipient_id\` int NOT NULL,
      \`severity\` varchar(16) NOT NULL,
      \`status\` varchar(16) NOT NULL,
      \`attempts\` int NOT NULL DEFAULT 0,
      \`next_attempt_at\` bigint NULL,
      \`last_error\` longtext NULL,
      \`created\` bigint NOT NULL,
      \`finished\` bigint NULL,
      PRIMARY KEY (\`uuid\`),
      KEY \`idx_notification_deliveries_due\` (\`status\`, \`next_attempt_at\`),
      KEY \`idx_notification_deliveries_transport\` (\`transport_uuid\`, \`created\`),
      KEY \`idx_notification_deliveries_finished\` (\`finished\`),
      CONSTRAINT \`fk_notification_deliveries_transport\` FOREIGN KEY (\`transport_uuid\`) REFERENCES \`notification_transports\` (\`uuid\`) ON DELETE CASCADE
    ) ${opts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE `notification_deliveries`');
    await q.query('DROP TABLE `event_outbox`');
  }
}

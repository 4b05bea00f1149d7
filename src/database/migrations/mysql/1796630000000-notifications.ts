import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification transports and notifications (issue 15). */
export class NotificationsMysql1796630000000 implements MigrationInterface {
  name = 'NotificationsMysql1796630000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE \`notification_transports\` (
      \`uuid\` varchar(36) NOT NULL,
      \`name\` varchar(255) NOT NULL,
      \`mode\` varchar(16) NOT NULL DEFAULT 'local',
      \`webhook_url\` longtext NOT NULL,
      \`send_once\` tinyint NOT NULL DEFAULT 0,
      \`email_subject_prefix\` longtext NOT NULL,
      \`email_template\` longtext NOT NULL,
      \`signing_secret_sealed\` longtext NULL,
      PRIMARY KEY (\`uuid\`),
      UNIQUE KEY \`uq_notification_transports_name\` (\`name\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`notifications\` (
      \`uuid\` varchar(36) NOT NULL,
      \`severity\` varchar(16) NOT NULL,
      \`body\` longtext NOT NULL,
      \`hyperlink\` longtext NULL,
      \`hyperlink_label\` longtext NULL,
      \`created\` bigint NOT NULL,
      \`event_uuid\` varchar(36) NULL,
      \`seen\` tinyint NOT NULL DEFAULT 0,
      \`user_id\` int NOT NULL,
      PRIMARY KEY (\`uuid\`),
      KEY \`idx_notifications_user_seen\` (\`user_id\`, \`seen\`),
      CONSTRAINT \`fk_notifications_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE
    ) ${opts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE `notifications`');
    await q.query('DROP TABLE `notification_transports`');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification transports and notifications (issue 15; see the mysql migration). */
export class NotificationsSqlite1796630000000 implements MigrationInterface {
  name = 'NotificationsSqlite1796630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notification_transports" (
      "uuid" varchar(36) PRIMARY KEY NOT NULL,
      "name" varchar(255) NOT NULL UNIQUE,
      "mode" varchar(16) NOT NULL DEFAULT 'local',
      "webhook_url" text NOT NULL,
      "send_once" boolean NOT NULL DEFAULT 0,
      "email_subject_prefix" text NOT NULL,
      "email_template" text NOT NULL,
      "signing_secret_sealed" text NULL
    )`);
    await q.query(`CREATE TABLE "notifications" (
      "uuid" varchar(36) PRIMARY KEY NOT NULL,
      "severity" varchar(16) NOT NULL,
      "body" text NOT NULL,
      "hyperlink" text NULL,
      "hyperlink_label" text NULL,
      "created" bigint NOT NULL,
      "event_uuid" varchar(36) NULL,
      "seen" boolean NOT NULL DEFAULT 0,
      "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
    )`);
    await q.query('CREATE INDEX "idx_notifications_user_seen" ON "notifications" ("user_id", "seen")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "notifications"');
    await q.query('DROP TABLE "notification_transports"');
  }
}

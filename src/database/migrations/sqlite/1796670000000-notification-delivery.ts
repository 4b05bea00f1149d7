import { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox of saved events and the notification deliveries (issue 15; see the mysql migration). */
export class NotificationDeliverySqlite1796670000000 implements MigrationInterface {
  name = 'NotificationDeliverySqlite1796670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "event_outbox" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "event_uuid" blob NOT NULL,
      "revision" char(64) NOT NULL,
      "recorded" bigint NOT NULL
    )`);
    await q.query(`CREATE TABLE "notification_deliveries" (
      "uuid" varchar(36) PRIMARY KEY NOT NULL,
      "idempotency_key" varchar(255) NOT NULL,
      "event_uuid" varchar(36) NOT NULL,
      "revision" char(64) NOT NULL,
      "rule_uuid" varchar(36) NOT NULL,
      "transport_uuid" varchar(36) NOT NULL REFERENCES "notification_transports" ("uuid") ON DELETE CASCADE,
      "recipient_id" integer NOT NULL,
      "severity" varchar(16) NOT NULL,
      "status" varchar(16) NOT NULL,
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" bigint NULL,
      "last_error" text NULL,
      "created" bigint NOT NULL,
      "finished" bigint NULL
    )`);
    await q.query('CREATE INDEX "idx_notification_deliveries_due" ON "notification_deliveries" ("status", "next_attempt_at")');
    await q.query('CREATE INDEX "idx_notification_deliveries_transport" ON "notification_deliveries" ("transport_uuid", "created")');
    await q.query('CREATE INDEX "idx_notification_deliveries_finished" ON "notification_deliveries" ("finished")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "notification_deliveries"');
    await q.query('DROP TABLE "event_outbox"');
  }
}

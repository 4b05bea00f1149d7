import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification rules and the transports they use (issue 15; see the mysql migration). */
export class NotificationRulesSqlite1796640000000 implements MigrationInterface {
  name = 'NotificationRulesSqlite1796640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notification_rules" (
      "pbm_uuid" varchar(36) PRIMARY KEY NOT NULL REFERENCES "policy_binding_models" ("pbm_uuid") ON DELETE CASCADE,
      "name" varchar(255) NOT NULL UNIQUE,
      "severity" varchar(16) NOT NULL DEFAULT 'notice',
      "destination_group_uuid" varchar(36) NULL REFERENCES "groups" ("group_uuid") ON DELETE SET NULL,
      "destination_event_user" boolean NOT NULL DEFAULT 0
    )`);
    await q.query('CREATE INDEX "idx_notification_rules_group" ON "notification_rules" ("destination_group_uuid")');
    await q.query(`CREATE TABLE "notification_rule_transports" (
      "rule_uuid" varchar(36) NOT NULL REFERENCES "notification_rules" ("pbm_uuid") ON DELETE CASCADE,
      "transport_uuid" varchar(36) NOT NULL REFERENCES "notification_transports" ("uuid") ON DELETE CASCADE,
      "position" integer NOT NULL,
      PRIMARY KEY ("rule_uuid", "transport_uuid")
    )`);
    await q.query('CREATE INDEX "idx_notification_rule_transports_transport" ON "notification_rule_transports" ("transport_uuid")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "notification_rule_transports"');
    await q.query('DROP TABLE "notification_rules"');
  }
}

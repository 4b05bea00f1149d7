import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification rules and the transports they use (issue 15). A rule's key is its
 * `policy_binding_models` row: deleting that row deletes the rule (and its bindings) as
 * Django's multi-table cascade does; a deleted group leaves its rules without a destination.
 */
export class NotificationRulesMysql1796640000000 implements MigrationInterface {
  name = 'NotificationRulesMysql1796640000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE \`notification_rules\` (
      \`pbm_uuid\` varchar(36) NOT NULL,
      \`name\` varchar(255) NOT NULL,
      \`severity\` varchar(16) NOT NULL DEFAULT 'notice',
      \`destination_group_uuid\` varchar(36) NULL,
      \`destination_event_user\` tinyint NOT NULL DEFAULT 0,
      PRIMARY KEY (\`pbm_uuid\`),
      UNIQUE KEY \`uq_notification_rules_name\` (\`name\`),
      KEY \`idx_notification_rules_group\` (\`destination_group_uuid\`),
      CONSTRAINT \`fk_notification_rules_target\` FOREIGN KEY (\`pbm_uuid\`) REFERENCES \`policy_binding_models\` (\`pbm_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_notification_rules_group\` FOREIGN KEY (\`destination_group_uuid\`) REFERENCES \`groups\` (\`group_uuid\`) ON DELETE SET NULL
    ) ${opts}`);
    await q.query(`CREATE TABLE \`notification_rule_transports\` (
      \`rule_uuid\` varchar(36) NOT NULL,
      \`transport_uuid\` varchar(36) NOT NULL,
      \`position\` int NOT NULL,
      PRIMARY KEY (\`rule_uuid\`, \`transport_uuid\`),
      KEY \`idx_notification_rule_transports_transport\` (\`transport_uuid\`),
      CONSTRAINT \`fk_notification_rule_transports_rule\` FOREIGN KEY (\`rule_uuid\`) REFERENCES \`notification_rules\` (\`pbm_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_notification_rule_transports_transport\` FOREIGN KEY (\`transport_uuid\`) REFERENCES \`notification_transports\` (\`uuid\`) ON DELETE CASCADE
    ) ${opts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE `notification_rule_transports`');
    await q.query('DROP TABLE `notification_rules`');
  }
}

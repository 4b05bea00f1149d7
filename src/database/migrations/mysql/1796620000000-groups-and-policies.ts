import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The group every user marked superuser before groups existed is moved into (authentik's name). */
const ADMINS_GROUP = 'authentik Admins';

/**
 * Groups (members, parents, roles), event-matcher policies, binding targets and policy bindings
 * (issue 15). A user's superuser status now comes from membership of an `is_superuser` group, as
 * in authentik, so the users marked superuser become members of one and the column goes.
 */
export class GroupsAndPoliciesMysql1796620000000 implements MigrationInterface {
  name = 'GroupsAndPoliciesMysql1796620000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE \`groups\` (
      \`group_uuid\` varchar(36) NOT NULL,
      \`name\` varchar(255) NOT NULL,
      \`is_superuser\` tinyint NOT NULL DEFAULT 0,
      \`attributes\` longtext NOT NULL,
      PRIMARY KEY (\`group_uuid\`),
      UNIQUE KEY \`uq_groups_name\` (\`name\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`group_members\` (
      \`group_uuid\` varchar(36) NOT NULL,
      \`user_id\` int NOT NULL,
      PRIMARY KEY (\`group_uuid\`, \`user_id\`),
      KEY \`idx_group_members_user\` (\`user_id\`),
      CONSTRAINT \`fk_group_members_group\` FOREIGN KEY (\`group_uuid\`) REFERENCES \`groups\` (\`group_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_group_members_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE
    ) ${opts}`);
    await q.query(`CREATE TABLE \`group_parents\` (
      \`child_uuid\` varchar(36) NOT NULL,
      \`parent_uuid\` varchar(36) NOT NULL,
      PRIMARY KEY (\`child_uuid\`, \`parent_uuid\`),
      KEY \`idx_group_parents_parent\` (\`parent_uuid\`),
      CONSTRAINT \`fk_group_parents_child\` FOREIGN KEY (\`child_uuid\`) REFERENCES \`groups\` (\`group_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_group_parents_parent\` FOREIGN KEY (\`parent_uuid\`) REFERENCES \`groups\` (\`group_uuid\`) ON DELETE CASCADE
    ) ${opts}`);
    await q.query(`CREATE TABLE \`group_roles\` (
      \`group_uuid\` varchar(36) NOT NULL,
      \`role_uuid\` varchar(36) NOT NULL,
      PRIMARY KEY (\`group_uuid\`, \`role_uuid\`),
      KEY \`idx_group_roles_role\` (\`role_uuid\`),
      CONSTRAINT \`fk_group_roles_group\` FOREIGN KEY (\`group_uuid\`) REFERENCES \`groups\` (\`group_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_group_roles_role\` FOREIGN KEY (\`role_uuid\`) REFERENCES \`roles\` (\`uuid\`) ON DELETE CASCADE
    ) ${opts}`);
    await q.query(`CREATE TABLE \`event_matcher_policies\` (
      \`policy_uuid\` varchar(36) NOT NULL,
      \`name\` varchar(255) NOT NULL,
      \`execution_logging\` tinyint NOT NULL DEFAULT 0,
      \`created\` bigint NOT NULL,
      \`last_updated\` bigint NOT NULL,
      \`action\` varchar(100) NULL,
      \`client_ip\` longtext NULL,
      \`app\` varchar(255) NULL,
      \`model\` varchar(255) NULL,
      \`query\` longtext NULL,
      PRIMARY KEY (\`policy_uuid\`),
      UNIQUE KEY \`uq_event_matcher_policies_name\` (\`name\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`policy_binding_models\` (
      \`pbm_uuid\` varchar(36) NOT NULL,
      \`kind\` varchar(100) NOT NULL,
      PRIMARY KEY (\`pbm_uuid\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`policy_bindings\` (
      \`policy_binding_uuid\` varchar(36) NOT NULL,
      \`enabled\` tinyint NOT NULL DEFAULT 1,
      \`policy_uuid\` varchar(36) NULL,
      \`group_uuid\` varchar(36) NULL,
      \`user_id\` int NULL,
      \`target_uuid\` varchar(36) NOT NULL,
      \`negate\` tinyint NOT NULL DEFAULT 0,
      \`timeout\` int NOT NULL DEFAULT 30,
      \`failure_result\` tinyint NOT NULL DEFAULT 0,
      \`position\` int NOT NULL,
      \`expires\` bigint NULL,
      \`expiring\` tinyint NOT NULL DEFAULT 0,
      PRIMARY KEY (\`policy_binding_uuid\`),
      UNIQUE KEY \`uq_policy_bindings_policy_target_position\` (\`policy_uuid\`, \`target_uuid\`, \`position\`),
      KEY \`idx_policy_bindings_target\` (\`target_uuid\`, \`position\`),
      KEY \`idx_policy_bindings_group\` (\`group_uuid\`),
      KEY \`idx_policy_bindings_user\` (\`user_id\`),
      CONSTRAINT \`fk_policy_bindings_policy\` FOREIGN KEY (\`policy_uuid\`) REFERENCES \`event_matcher_policies\` (\`policy_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_policy_bindings_group\` FOREIGN KEY (\`group_uuid\`) REFERENCES \`groups\` (\`group_uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_policy_bindings_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_policy_bindings_target\` FOREIGN KEY (\`target_uuid\`) REFERENCES \`policy_binding_models\` (\`pbm_uuid\`) ON DELETE CASCADE
    ) ${opts}`);

    const superusers = await q.query('SELECT COUNT(*) AS n FROM `users` WHERE `is_superuser` = 1');
    if (Number(superusers[0].n) > 0) {
      const uuid = randomUUID();
      await q.query("INSERT INTO `groups` (`group_uuid`, `name`, `is_superuser`, `attributes`) VALUES (?, ?, 1, '{}')", [
        uuid,
        ADMINS_GROUP,
      ]);
      await q.query('INSERT INTO `group_members` (`group_uuid`, `user_id`) SELECT ?, `id` FROM `users` WHERE `is_superuser` = 1', [uuid]);
    }
    await q.query('ALTER TABLE `users` DROP COLUMN `is_superuser`');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE `users` ADD COLUMN `is_superuser` tinyint NOT NULL DEFAULT 0 AFTER `is_active`');
    await q.query(
      'UPDATE `users` SET `is_superuser` = 1 WHERE `id` IN (SELECT m.`user_id` FROM `group_members` m JOIN `groups` g ON g.`group_uuid` = m.`group_uuid` WHERE g.`is_superuser` = 1)',
    );
    for (const table of [
      'policy_bindings',
      'policy_binding_models',
      'event_matcher_policies',
      'group_roles',
      'group_parents',
      'group_members',
      'groups',
    ]) {
      await q.query(`DROP TABLE \`${table}\``);
    }
  }
}

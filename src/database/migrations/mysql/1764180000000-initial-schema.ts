import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every list index ends in (created, event_uuid, expires): rows come out in the list's order
 * (ties broken by the key) and the visibility check `expires > now` is answered from the index
 * itself, so a page is an index-only scan until the final row lookups.
 */
const LIST_KEY_TAIL = '`created`, `event_uuid`, `expires`';

/**
 * Identity tables and the events table for MariaDB/MySQL. The events table is built for tens of
 * millions of rows: a 16-byte binary primary key, BIGINT microsecond timestamps, and indexed
 * virtual columns for every JSON path a filter looks up, each index ending in `created` so a
 * filtered list is read in order straight from the index.
 */
export class InitialSchemaMysql1764180000000 implements MigrationInterface {
  name = 'InitialSchemaMysql1764180000000';

  async up(q: QueryRunner): Promise<void> {
    const opts = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await q.query(`CREATE TABLE \`users\` (
      \`id\` int NOT NULL AUTO_INCREMENT,
      \`uuid\` varchar(36) NOT NULL,
      \`username\` varchar(150) NOT NULL,
      \`name\` text NOT NULL,
      \`email\` varchar(254) NOT NULL DEFAULT '',
      \`is_active\` tinyint NOT NULL DEFAULT 1,
      \`is_superuser\` tinyint NOT NULL DEFAULT 0,
      \`last_login\` bigint NULL,
      \`date_joined\` bigint NOT NULL,
      \`last_updated\` bigint NOT NULL,
      \`password_change_date\` bigint NULL,
      \`path\` varchar(255) NOT NULL DEFAULT 'users',
      \`type\` varchar(32) NOT NULL DEFAULT 'internal',
      \`attributes\` text NOT NULL,
      PRIMARY KEY (\`id\`),
      UNIQUE KEY \`uq_users_uuid\` (\`uuid\`),
      UNIQUE KEY \`uq_users_username\` (\`username\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`tokens\` (
      \`token_uuid\` varchar(36) NOT NULL,
      \`identifier\` varchar(255) NOT NULL,
      \`key_digest\` varchar(64) NOT NULL,
      \`key_encrypted\` text NOT NULL,
      \`intent\` varchar(16) NOT NULL DEFAULT 'verification',
      \`user_id\` int NOT NULL,
      \`description\` text NOT NULL,
      \`expires\` bigint NULL,
      \`expiring\` tinyint NOT NULL DEFAULT 1,
      \`managed\` varchar(255) NULL,
      PRIMARY KEY (\`token_uuid\`),
      UNIQUE KEY \`uq_tokens_identifier\` (\`identifier\`),
      UNIQUE KEY \`idx_tokens_key_digest\` (\`key_digest\`),
      KEY \`idx_tokens_user_id\` (\`user_id\`),
      CONSTRAINT \`fk_tokens_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE
    ) ${opts}`);
    await q.query(`CREATE TABLE \`roles\` (
      \`uuid\` varchar(36) NOT NULL,
      \`name\` varchar(150) NOT NULL,
      PRIMARY KEY (\`uuid\`),
      UNIQUE KEY \`uq_roles_name\` (\`name\`)
    ) ${opts}`);
    await q.query(`CREATE TABLE \`role_members\` (
      \`role_uuid\` varchar(36) NOT NULL,
      \`user_id\` int NOT NULL,
      PRIMARY KEY (\`role_uuid\`, \`user_id\`),
      KEY \`idx_role_members_user\` (\`user_id\`),
      CONSTRAINT \`fk_role_members_role\` FOREIGN KEY (\`role_uuid\`) REFERENCES \`roles\` (\`uuid\`) ON DELETE CASCADE,
      CONSTRAINT \`fk_role_members_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE
    ) ${opts}`);
    await q.query(`CREATE TABLE \`role_permissions\` (
      \`role_uuid\` varchar(36) NOT NULL,
      \`codename\` varchar(100) NOT NULL,
      PRIMARY KEY (\`role_uuid\`, \`codename\`),
      CONSTRAINT \`fk_role_permissions_role\` FOREIGN KEY (\`role_uuid\`) REFERENCES \`roles\` (\`uuid\`) ON DELETE CASCADE
    ) ${opts}`);

    // The generated columns are written out, not built from event.entity.ts: a migration is frozen
    // SQL, and a later change to the entity must not change what this one did.
    await q.query(`CREATE TABLE \`events\` (
      \`event_uuid\` binary(16) NOT NULL,
      \`user\` longtext NOT NULL,
      \`action\` varchar(64) NOT NULL,
      \`app\` varchar(255) NOT NULL,
      \`context\` longtext NOT NULL,
      \`client_ip\` varchar(45) NULL,
      \`created\` bigint NOT NULL,
      \`expires\` bigint NOT NULL,
      \`brand\` longtext NOT NULL,
      \`user_pk\` varchar(64) AS (LEFT(JSON_VALUE(\`user\`, '$.pk'), 64)) VIRTUAL,
      \`user_username\` varchar(191) AS (LEFT(JSON_VALUE(\`user\`, '$.username'), 191)) VIRTUAL,
      \`context_username\` varchar(191) AS (LEFT(JSON_VALUE(\`context\`, '$.username'), 191)) VIRTUAL,
      \`context_model_app\` varchar(100) AS (LEFT(JSON_VALUE(\`context\`, '$.model.app'), 100)) VIRTUAL,
      \`context_model_name\` varchar(100) AS (LEFT(JSON_VALUE(\`context\`, '$.model.model_name'), 100)) VIRTUAL,
      \`context_model_pk\` varchar(64) AS (LEFT(REPLACE(JSON_VALUE(\`context\`, '$.model.pk'), '-', ''), 64)) VIRTUAL,
      \`context_authorized_app\` varchar(64) AS (LEFT(REPLACE(JSON_VALUE(\`context\`, '$.authorized_application.pk'), '-', ''), 64)) VIRTUAL,
      \`context_device\` varchar(64) AS (LEFT(REPLACE(JSON_VALUE(\`context\`, '$.device.pk'), '-', ''), 64)) VIRTUAL,
      \`brand_name\` varchar(191) AS (LEFT(JSON_VALUE(\`brand\`, '$.name'), 191)) VIRTUAL,
      PRIMARY KEY (\`event_uuid\`),
      KEY \`idx_events_created\` (${LIST_KEY_TAIL}),
      KEY \`idx_events_expires\` (\`expires\`),
      KEY \`idx_events_action_created\` (\`action\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_client_ip_created\` (\`client_ip\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_user_pk_created\` (\`user_pk\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_user_username_created\` (\`user_username\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_context_username_created\` (\`context_username\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_context_model_app_created\` (\`context_model_app\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_context_model_name_created\` (\`context_model_name\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_context_model_pk_created\` (\`context_model_pk\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_context_authorized_app_created\` (\`context_authorized_app\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_context_device_created\` (\`context_device\`, ${LIST_KEY_TAIL}),
      KEY \`idx_events_brand_name_created\` (\`brand_name\`, ${LIST_KEY_TAIL})
    ) ${opts}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['events', 'role_permissions', 'role_members', 'roles', 'tokens', 'users']) {
      await q.query(`DROP TABLE \`${table}\``);
    }
  }
}

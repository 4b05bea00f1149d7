import { MigrationInterface, QueryRunner } from 'typeorm';

/** The MariaDB schema (see the mysql migration) as far as SQLite allows. */
export class InitialSchemaSqlite1764180000000 implements MigrationInterface {
  name = 'InitialSchemaSqlite1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "users" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "uuid" varchar(36) NOT NULL UNIQUE,
      "username" varchar(150) NOT NULL UNIQUE,
      "name" text NOT NULL,
      "email" varchar(254) NOT NULL DEFAULT '',
      "is_active" boolean NOT NULL DEFAULT 1,
      "is_superuser" boolean NOT NULL DEFAULT 0,
      "last_login" bigint NULL,
      "date_joined" bigint NOT NULL,
      "last_updated" bigint NOT NULL,
      "password_change_date" bigint NULL,
      "path" varchar(255) NOT NULL DEFAULT 'users',
      "type" varchar(32) NOT NULL DEFAULT 'internal',
      "attributes" text NOT NULL
    )`);
    await q.query(`CREATE TABLE "tokens" (
      "token_uuid" varchar(36) PRIMARY KEY NOT NULL,
      "identifier" varchar(255) NOT NULL UNIQUE,
      "key_digest" varchar(64) NOT NULL,
      "key_encrypted" text NOT NULL,
      "intent" varchar(16) NOT NULL DEFAULT 'verification',
      "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
      "description" text NOT NULL,
      "expires" bigint NULL,
      "expiring" boolean NOT NULL DEFAULT 1,
      "managed" varchar(255) NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX "idx_tokens_key_digest" ON "tokens" ("key_digest")`);
    await q.query(`CREATE INDEX "idx_tokens_user_id" ON "tokens" ("user_id")`);
    await q.query(`CREATE TABLE "roles" (
      "uuid" varchar(36) PRIMARY KEY NOT NULL,
      "name" varchar(150) NOT NULL UNIQUE
    )`);
    await q.query(`CREATE TABLE "role_members" (
      "role_uuid" varchar(36) NOT NULL REFERENCES "roles" ("uuid") ON DELETE CASCADE,
      "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
      PRIMARY KEY ("role_uuid", "user_id")
    )`);
    await q.query(`CREATE INDEX "idx_role_members_user" ON "role_members" ("user_id")`);
    await q.query(`CREATE TABLE "role_permissions" (
      "role_uuid" varchar(36) NOT NULL REFERENCES "roles" ("uuid") ON DELETE CASCADE,
      "codename" varchar(100) NOT NULL,
      PRIMARY KEY ("role_uuid", "codename")
    )`);

    // The generated columns are written out, not built from event.entity.ts: a migration is frozen
    // SQL, and a later change to the entity must not change what this one did.
    await q.query(`CREATE TABLE "events" (
      "event_uuid" blob PRIMARY KEY NOT NULL,
      "user" text NOT NULL,
      "action" varchar(64) NOT NULL,
      "app" varchar(255) NOT NULL,
      "context" text NOT NULL,
      "client_ip" varchar(45) NULL,
      "created" bigint NOT NULL,
      "expires" bigint NOT NULL,
      "brand" text NOT NULL,
      "user_pk" varchar(64) GENERATED ALWAYS AS (substr(CAST(json_extract("user", '$.pk') AS TEXT), 1, 64)) VIRTUAL,
      "user_username" varchar(191) GENERATED ALWAYS AS (substr(CAST(json_extract("user", '$.username') AS TEXT), 1, 191)) VIRTUAL,
      "context_username" varchar(191) GENERATED ALWAYS AS (substr(CAST(json_extract("context", '$.username') AS TEXT), 1, 191)) VIRTUAL,
      "context_model_app" varchar(100) GENERATED ALWAYS AS (substr(CAST(json_extract("context", '$.model.app') AS TEXT), 1, 100)) VIRTUAL,
      "context_model_name" varchar(100) GENERATED ALWAYS AS (substr(CAST(json_extract("context", '$.model.model_name') AS TEXT), 1, 100)) VIRTUAL,
      "context_model_pk" varchar(64) GENERATED ALWAYS AS (substr(replace(json_extract("context", '$.model.pk'), '-', ''), 1, 64)) VIRTUAL,
      "context_authorized_app" varchar(64) GENERATED ALWAYS AS (substr(replace(json_extract("context", '$.authorized_application.pk'), '-', ''), 1, 64)) VIRTUAL,
      "context_device" varchar(64) GENERATED ALWAYS AS (substr(replace(json_extract("context", '$.device.pk'), '-', ''), 1, 64)) VIRTUAL,
      "brand_name" varchar(191) GENERATED ALWAYS AS (substr(CAST(json_extract("brand", '$.name') AS TEXT), 1, 191)) VIRTUAL
    )`);
    // As on MariaDB, list indexes end in (created, event_uuid, expires) and so cover the list scan.
    const tail = '"created", "event_uuid", "expires"';
    await q.query(`CREATE INDEX "idx_events_created" ON "events" (${tail})`);
    await q.query(`CREATE INDEX "idx_events_expires" ON "events" ("expires")`);
    await q.query(`CREATE INDEX "idx_events_action_created" ON "events" ("action", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_client_ip_created" ON "events" ("client_ip", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_user_pk_created" ON "events" ("user_pk", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_user_username_created" ON "events" ("user_username", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_context_username_created" ON "events" ("context_username", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_context_model_app_created" ON "events" ("context_model_app", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_context_model_name_created" ON "events" ("context_model_name", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_context_model_pk_created" ON "events" ("context_model_pk", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_context_authorized_app_created" ON "events" ("context_authorized_app", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_context_device_created" ON "events" ("context_device", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_brand_name_created" ON "events" ("brand_name", ${tail})`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['events', 'role_permissions', 'role_members', 'roles', 'tokens', 'users']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}

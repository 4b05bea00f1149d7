import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_JSON_COLUMNS, EventJsonColumn, jsonColumnExpression } from '../../../events/event.entity';

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

    const jsonColumns = Object.keys(EVENT_JSON_COLUMNS) as EventJsonColumn[];
    const generated = jsonColumns
      .map((c) => `"${c}" varchar(${EVENT_JSON_COLUMNS[c].length}) GENERATED ALWAYS AS (${jsonColumnExpression('sqlite', c)}) VIRTUAL`)
      .join(',\n      ');
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
      ${generated}
    )`);
    // As on MariaDB, list indexes end in (created, event_uuid, expires) and so cover the list scan.
    const tail = '"created", "event_uuid", "expires"';
    await q.query(`CREATE INDEX "idx_events_created" ON "events" (${tail})`);
    await q.query(`CREATE INDEX "idx_events_expires" ON "events" ("expires")`);
    await q.query(`CREATE INDEX "idx_events_action_created" ON "events" ("action", ${tail})`);
    await q.query(`CREATE INDEX "idx_events_client_ip_created" ON "events" ("client_ip", ${tail})`);
    for (const c of jsonColumns) {
      await q.query(`CREATE INDEX "idx_events_${c}_created" ON "events" ("${c}", ${tail})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['events', 'role_permissions', 'role_members', 'roles', 'tokens', 'users']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}

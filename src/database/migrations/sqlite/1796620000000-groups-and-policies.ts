import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

const ADMINS_GROUP = 'authentik Admins';

/** Groups, event-matcher policies, binding targets and bindings (see the mysql migration). */
export class GroupsAndPoliciesSqlite1796620000000 implements MigrationInterface {
  name = 'GroupsAndPoliciesSqlite1796620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "groups" (
      "group_uuid" varchar(36) PRIMARY KEY NOT NULL,
      "name" varchar(255) NOT NULL UNIQUE,
      "is_superuser" boolean NOT NULL DEFAULT 0,
      "attributes" text NOT NULL
    )`);
    await q.query(`CREATE TABLE "group_members" (
      "group_uuid" varchar(36) NOT NULL REFERENCES "groups" ("group_uuid") ON DELETE CASCADE,
      "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
      PRIMARY KEY ("group_uuid", "user_id")
    )`);
    await q.query(`CREATE INDEX "idx_group_members_user" ON "group_members" ("user_id")`);
    await q.query(`CREATE TABLE "group_parents" (
      "child_uuid" varchar(36) NOT NULL REFERENCES "groups" ("group_uuid") ON DELETE CASCADE,
      "parent_uuid" varchar(36) NOT NULL REFERENCES "groups" ("group_uuid") ON DELETE CASCADE,
      PRIMARY KEY ("child_uuid", "parent_uuid")
    )`);
    await q.query(`CREATE INDEX "idx_group_parents_parent" ON "group_parents" ("parent_uuid")`);
    await q.query(`CREATE TABLE "group_roles" (
      "group_uuid" varchar(36) NOT NULL REFERENCES "groups" ("group_uuid") ON DELETE CASCADE,
      "role_uuid" varchar(36) NOT NULL REFERENCES "roles" ("uuid") ON DELETE CASCADE,
      PRIMARY KEY ("group_uuid", "role_uuid")
    )`);
    await q.query(`CREATE INDEX "idx_group_roles_role" ON "group_roles" ("role_uuid")`);
    await q.query(`CREATE TABLE "event_matcher_policies" (
      "policy_uuid" varchar(36) PRIMARY KEY NOT NULL,
      "name" varchar(255) NOT NULL UNIQUE,
      "execution_logging" boolean NOT NULL DEFAULT 0,
      "created" bigint NOT NULL,
      "last_updated" bigint NOT NULL,
      "action" varchar(100) NULL,
      "client_ip" text NULL,
      "app" varchar(255) NULL,
      "model" varchar(255) NULL,
      "query" text NULL
    )`);
    await q.query(`CREATE TABLE "policy_binding_models" (
      "pbm_uuid" varchar(36) PRIMARY KEY NOT NULL,
      "kind" varchar(100) NOT NULL
    )`);
    await q.query(`CREATE TABLE "policy_bindings" (
      "policy_binding_uuid" varchar(36) PRIMARY KEY NOT NULL,
      "enabled" boolean NOT NULL DEFAULT 1,
      "policy_uuid" varchar(36) NULL REFERENCES "event_matcher_policies" ("policy_uuid") ON DELETE CASCADE,
      "group_uuid" varchar(36) NULL REFERENCES "groups" ("group_uuid") ON DELETE CASCADE,
      "user_id" integer NULL REFERENCES "users" ("id") ON DELETE CASCADE,
      "target_uuid" varchar(36) NOT NULL REFERENCES "policy_binding_models" ("pbm_uuid") ON DELETE CASCADE,
      "negate" boolean NOT NULL DEFAULT 0,
      "timeout" integer NOT NULL DEFAULT 30,
      "failure_result" boolean NOT NULL DEFAULT 0,
      "position" integer NOT NULL,
      "expires" bigint NULL,
      "expiring" boolean NOT NULL DEFAULT 0
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_policy_bindings_policy_target_position" ON "policy_bindings" ("policy_uuid", "target_uuid", "position")`,
    );
    await q.query(`CREATE INDEX "idx_policy_bindings_target" ON "policy_bindings" ("target_uuid", "position")`);
    await q.query(`CREATE INDEX "idx_policy_bindings_group" ON "policy_bindings" ("group_uuid")`);
    await q.query(`CREATE INDEX "idx_policy_bindings_user" ON "policy_bindings" ("user_id")`);

    const superusers = await q.query('SELECT COUNT(*) AS n FROM "users" WHERE "is_superuser" = 1');
    if (Number(superusers[0].n) > 0) {
      const uuid = randomUUID();
      await q.query(`INSERT INTO "groups" ("group_uuid", "name", "is_superuser", "attributes") VALUES (?, ?, 1, '{}')`, [
        uuid,
        ADMINS_GROUP,
      ]);
      await q.query('INSERT INTO "group_members" ("group_uuid", "user_id") SELECT ?, "id" FROM "users" WHERE "is_superuser" = 1', [uuid]);
    }
    await q.query('ALTER TABLE "users" DROP COLUMN "is_superuser"');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "users" ADD COLUMN "is_superuser" boolean NOT NULL DEFAULT 0');
    await q.query(
      'UPDATE "users" SET "is_superuser" = 1 WHERE "id" IN (SELECT m."user_id" FROM "group_members" m JOIN "groups" g ON g."group_uuid" = m."group_uuid" WHERE g."is_superuser" = 1)',
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
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}

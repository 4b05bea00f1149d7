import { MigrationInterface, QueryRunner } from 'typeorm';

/** The MariaDB migration of the same name (the audit chain and data exports), for SQLite. */
export class EventRevisionsSqlite1764190000000 implements MigrationInterface {
  name = 'EventRevisionsSqlite1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "events" ADD COLUMN "revision_seq" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "events" ADD COLUMN "revision_hash" varchar(64) NULL`);
    await q.query(`CREATE TABLE "event_revisions" (
      "event_uuid" blob NOT NULL,
      "seq" integer NOT NULL,
      "kind" varchar(8) NOT NULL,
      "actor" text NOT NULL,
      "recorded" bigint NOT NULL,
      "fields" text NOT NULL,
      "before_state" text NULL,
      "after_state" text NULL,
      "prev_hash" varchar(64) NOT NULL,
      "hash" varchar(64) NOT NULL,
      PRIMARY KEY ("event_uuid", "seq")
    )`);
    await q.query(`CREATE TABLE "data_exports" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "requested_by" integer NULL REFERENCES "users" ("id") ON DELETE SET NULL,
      "requested_on" bigint NOT NULL,
      "content_type" varchar(100) NOT NULL,
      "query_params" text NOT NULL,
      "completed" boolean NOT NULL DEFAULT 0,
      "completed_on" bigint NULL
    )`);
    await q.query(`CREATE INDEX "idx_data_exports_requested_by" ON "data_exports" ("requested_by", "requested_on")`);
    await q.query(`CREATE INDEX "idx_data_exports_requested_on" ON "data_exports" ("requested_on")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "data_exports"`);
    await q.query(`DROP TABLE "event_revisions"`);
    await q.query(`ALTER TABLE "events" DROP COLUMN "revision_hash"`);
    await q.query(`ALTER TABLE "events" DROP COLUMN "revision_seq"`);
  }
}

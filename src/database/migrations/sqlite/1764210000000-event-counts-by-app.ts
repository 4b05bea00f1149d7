import { MigrationInterface, QueryRunner } from 'typeorm';
import { EventCountsSqlite1764200000000 } from './1764200000000-event-counts';

const TRIGGERS = ['events_count_update', 'events_count_delete', 'events_count_insert'];

/** `event_counts` keyed by action and app (see the mysql migration). SQLite compares bytes already. */
export class EventCountsByAppSqlite1764210000000 implements MigrationInterface {
  name = 'EventCountsByAppSqlite1764210000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    await q.query('DROP TABLE "event_counts"');
    await q.query(`CREATE TABLE "event_counts" (
      "action" varchar(64) NOT NULL,
      "app" varchar(255) NOT NULL,
      "shard" integer NOT NULL,
      "n" integer NOT NULL,
      PRIMARY KEY ("action", "app", "shard")
    )`);
    await q.query(
      'INSERT INTO "event_counts" ("action", "app", "shard", "n") SELECT "action", "app", 0, COUNT(*) FROM "events" GROUP BY "action", "app"',
    );
    const bump = (row: 'NEW' | 'OLD', delta: number) =>
      `INSERT INTO "event_counts" ("action", "app", "shard", "n") VALUES (${row}."action", ${row}."app", 0, ${delta}) ` +
      `ON CONFLICT ("action", "app", "shard") DO UPDATE SET "n" = "n" + (${delta});`;
    await q.query(`CREATE TRIGGER "events_count_insert" AFTER INSERT ON "events" BEGIN ${bump('NEW', 1)} END`);
    await q.query(`CREATE TRIGGER "events_count_delete" AFTER DELETE ON "events" BEGIN ${bump('OLD', -1)} END`);
    await q.query(`CREATE TRIGGER "events_count_update" AFTER UPDATE OF "action", "app" ON "events"
      WHEN NEW."action" <> OLD."action" OR NEW."app" <> OLD."app"
      BEGIN ${bump('NEW', 1)} ${bump('OLD', -1)} END`);
  }

  /** Back to counts by action only (1764200000000's table and triggers). */
  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    await q.query('DROP TABLE "event_counts"');
    await new EventCountsSqlite1764200000000().up(q);
  }
}

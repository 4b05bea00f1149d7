import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-action event counts kept by triggers (see the mysql migration). SQLite has one writer: one shard. */
export class EventCountsSqlite1764200000000 implements MigrationInterface {
  name = 'EventCountsSqlite1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "event_counts" (
      "action" varchar(64) NOT NULL,
      "shard" integer NOT NULL,
      "n" integer NOT NULL,
      PRIMARY KEY ("action", "shard")
    )`);
    await q.query('INSERT INTO "event_counts" ("action", "shard", "n") SELECT "action", 0, COUNT(*) FROM "events" GROUP BY "action"');
    const bump = (action: string, delta: number) =>
      `INSERT INTO "event_counts" ("action", "shard", "n") VALUES (${action}, 0, ${delta}) ` +
      `ON CONFLICT ("action", "shard") DO UPDATE SET "n" = "n" + (${delta});`;
    await q.query(`CREATE TRIGGER "events_count_insert" AFTER INSERT ON "events" BEGIN ${bump('NEW."action"', 1)} END`);
    await q.query(`CREATE TRIGGER "events_count_delete" AFTER DELETE ON "events" BEGIN ${bump('OLD."action"', -1)} END`);
    await q.query(`CREATE TRIGGER "events_count_update" AFTER UPDATE OF "action" ON "events"
      WHEN NEW."action" <> OLD."action"
      BEGIN ${bump('NEW."action"', 1)} ${bump('OLD."action"', -1)} END`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const trigger of ['events_count_update', 'events_count_delete', 'events_count_insert']) {
      await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    }
    await q.query('DROP TABLE "event_counts"');
  }
}

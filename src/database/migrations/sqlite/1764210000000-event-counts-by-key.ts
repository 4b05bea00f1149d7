import { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGGERS = ['events_count_update', 'events_count_delete', 'events_count_insert'];
const KEYS = ['action', 'app', 'context_model_app', 'context_model_name'] as const;

/**
 * What 1764200000000's `up` runs: counts by action only, rebuilt from the events (for `down`).
 * Written out rather than imported, so that this migration stays the SQL it was.
 */
const COUNTS_BY_ACTION_SQL: readonly string[] = [
  `CREATE TABLE "event_counts" (
      "action" varchar(64) NOT NULL,
      "shard" integer NOT NULL,
      "n" integer NOT NULL,
      PRIMARY KEY ("action", "shard")
    )`,
  `INSERT INTO "event_counts" ("action", "shard", "n") SELECT "action", 0, COUNT(*) FROM "events" GROUP BY "action"`,
  `CREATE TRIGGER "events_count_insert" AFTER INSERT ON "events" BEGIN INSERT INTO "event_counts" ("action", "shard", "n") VALUES (NEW."action", 0, 1) ON CONFLICT ("action", "shard") DO UPDATE SET "n" = "n" + (1); END`,
  `CREATE TRIGGER "events_count_delete" AFTER DELETE ON "events" BEGIN INSERT INTO "event_counts" ("action", "shard", "n") VALUES (OLD."action", 0, -1) ON CONFLICT ("action", "shard") DO UPDATE SET "n" = "n" + (-1); END`,
  `CREATE TRIGGER "events_count_update" AFTER UPDATE OF "action" ON "events"
      WHEN NEW."action" <> OLD."action"
      BEGIN INSERT INTO "event_counts" ("action", "shard", "n") VALUES (NEW."action", 0, 1) ON CONFLICT ("action", "shard") DO UPDATE SET "n" = "n" + (1); INSERT INTO "event_counts" ("action", "shard", "n") VALUES (OLD."action", 0, -1) ON CONFLICT ("action", "shard") DO UPDATE SET "n" = "n" + (-1); END`,
];

/** `event_counts` keyed by action, app and the model's app and name (see the mysql migration). SQLite compares bytes already. */
export class EventCountsByKeySqlite1764210000000 implements MigrationInterface {
  name = 'EventCountsByKeySqlite1764210000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    await q.query('DROP TABLE "event_counts"');
    await q.query(`CREATE TABLE "event_counts" (
      "action" varchar(64) NOT NULL,
      "app" varchar(255) NOT NULL,
      "context_model_app" varchar(100) NOT NULL,
      "context_model_name" varchar(100) NOT NULL,
      "shard" integer NOT NULL,
      "n" integer NOT NULL,
      PRIMARY KEY ("action", "app", "context_model_app", "context_model_name", "shard")
    )`);
    const key = (row: string, column: string) => (column.startsWith('context_') ? `COALESCE(${row}"${column}", '')` : `${row}"${column}"`);
    const columns = `${KEYS.map((c) => `"${c}"`).join(', ')}, "shard", "n"`;
    await q.query(
      `INSERT INTO "event_counts" (${columns}) SELECT ${KEYS.map((c) => key('', c)).join(', ')}, 0, COUNT(*) FROM "events" ` +
        `GROUP BY ${KEYS.map((c) => key('', c)).join(', ')}`,
    );
    const bump = (row: 'NEW' | 'OLD', delta: number) =>
      `INSERT INTO "event_counts" (${columns}) VALUES (${KEYS.map((c) => key(`${row}.`, c)).join(', ')}, 0, ${delta}) ` +
      `ON CONFLICT (${KEYS.map((c) => `"${c}"`).join(', ')}, "shard") DO UPDATE SET "n" = "n" + (${delta});`;
    const changed = KEYS.map((c) => `${key('NEW.', c)} <> ${key('OLD.', c)}`).join(' OR ');
    await q.query(`CREATE TRIGGER "events_count_insert" AFTER INSERT ON "events" BEGIN ${bump('NEW', 1)} END`);
    await q.query(`CREATE TRIGGER "events_count_delete" AFTER DELETE ON "events" BEGIN ${bump('OLD', -1)} END`);
    await q.query(`CREATE TRIGGER "events_count_update" AFTER UPDATE OF "action", "app", "context" ON "events"
      WHEN ${changed}
      BEGIN ${bump('NEW', 1)} ${bump('OLD', -1)} END`);
  }

  /** Back to counts by action only (1764200000000's table and triggers). */
  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    await q.query('DROP TABLE "event_counts"');
    for (const sql of COUNTS_BY_ACTION_SQL) await q.query(sql);
  }
}

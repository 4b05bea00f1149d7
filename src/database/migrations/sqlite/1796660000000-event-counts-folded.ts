import { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGGERS = ['events_app_count_update', 'events_count_update', 'events_count_delete', 'events_count_insert'];
const MODEL_KEYS = ['action', 'context_model_app', 'context_model_name'] as const;
const MODEL_COLUMNS = MODEL_KEYS.map((c) => `"${c}"`).join(', ');

const key = (row: string, column: string) => (column.startsWith('context_') ? `COALESCE(${row}"${column}", '')` : `${row}"${column}"`);

/** SQLite has one writer: one slot (0) is enough; the column keeps both databases' tables alike. */
const modelDelta = (row: 'NEW' | 'OLD', delta: number) =>
  `INSERT INTO "event_count_deltas" (${MODEL_COLUMNS}, "slot", "n") VALUES (${MODEL_KEYS.map((c) => key(`${row}.`, c)).join(', ')}, 0, ${delta}) ` +
  `ON CONFLICT (${MODEL_COLUMNS}, "slot") DO UPDATE SET "n" = "n" + (${delta});`;
const appDelta = (row: 'NEW' | 'OLD', delta: number) =>
  `INSERT INTO "event_app_count_deltas" ("app", "slot", "n") VALUES (${row}."app", 0, ${delta}) ` +
  `ON CONFLICT ("app", "slot") DO UPDATE SET "n" = "n" + (${delta});`;

/**
 * What 1764210000000's `up` leaves: one table keyed by action, app, model app and model name,
 * rebuilt from the events (for `down`). Written out, so this migration stays the SQL it was.
 */
const COUNTS_BY_KEY_SQL: readonly string[] = [
  `CREATE TABLE "event_counts" (
      "action" varchar(64) NOT NULL,
      "app" varchar(255) NOT NULL,
      "context_model_app" varchar(100) NOT NULL,
      "context_model_name" varchar(100) NOT NULL,
      "shard" integer NOT NULL,
      "n" integer NOT NULL,
      PRIMARY KEY ("action", "app", "context_model_app", "context_model_name", "shard")
    )`,
  `INSERT INTO "event_counts" ("action", "app", "context_model_app", "context_model_name", "shard", "n") SELECT "action", "app", COALESCE("context_model_app", ''), COALESCE("context_model_name", ''), 0, COUNT(*) FROM "events" GROUP BY "action", "app", COALESCE("context_model_app", ''), COALESCE("context_model_name", '')`,
  `CREATE TRIGGER "events_count_insert" AFTER INSERT ON "events" BEGIN INSERT INTO "event_counts" ("action", "app", "context_model_app", "context_model_name", "shard", "n") VALUES (NEW."action", NEW."app", COALESCE(NEW."context_model_app", ''), COALESCE(NEW."context_model_name", ''), 0, 1) ON CONFLICT ("action", "app", "context_model_app", "context_model_name", "shard") DO UPDATE SET "n" = "n" + (1); END`,
  `CREATE TRIGGER "events_count_delete" AFTER DELETE ON "events" BEGIN INSERT INTO "event_counts" ("action", "app", "context_model_app", "context_model_name", "shard", "n") VALUES (OLD."action", OLD."app", COALESCE(OLD."context_model_app", ''), COALESCE(OLD."context_model_name", ''), 0, -1) ON CONFLICT ("action", "app", "context_model_app", "context_model_name", "shard") DO UPDATE SET "n" = "n" + (-1); END`,
  `CREATE TRIGGER "events_count_update" AFTER UPDATE OF "action", "app", "context" ON "events"
      WHEN NEW."action" <> OLD."action" OR NEW."app" <> OLD."app" OR COALESCE(NEW."context_model_app", '') <> COALESCE(OLD."context_model_app", '') OR COALESCE(NEW."context_model_name", '') <> COALESCE(OLD."context_model_name", '')
      BEGIN INSERT INTO "event_counts" ("action", "app", "context_model_app", "context_model_name", "shard", "n") VALUES (NEW."action", NEW."app", COALESCE(NEW."context_model_app", ''), COALESCE(NEW."context_model_name", ''), 0, 1) ON CONFLICT ("action", "app", "context_model_app", "context_model_name", "shard") DO UPDATE SET "n" = "n" + (1); INSERT INTO "event_counts" ("action", "app", "context_model_app", "context_model_name", "shard", "n") VALUES (OLD."action", OLD."app", COALESCE(OLD."context_model_app", ''), COALESCE(OLD."context_model_name", ''), 0, -1) ON CONFLICT ("action", "app", "context_model_app", "context_model_name", "shard") DO UPDATE SET "n" = "n" + (-1); END`,
];

/** Counts split into model counts and app counts, each totals plus deltas that a job folds (see the mysql migration). */
export class EventCountsFoldedSqlite1796660000000 implements MigrationInterface {
  name = 'EventCountsFoldedSqlite1796660000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    await q.query('ALTER TABLE "event_counts" RENAME TO "event_counts_by_key"');
    const modelColumns = `"action" varchar(64) NOT NULL,
      "context_model_app" varchar(100) NOT NULL,
      "context_model_name" varchar(100) NOT NULL,`;
    await q.query(`CREATE TABLE "event_counts" (${modelColumns} "n" integer NOT NULL, PRIMARY KEY (${MODEL_COLUMNS}))`);
    await q.query(
      `CREATE TABLE "event_count_deltas" (${modelColumns} "slot" integer NOT NULL, "n" integer NOT NULL, PRIMARY KEY (${MODEL_COLUMNS}, "slot"))`,
    );
    await q.query('CREATE TABLE "event_app_counts" ("app" text NOT NULL, "n" integer NOT NULL, PRIMARY KEY ("app"))');
    await q.query(
      'CREATE TABLE "event_app_count_deltas" ("app" text NOT NULL, "slot" integer NOT NULL, "n" integer NOT NULL, PRIMARY KEY ("app", "slot"))',
    );
    await q.query(
      `INSERT INTO "event_counts" (${MODEL_COLUMNS}, "n") SELECT ${MODEL_COLUMNS}, SUM("n") FROM "event_counts_by_key" GROUP BY ${MODEL_COLUMNS} HAVING SUM("n") <> 0`,
    );
    await q.query(
      'INSERT INTO "event_app_counts" ("app", "n") SELECT "app", SUM("n") FROM "event_counts_by_key" GROUP BY "app" HAVING SUM("n") <> 0',
    );
    await q.query('DROP TABLE "event_counts_by_key"');
    const modelChanged = MODEL_KEYS.map((c) => `${key('NEW.', c)} <> ${key('OLD.', c)}`).join(' OR ');
    await q.query(`CREATE TRIGGER "events_count_insert" AFTER INSERT ON "events" BEGIN ${modelDelta('NEW', 1)} ${appDelta('NEW', 1)} END`);
    await q.query(
      `CREATE TRIGGER "events_count_delete" AFTER DELETE ON "events" BEGIN ${modelDelta('OLD', -1)} ${appDelta('OLD', -1)} END`,
    );
    await q.query(`CREATE TRIGGER "events_count_update" AFTER UPDATE OF "action", "context" ON "events"
      WHEN ${modelChanged}
      BEGIN ${modelDelta('NEW', 1)} ${modelDelta('OLD', -1)} END`);
    await q.query(`CREATE TRIGGER "events_app_count_update" AFTER UPDATE OF "app" ON "events"
      WHEN NEW."app" <> OLD."app"
      BEGIN ${appDelta('NEW', 1)} ${appDelta('OLD', -1)} END`);
  }

  /** Back to one table keyed by every column (1764210000000's), rebuilt from the events. */
  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
    for (const table of ['event_app_count_deltas', 'event_app_counts', 'event_count_deltas', 'event_counts']) {
      await q.query(`DROP TABLE "${table}"`);
    }
    for (const sql of COUNTS_BY_KEY_SQL) await q.query(sql);
  }
}

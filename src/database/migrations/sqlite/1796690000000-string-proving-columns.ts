import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite's generated columns were `substr(CAST(json_extract(doc, path) AS TEXT), 1, length)`,
 * which shows an object or array as its JSON text, 1e999 as `Inf`, and cuts a string at its
 * first NUL ("ab\u0000c" became `ab`). So `column = 'ab'` proved nothing about the JSON, and a
 * search on `context.model.app = "authentik_core"` had to read the JSON of every matching event
 * to count them (463 ms at 1M events) where MariaDB added up its counters.
 *
 * Now a column holds a string only when the JSON value is that string: a string without NUL
 * (cut to the column's length, as before), a number as its JSON literal, true / false as 1 / 0
 * (MariaDB's JSON_VALUE does the same), and NULL for null, objects, arrays, a missing path and a
 * string containing NUL. A short value that does not start like a number can only come from
 * that very string (src/events/query/generated-columns.ts), on both databases.
 *
 * A virtual column is computed, not stored, so replacing one rewrites no row: the migration
 * drops the indexes and triggers that use it, replaces it, and puts them back from their own SQL
 * (an index is rebuilt: about a second per million events). The model counters are keyed by two
 * of these columns, so they are recounted from the events. The columns whose value drops dashes
 * (`context_model_pk`, ...) never prove a string and stay as they are.
 */
const COLUMNS = [
  { name: 'user_pk', source: 'user', path: '$.pk', length: 64 },
  { name: 'user_username', source: 'user', path: '$.username', length: 191 },
  { name: 'context_username', source: 'context', path: '$.username', length: 191 },
  { name: 'context_model_app', source: 'context', path: '$.model.app', length: 100 },
  { name: 'context_model_name', source: 'context', path: '$.model.model_name', length: 100 },
  { name: 'brand_name', source: 'brand', path: '$.name', length: 191 },
] as const;

type Column = (typeof COLUMNS)[number];

/** Written out here (not taken from the entity), so this migration stays the SQL it was. */
function provingExpression({ source, path, length }: Column): string {
  const value = `json_extract("${source}", '${path}')`;
  return (
    `CASE json_type("${source}", '${path}') ` +
    `WHEN 'text' THEN CASE WHEN instr(${value}, char(0)) = 0 THEN substr(${value}, 1, ${length}) END ` +
    `WHEN 'integer' THEN substr(CAST(${value} AS TEXT), 1, ${length}) ` +
    `WHEN 'real' THEN substr(json_quote(${value}), 1, ${length}) ` +
    `WHEN 'true' THEN '1' WHEN 'false' THEN '0' END`
  );
}

/** 1764180000000's expression, for `down`. */
const castExpression = ({ source, path, length }: Column) => `substr(CAST(json_extract("${source}", '${path}') AS TEXT), 1, ${length})`;

export class StringProvingColumnsSqlite1796690000000 implements MigrationInterface {
  name = 'StringProvingColumnsSqlite1796690000000';

  async up(q: QueryRunner): Promise<void> {
    await replaceColumns(q, provingExpression);
  }

  async down(q: QueryRunner): Promise<void> {
    await replaceColumns(q, castExpression);
  }
}

async function replaceColumns(q: QueryRunner, expression: (column: Column) => string): Promise<void> {
  const dependents: { type: string; name: string; sql: string }[] = await q.query(
    `SELECT "type", "name", "sql" FROM sqlite_master WHERE tbl_name = 'events' AND "type" IN ('index', 'trigger') AND "sql" IS NOT NULL`,
  );
  // Any index or trigger naming a column, quoted or not (one an operator added by hand too):
  // SQLite refuses to drop a column something still uses.
  const using = dependents.filter((d) => COLUMNS.some((column) => new RegExp(`\\b${column.name}\\b`, 'i').test(d.sql)));
  for (const d of using) await q.query(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} "${d.name}"`);
  for (const column of COLUMNS) {
    await q.query(`ALTER TABLE "events" DROP COLUMN "${column.name}"`);
    await q.query(
      `ALTER TABLE "events" ADD COLUMN "${column.name}" varchar(${column.length}) GENERATED ALWAYS AS (${expression(column)}) VIRTUAL`,
    );
  }
  for (const d of using) await q.query(d.sql);
  // The counters' model keys are these columns: recount them (the job folds deltas into totals).
  await q.query('DELETE FROM "event_count_deltas"');
  await q.query('DELETE FROM "event_counts"');
  await q.query(
    `INSERT INTO "event_counts" ("action", "context_model_app", "context_model_name", "n")
       SELECT "action", COALESCE("context_model_app", ''), COALESCE("context_model_name", ''), COUNT(*)
         FROM "events" GROUP BY 1, 2, 3`,
  );
}

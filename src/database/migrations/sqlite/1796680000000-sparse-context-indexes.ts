import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The context's model, username, authorized application and device are set on a minority of
 * events (model changes, failed logins, authorizations, device events: in the benchmark's data
 * 6 to 15 % of them), yet every insert wrote a NULL entry into each of their six indexes. As
 * partial indexes (`WHERE column IS NOT NULL`) an event without them skips those B-trees, and
 * the indexes hold only the entries a filter can find. A create committed alone cost SQLite
 * 678–702 µs before, 483–489 µs after (`npm run bench:sqlite-batches`, 1M events): six index
 * pages fewer to write per commit. In batches of 10–32 the difference was within the noise:
 * their NULL entries shared a page anyway. A filter `column = ?` (or IN, LIKE) implies NOT NULL, so
 * SQLite still plans it on the partial index (test/events-query/filter-plans.e2e-spec.ts).
 *
 * SQLite only: MariaDB has no partial indexes, and there the NULL entries all go to one hot page.
 */
const SPARSE_CONTEXT_COLUMNS = [
  'context_username',
  'context_model_app',
  'context_model_name',
  'context_model_pk',
  'context_authorized_app',
  'context_device',
] as const;

const TAIL = '"created", "event_uuid", "expires"';

export class SparseContextIndexesSqlite1796680000000 implements MigrationInterface {
  name = 'SparseContextIndexesSqlite1796680000000';

  async up(q: QueryRunner): Promise<void> {
    for (const column of SPARSE_CONTEXT_COLUMNS) {
      await q.query(`DROP INDEX "idx_events_${column}_created"`);
      await q.query(`CREATE INDEX "idx_events_${column}_created" ON "events" ("${column}", ${TAIL}) WHERE "${column}" IS NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of SPARSE_CONTEXT_COLUMNS) {
      await q.query(`DROP INDEX "idx_events_${column}_created"`);
      await q.query(`CREATE INDEX "idx_events_${column}_created" ON "events" ("${column}", ${TAIL})`);
    }
  }
}

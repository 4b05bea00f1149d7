import { resolveDialect } from '../../database/sql';
import { inline, placeholderProblems } from '../../database/sql/testing';
import { DeltaRow, foldedCounters, FoldSql, sumByKey } from './fold-sql';

const mysqlDialect = resolveDialect('mysql');
const sqliteDialect = resolveDialect('sqlite');
const mysql = new FoldSql(mysqlDialect);
const sqlite = new FoldSql(sqliteDialect);
const [models, mysqlApps] = foldedCounters(mysqlDialect);
const [, sqliteApps] = foldedCounters(sqliteDialect);

const digest = (byte: number) => Buffer.alloc(32, byte);

describe('counter fold statements', () => {
  it('reads a bounded batch of deltas in key order; MariaDB locks it, skipping rows a writer holds', () => {
    expect(mysql.selectBatch(models, 500).sql).toBe(
      'SELECT `action`, `context_model_app`, `context_model_name`, `slot`, `n` FROM `event_count_deltas` FORCE INDEX (PRIMARY) ' +
        'ORDER BY `action`, `context_model_app`, `context_model_name`, `slot` LIMIT 500 FOR UPDATE SKIP LOCKED',
    );
    expect(sqlite.selectBatch(sqliteApps, 7).sql).toBe(
      'SELECT "app", "slot", "n" FROM "event_app_count_deltas" ORDER BY "app", "slot" LIMIT 7',
    );
    expect(mysql.selectBatch(mysqlApps, 1).sql).toContain('SELECT `app_digest`, `app`, `slot`, `n`');
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => mysql.selectBatch(models, bad)).toThrow('batch size');
  });

  it('sums the slots of each key, keeping the carried app text, and keys MariaDB apps by their digest bytes', () => {
    const rows: DeltaRow[] = [
      { app_digest: digest(1), app: 'a', slot: 3, n: 2 },
      { app_digest: digest(1), app: 'a', slot: 9, n: '-5' },
      { app_digest: digest(2), app: 'b', slot: 0, n: 1 },
      { app_digest: digest(2), app: 'b', slot: 4, n: -1 },
    ];
    expect(sumByKey(mysqlApps, rows)).toEqual([
      { values: [digest(1), 'a'], n: -3 },
      { values: [digest(2), 'b'], n: 0 },
    ]);
    // '' and a missing value, 1 and '1' are different texts only where they differ as values.
    expect(
      sumByKey(models, [
        { action: 'login', context_model_app: '', context_model_name: '', slot: 0, n: 1 },
        { action: 'login', context_model_app: 'x', context_model_name: '', slot: 0, n: 1 },
      ]),
    ).toHaveLength(2);
  });

  it('adds to the totals in one statement, creating missing keys', () => {
    const totals = [
      { values: [digest(1), 'a'], n: -3 },
      { values: [digest(3), 'c'], n: 4 },
    ];
    const add = mysql.addToTotals(mysqlApps, totals);
    expect(placeholderProblems(add)).toEqual([]);
    expect(add.sql).toBe(
      'INSERT INTO `event_app_counts` (`app_digest`, `app`, `n`) VALUES (?, ?, ?), (?, ?, ?) ON DUPLICATE KEY UPDATE `n` = `n` + VALUES(`n`)',
    );
    expect(inline(sqlite.addToTotals(sqliteApps, [{ values: ["it's"], n: 2 }]))).toBe(
      `INSERT INTO "event_app_counts" ("app", "n") VALUES ('it''s', 2) ON CONFLICT ("app") DO UPDATE SET "n" = "n" + excluded."n"`,
    );
  });

  it('deletes zero totals of the folded keys only, and the folded deltas by their primary key', () => {
    expect(inline(sqlite.deleteZeroTotals(models, [['login', '', 'user']]))).toBe(
      `DELETE FROM "event_counts" WHERE "n" = 0 AND (("action" = 'login' AND "context_model_app" = '' AND "context_model_name" = 'user'))`,
    );
    const remove = mysql.deleteDeltas(mysqlApps, [
      { app_digest: digest(1), app: 'a', slot: 3, n: 2 },
      { app_digest: digest(1), app: 'a', slot: 9, n: -5 },
    ]);
    expect(remove.map(placeholderProblems)).toEqual([[], []]);
    expect(remove.map((statement) => statement.sql)).toEqual([
      'DELETE FROM `event_app_count_deltas` WHERE (`app_digest` = ? AND `slot` = ?)',
      'DELETE FROM `event_app_count_deltas` WHERE (`app_digest` = ? AND `slot` = ?)',
    ]);
    expect(remove.map((statement) => statement.params)).toEqual([
      [digest(1), 3],
      [digest(1), 9],
    ]);
  });
});

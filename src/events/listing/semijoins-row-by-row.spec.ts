import { resolveDialect } from '../../database/sql/dialect';
import { sql } from '../../database/sql/sql-condition';
import { semijoinsRowByRow } from './event-list.service';

const newestFirst = [{ column: 'created' as const, descending: true }];

describe('semijoinsRowByRow', () => {
  it('row by row when the page ends early in a walk in created order', () => {
    // The benchmark's search: 33 946 matches, page 1 of 20.
    expect(semijoinsRowByRow(newestFirst, 20, 33_946)).toBe(true);
    expect(semijoinsRowByRow([{ column: 'created', descending: false }], 20, 1000)).toBe(true);
  });

  it('reads the ranges whole when matches are sparse or the page deep', () => {
    expect(semijoinsRowByRow(newestFirst, 20, 302)).toBe(false);
    expect(semijoinsRowByRow(newestFirst, 10_000, 100_000)).toBe(false);
  });

  it('never when the order is not the walk of an index', () => {
    expect(semijoinsRowByRow([{ column: 'action', descending: false }], 20, 1_000_000)).toBe(false);
  });

  it('MariaDB turns semijoin strategies off for that statement only; SQLite writes none', () => {
    const query = sql`SELECT 1 FROM t WHERE a = ${1}`;
    const mysql = resolveDialect('mysql').semijoinsRowByRow(query);
    expect(mysql.sql).toBe("SET STATEMENT optimizer_switch='semijoin=off,materialization=off' FOR SELECT 1 FROM t WHERE a = ?");
    expect(mysql.params).toEqual([1]);
    expect(resolveDialect('sqlite').semijoinsRowByRow(query)).toBe(query);
  });
});

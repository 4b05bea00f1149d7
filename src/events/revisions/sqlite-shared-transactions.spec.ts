import Database from 'better-sqlite3';
import { SqliteSharedTransactions } from './sqlite-shared-transactions';

/** A real in-memory database: the savepoints and the commit are SQLite's own. */
function setUp() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const commits: number[] = [];
  let failNextCommit: Error | null = null;
  const shared = new SqliteSharedTransactions(
    (body) => {
      const before = commits.length;
      db.transaction(() => {
        body();
        if (failNextCommit) throw failNextCommit;
      }).immediate();
      commits.push(before + 1);
      return Promise.resolve();
    },
    (work) => db.transaction(work)(),
    () => db.inTransaction,
  );
  const insert = (id: number, name: string | null) => () => db.prepare('INSERT INTO t VALUES (?, ?)').run(id, name).changes;
  const rows = () => db.prepare('SELECT id, name FROM t ORDER BY id').all();
  return { db, shared, commits, insert, rows, failCommit: (error: Error) => (failNextCommit = error) };
}

describe('SqliteSharedTransactions', () => {
  it('runs the writes that arrive together in one transaction, each answered with its own result', async () => {
    const { shared, commits, insert, rows } = setUp();
    const results = await Promise.all([shared.run(insert(1, 'a')), shared.run(insert(2, 'b')), shared.run(() => 'read')]);
    expect(results).toEqual([1, 1, 'read']);
    expect(commits).toEqual([1]);
    expect(rows()).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
  });

  it('rolls back only the write that failed (its savepoint); it alone fails', async () => {
    const { shared, commits, insert, rows } = setUp();
    const settled = await Promise.allSettled([
      shared.run(insert(1, 'a')),
      shared.run(() => {
        insert(2, 'half written')();
        return insert(3, null)(); // NOT NULL: this write fails after one of its statements ran
      }),
      shared.run(insert(4, 'd')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(commits).toEqual([1]);
    expect(rows()).toEqual([
      { id: 1, name: 'a' },
      { id: 4, name: 'd' },
    ]);
  });

  it('fails every write of a transaction that did not commit, and stores none', async () => {
    const { shared, insert, rows, failCommit } = setUp();
    failCommit(new Error('disk I/O error'));
    const settled = await Promise.allSettled([shared.run(insert(1, 'a')), shared.run(insert(2, 'b'))]);
    expect(settled.map((s) => (s as PromiseRejectedResult).reason?.message)).toEqual(['disk I/O error', 'disk I/O error']);
    expect(rows()).toEqual([]);
  });

  it('a write that arrives after a commit gets a transaction of its own', async () => {
    const { shared, commits, insert, rows } = setUp();
    const first = shared.run(insert(1, 'a'));
    await first;
    await shared.run(insert(2, 'b'));
    expect(commits).toEqual([1, 2]);
    expect(rows()).toHaveLength(2);
  });
});

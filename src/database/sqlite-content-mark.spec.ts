import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteContentMark } from './sqlite-content-mark';

describe('sqliteContentMark', () => {
  let dir: string;
  let app: Database.Database;
  let other: Database.Database;
  let mark: () => string | null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'content-mark-'));
    app = new Database(join(dir, 'db.sqlite'));
    app.pragma('journal_mode = WAL');
    app.exec(
      'CREATE TABLE t (x); CREATE TABLE counts (x); CREATE TRIGGER t_count AFTER INSERT ON t BEGIN INSERT INTO counts VALUES (NEW.x); END; INSERT INTO counts VALUES (0)',
    );
    other = new Database(join(dir, 'db.sqlite'));
    mark = sqliteContentMark(() => app);
  });

  afterEach(() => {
    app.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays the same while nothing is written, reads included', () => {
    const before = mark();
    app.prepare('SELECT * FROM t').all();
    other.prepare('SELECT * FROM t').all();
    expect(before).not.toBeNull();
    expect(mark()).toBe(before);
  });

  it.each([
    ['an insert on the connection', () => app.prepare('INSERT INTO t VALUES (1)').run()],
    ['a commit by another connection', () => other.prepare('INSERT INTO counts VALUES (2)').run()],
    ['a delete of every row', () => app.exec('DELETE FROM counts')],
    ['a transaction rolled back', () => app.exec('BEGIN; INSERT INTO t VALUES (4); ROLLBACK')],
  ])('moves after %s', (_name, write) => {
    const before = mark();
    write();
    expect(mark()).not.toBe(before);
  });

  it('differs on a connection opened anew, whose counts start again from zero', () => {
    // Two connections that have written nothing: the same counts.
    const reopened = new Database(join(dir, 'db.sqlite'));
    try {
      const connections = [other, reopened];
      let current = 0;
      const switching = sqliteContentMark(() => connections[current]);
      const first = switching();
      current = 1;
      expect(first).not.toBeNull();
      expect(switching()).not.toBe(first);
    } finally {
      reopened.close();
    }
  });

  it('is null inside an open transaction', () => {
    app.exec('BEGIN');
    expect(mark()).toBeNull();
    app.exec('ROLLBACK');
    expect(mark()).not.toBeNull();
  });
});

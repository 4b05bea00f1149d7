import type { Pool } from 'mysql2/promise';
import { loadConfig } from '../../config/app-config';
import { dialectFor } from '../../database/sql';
import type { EventRecord } from '../event.types';
import { CommitHorizon } from './commit-horizon';
import { MysqlEventWriter } from './mysql-event-writer';
import { RevisionSql } from './revision-sql';

/** What the fake server answers to one statement: a result, or an error thrown. */
type Answer = (sql: string, params: unknown[]) => unknown;

const lost = () =>
  Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
const deadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' });

/**
 * The writer over a fake pool: every statement is logged and answered by `answer`, so a test can
 * break a COMMIT and see what the retry does. The revision hashes are the real ones.
 */
function writerWith(answer: Answer) {
  const log: string[] = [];
  const connection = {
    query: async (sql: string, params: unknown[] = []) => {
      log.push(sql.split(' (')[0]);
      return [answer(sql, params)];
    },
    release: () => undefined,
    destroy: () => undefined,
  };
  const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:1/none', DATA_DIR: '/tmp' }, () => 'secret-0123456789abcdef0123456789');
  const retries: string[] = [];
  const writer = new MysqlEventWriter(new RevisionSql(dialectFor('mysql')), config, new CommitHorizon(), (reason) => retries.push(reason));
  const pool = (writer as unknown as { pool: Pool }).pool;
  void pool.end();
  (writer as unknown as { pool: unknown }).pool = { getConnection: async () => connection };
  return { writer, log, retries };
}

const event = (): EventRecord => ({
  uuid: '0f8e7a6c-1d2b-4c3a-9e8f-7a6b5c4d3e2f',
  user: {},
  action: 'login',
  app: 'test',
  context: {},
  client_ip: null,
  created: 1_700_000_000_000_000,
  expires: 1_800_000_000_000_000,
  brand: {},
});

describe('MysqlEventWriter retries', () => {
  it('answers success, without a second INSERT, when the COMMIT whose connection broke had committed', async () => {
    let storedHash: string | undefined;
    let commits = 0;
    const { writer, log, retries } = writerWith((sql, params) => {
      if (sql.startsWith('INSERT INTO `event_revisions`')) storedHash = params[params.length - 1] as string;
      if (sql === 'COMMIT' && ++commits === 1) throw lost(); // committed on the server, answer lost
      if (sql.startsWith('SELECT `hash`')) return [{ hash: storedHash }];
      return [];
    });
    const stored = await writer.insert(event(), {});
    expect(stored.uuid).toBe(event().uuid);
    expect(log.filter((s) => s.startsWith('INSERT INTO `events`'))).toHaveLength(1);
    expect(log.filter((s) => s.startsWith('SELECT `hash`'))).toHaveLength(1);
    expect(retries).toEqual(['connection']);
  });

  it('writes again when the broken attempt was rolled back', async () => {
    let commits = 0;
    const { writer, log } = writerWith((sql) => {
      if (sql === 'COMMIT' && ++commits === 1) throw lost();
      return []; // the revision is not there
    });
    await writer.insert(event(), {});
    expect(log.filter((s) => s.startsWith('INSERT INTO `events`'))).toHaveLength(2);
    expect(log.filter((s) => s.startsWith('SELECT `hash`'))).toHaveLength(1);
  });

  it('runs a transaction rolled back by a certification conflict again, with no check', async () => {
    let commits = 0;
    const { writer, log, retries } = writerWith((sql) => {
      if (sql === 'COMMIT' && ++commits <= 2) throw deadlock();
      return [];
    });
    await writer.insert(event(), {});
    expect(log.filter((s) => s.startsWith('INSERT INTO `events`'))).toHaveLength(3);
    expect(log.filter((s) => s.startsWith('SELECT `hash`'))).toHaveLength(0);
    expect(retries).toEqual(['conflict', 'conflict']);
  });

  it('gives up after six attempts', async () => {
    const { writer, log } = writerWith((sql) => {
      if (sql === 'COMMIT') throw deadlock();
      return [];
    });
    await expect(writer.insert(event(), {})).rejects.toThrow('Deadlock');
    expect(log.filter((s) => s === 'COMMIT')).toHaveLength(6);
  });
});

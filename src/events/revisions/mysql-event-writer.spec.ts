import type { Pool } from 'mysql2/promise';
import { loadConfig } from '../../config/app-config';
import { dialectFor } from '../../database/sql';
import { EventRecord, pickWritableFields } from '../event.types';
import { CommitHorizon } from './commit-horizon';
import { MysqlEventWriter } from './mysql-event-writer';
import type { PendingPatch } from './patch-write';
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

/** A stored row of `event()` under another id, as the locking read returns it. */
const rowOf = (id: Buffer) => ({
  event_uuid: id,
  user: '{}',
  action: 'login',
  app: 'test',
  context: '{}',
  client_ip: null,
  created: event().created,
  expires: event().expires,
  brand: '{}',
  revision_seq: 1,
  revision_hash: 'a'.repeat(64),
});

const uuids = ['0f8e7a6c-1d2b-4c3a-9e8f-7a6b5c4d3e01', '0f8e7a6c-1d2b-4c3a-9e8f-7a6b5c4d3e02', '0f8e7a6c-1d2b-4c3a-9e8f-7a6b5c4d3e03'];
const patchOf = (uuid: string, app: string): PendingPatch => ({
  uuid,
  changes: pickWritableFields({ app }),
  now: event().created + 1,
  actor: {},
});

/** The batch path of PATCHes on MariaDB (group commit), called directly. */
function patchTogether(writer: MysqlEventWriter, patches: PendingPatch[]): Promise<(EventRecord | null)[]> {
  return (writer as unknown as { patchTogether(p: PendingPatch[]): Promise<(EventRecord | null)[]> }).patchTogether(patches);
}

/** Answers a locking read (a batch's or a lone PATCH's) with the rows of the ids it asks for, but those in `missing`. */
const lockedRows = (sql: string, params: unknown[], missing: string[] = []) =>
  sql.includes('FOR UPDATE')
    ? params
        .filter(Buffer.isBuffer)
        .filter((id) => !missing.includes(id.toString('hex')))
        .map(rowOf)
    : undefined;

describe('MysqlEventWriter PATCHes in one transaction', () => {
  const patches = uuids.map((uuid, i) => patchOf(uuid, `app-${i}`));

  it('locks all rows in one read and writes each UPDATE, one multi-row INSERT of revisions and one of outbox entries', async () => {
    const { writer, log } = writerWith((sql, params) => lockedRows(sql, params) ?? []);
    const results = await patchTogether(writer, patches);
    expect(results.map((result) => result?.app)).toEqual(['app-0', 'app-1', 'app-2']);
    expect(results.map((result) => result?.uuid)).toEqual(uuids);
    expect(log.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
      'START TRANSACTION',
      'SELECT `event_uuid`, `user`,',
      'UPDATE `events` SET',
      'UPDATE `events` SET',
      'UPDATE `events` SET',
      'INSERT INTO `event_revisions`',
      'INSERT INTO `event_outbox`',
      'COMMIT',
    ]);
  });

  it('finds an event whichever way the caller spelled its id (upper case, no dashes), in a batch too', async () => {
    const { writer, log } = writerWith((sql, params) => lockedRows(sql, params) ?? []);
    // Four go alone (four transactions at once), the next ones wait and share one.
    const ids = Array.from({ length: 6 }, (_, i) => `0f8e7a6c-1d2b-4c3a-9e8f-7a6b5c4d3e1${i}`);
    const spelled = ids.map((id, i) => (i % 2 ? id.toUpperCase() : id.replace(/-/g, '')));
    const results = await Promise.all(
      spelled.map((id, i) => writer.patch(id, pickWritableFields({ app: `app-${i}` }), event().created + 1, {})),
    );
    expect(results.map((result) => result?.uuid)).toEqual(ids);
    expect(log.filter((s) => s.startsWith('SELECT'))).toHaveLength(5); // four alone, one for the batch of two
  });

  it('answers null for an event that is gone or expired, and writes only the others', async () => {
    const gone = uuids[1].replace(/-/g, '');
    let revisionRows = 0;
    const { writer } = writerWith((sql, params) => {
      if (sql.startsWith('INSERT INTO `event_revisions`')) revisionRows = params.length / 10;
      return lockedRows(sql, params, [gone]) ?? [];
    });
    const expired = { ...patches[2], now: event().expires };
    const results = await patchTogether(writer, [patches[0], patches[1], expired]);
    expect(results.map((result) => result?.app ?? null)).toEqual(['app-0', null, null]);
    expect(revisionRows).toBe(1);
  });

  it('rolls back, writing nothing, when no event of the batch is visible', async () => {
    const { writer, log } = writerWith(
      (sql, params) =>
        lockedRows(
          sql,
          params,
          uuids.map((u) => u.replace(/-/g, '')),
        ) ?? [],
    );
    expect(await patchTogether(writer, patches)).toEqual([null, null, null]);
    expect(log.slice(-1)).toEqual(['ROLLBACK']);
    expect(log.filter((s) => s.startsWith('UPDATE') || s.startsWith('INSERT'))).toEqual([]);
  });

  it('answers every PATCH, without writing them twice, when the COMMIT whose connection broke had committed', async () => {
    let storedHash: string | undefined;
    let commits = 0;
    const { writer, log, retries } = writerWith((sql, params) => {
      if (sql.startsWith('INSERT INTO `event_revisions`')) storedHash = params[params.length - 1] as string;
      if (sql === 'COMMIT' && ++commits === 1) throw lost();
      if (sql.startsWith('SELECT `hash`')) return [{ hash: storedHash }];
      return lockedRows(sql, params) ?? [];
    });
    const results = await patchTogether(writer, patches);
    expect(results.map((result) => result?.app)).toEqual(['app-0', 'app-1', 'app-2']);
    expect(log.filter((s) => s.startsWith('UPDATE'))).toHaveLength(3);
    expect(log.filter((s) => s.startsWith('SELECT `hash`'))).toHaveLength(1);
    expect(retries).toEqual(['connection']);
  });

  it('runs the whole batch again when the broken COMMIT was rolled back', async () => {
    let commits = 0;
    const { writer, log } = writerWith((sql, params) => {
      if (sql === 'COMMIT' && ++commits === 1) throw lost();
      return lockedRows(sql, params) ?? []; // the last revision is not there
    });
    const results = await patchTogether(writer, patches);
    expect(results.map((result) => result?.app)).toEqual(['app-0', 'app-1', 'app-2']);
    expect(log.filter((s) => s.startsWith('UPDATE'))).toHaveLength(6);
    expect(log.filter((s) => s === 'COMMIT')).toHaveLength(2);
  });
});

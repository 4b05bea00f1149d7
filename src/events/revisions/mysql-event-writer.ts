import { OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { AppConfig } from '../../config/app-config';
import { failoverFor } from '../../database/failover/database-failover';
import { isDuplicateKey, retryReason, RetryPolicy, RetryReason, withRetries, WRITE_RETRY_POLICY } from '../../database/retry';
import { createServingPool } from '../../database/serving-pool';
import { bytesToUuid, ChainedEventRow, uuidToBytes } from '../event-row';
import type { EventRecord } from '../event.types';
import type { CommitHorizon } from './commit-horizon';
import { ChainSnapshot, EventWriter, Rewrite } from './event-writer';
import { GROUP_COMMIT_LIMITS } from './group-commit';
import { PendingPatch, patchWrite } from './patch-write';
import { ChainedEvent, readChainedEvent, RevisionRow, toChainedEvent, toRevision } from './revision-rows';
import { RevisionSql, Statement } from './revision-sql';
import type { EventRevision } from './revision.types';

type Script = (Statement | string)[];

/** A write that was sent: what it returns, and the revision that is stored if it committed. */
interface SentWrite<T> {
  result: T;
  revision: EventRevision;
}

/**
 * MariaDB: each write is a transaction that locks the event row (`SELECT ... FOR UPDATE`), so
 * concurrent writes to one event queue up and append consecutive revisions. A create is
 * START TRANSACTION; INSERT event; INSERT revision; COMMIT; a PATCH or DELETE START TRANSACTION;
 * SELECT ... FOR UPDATE; UPDATE or DELETE; INSERT revision; COMMIT, on a pool of its own.
 *
 * Each statement is a call of its own: multiple statements per call are off on every connection
 * (serving-pool.ts), so even a value that reached the SQL text could not add a statement. That
 * costs a few loopback round trips per write; batching writes together is the way to win them back.
 *
 * Every write is retried (database/retry/) when the server rolled it back for a conflict (on
 * Galera: a certification failure against another node's write) or its connection broke, after a
 * failover check. When the connection broke, the write may have committed all the same (the break
 * came during COMMIT): the next attempt first looks for the revision it appended, by event, seq
 * and hash, which covers the whole content, and answers as success when it is there. So a create
 * (its uuid chosen before the first attempt) is stored once, a PATCH appends one revision, and
 * the counters' triggers run once per stored row whatever the number of attempts.
 */
export class MysqlEventWriter extends EventWriter implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly retryPolicy: RetryPolicy;

  /** `onRetry`: told of each retry and why (the metrics count them). */
  constructor(sql: RevisionSql, config: AppConfig, horizon: CommitHorizon, onRetry: (reason: RetryReason) => void = () => undefined) {
    super(sql, horizon);
    // The main pool's settings and DATABASE_TIMEOUT_MS bounds, so a silent database cannot hang a write.
    this.pool = createServingPool(config);
    const failover = failoverFor(config);
    this.retryPolicy = {
      ...WRITE_RETRY_POLICY,
      beforeRetry: async (reason) => {
        onRetry(reason);
        // A broken connection is usually a node that died: let the failover find a usable one first.
        if (reason === 'connection') await failover?.check();
      },
    };
    // On by default; EVENT_GROUP_COMMIT=false commits each create and PATCH alone (README, "What keeps it fast").
    if (config.groupCommit) {
      this.groupCreations(GROUP_COMMIT_LIMITS);
      this.groupPatches(GROUP_COMMIT_LIMITS, (patches) => this.patchTogether(patches));
    }
  }

  /** For the pool metrics (see AppMetrics.watchPool). */
  get connectionPool(): Pool {
    return this.pool;
  }

  async readChain(uuid: string): Promise<ChainSnapshot> {
    return this.withConnection(async (c) => {
      const results = await this.script(c, [
        'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY',
        this.sql.selectRevisions(uuid),
        this.sql.selectChainedEvent(uuid),
        'COMMIT',
      ]);
      const revisions = results[1] as RevisionRow[];
      const rows = results[2] as ChainedEventRow[];
      return { revisions: revisions.map(toRevision), row: readChainedEvent(rows[0]) };
    });
  }

  async existingUuids(uuids: string[]): Promise<Set<string>> {
    const statement = this.sql.selectExistingUuids(uuids.map(uuidToBytes));
    const [rows] = await this.pool.query(statement.sql, statement.params);
    return new Set((rows as { event_uuid: Buffer }[]).map((row) => bytesToUuid(row.event_uuid)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  protected async commit(statements: Statement[], revision: EventRevision): Promise<void> {
    await this.retried<void>(async (sent) => {
      sent({ result: undefined, revision });
      await this.withConnection((c) => this.script(c, ['START TRANSACTION', ...statements, 'COMMIT']));
    });
  }

  protected rewrite<T>(lock: Statement, change: (current: ChainedEvent) => Rewrite<T>): Promise<T | null> {
    // Each attempt reads the row and head afresh: another write may have moved the head meanwhile.
    return this.retried<T | null>((sent) =>
      this.withConnection(async (c) => {
        const results = await this.script(c, ['START TRANSACTION', lock]);
        const rows = results[1] as ChainedEventRow[];
        if (rows.length === 0) {
          await c.query('ROLLBACK');
          return null;
        }
        const { statements, result, revision } = change(toChainedEvent(rows[0]));
        sent({ result, revision });
        await this.script(c, [...statements, 'COMMIT']);
        return result;
      }),
    );
  }

  /**
   * PATCHes of distinct events in one transaction: one locking read of all their rows (the
   * primary key's order, so two batches never wait for each other in a cycle), each visible
   * one's UPDATE, then their revisions and outbox entries as multi-row INSERTs. Against one
   * transaction per PATCH (START, lock, UPDATE, two INSERTs, COMMIT: six statements) a batch of
   * n costs n + 5. Retried whole like any write: it is stored exactly when its last revision is.
   */
  private patchTogether(patches: PendingPatch[]): Promise<(EventRecord | null)[]> {
    return this.retried((sent) =>
      this.withConnection(async (c) => {
        const results = await this.script(c, ['START TRANSACTION', this.sql.selectForWriteMany(patches.map((patch) => patch.uuid))]);
        const rows = new Map((results[1] as ChainedEventRow[]).map((row) => [bytesToUuid(row.event_uuid), row]));
        const writes = patches.map((patch) => {
          const row = rows.get(patch.uuid);
          return row ? patchWrite(this.sql, patch, toChainedEvent(row)) : null;
        });
        const written = writes.filter((write) => write !== null);
        const answers = writes.map((write) => write?.updated ?? null);
        if (written.length === 0) {
          await c.query('ROLLBACK');
          return answers;
        }
        const revisions = written.map((write) => write.revision);
        sent({ result: answers, revision: revisions[revisions.length - 1] });
        await this.script(c, [
          ...written.map((write) => write.update),
          ...this.sql.insertRevisionsChunked(revisions),
          this.sql.insertOutboxEntries(revisions),
          'COMMIT',
        ]);
        return answers;
      }),
    );
  }

  /**
   * Runs `write` (one transaction, which calls `sent` once it knows its revision) under the retry
   * policy. After an attempt that broke its connection, or when a retry finds its key taken, the
   * revision that attempt would have stored is looked for first: present (the same hash), the
   * write is done and its result returned; absent, it was rolled back and runs again.
   */
  private retried<T>(write: (sent: (write: SentWrite<T>) => void) => Promise<T>): Promise<T> {
    let uncertain: SentWrite<T> | undefined;
    return withRetries(async () => {
      if (uncertain && (await this.isStored(uncertain.revision))) return uncertain.result;
      const earlier = uncertain;
      let current: SentWrite<T> | undefined;
      try {
        return await write((sending) => (current = sending));
      } catch (error) {
        if (earlier && isDuplicateKey(error) && (await this.isStored(earlier.revision))) return earlier.result;
        // Nothing sent (or a conflict, which rolled back): only `earlier` could be stored, and it was not.
        uncertain = retryReason(error) === 'connection' ? current : undefined;
        throw error;
      }
    }, this.retryPolicy);
  }

  /** Whether `revision` is stored exactly (same event, seq and hash). */
  private async isStored(revision: EventRevision): Promise<boolean> {
    const [rows] = await this.withConnection((c) => this.script(c, [this.sql.selectRevisionHash(revision.event, revision.seq)]));
    return (rows as { hash: string }[])[0]?.hash === revision.hash;
  }

  /** Runs the statements in order, one call each; the result of each, in order. */
  private async script(c: PoolConnection, script: Script): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const part of script) {
      const [result] = typeof part === 'string' ? await c.query(part) : await c.query(part.sql, part.params);
      results.push(result);
    }
    return results;
  }

  private async withConnection<T>(work: (c: PoolConnection) => Promise<T>): Promise<T> {
    const connection = await this.pool.getConnection();
    let reusable = true;
    try {
      return await work(connection);
    } catch (error) {
      // A failed statement stops the script: the transaction may still be open.
      reusable = await connection.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      throw error;
    } finally {
      if (reusable) connection.release();
      else connection.destroy();
    }
  }
}

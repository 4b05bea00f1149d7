import { OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { AppConfig } from '../../config/app-config';
import { createServingPool } from '../../database/serving-pool';
import { bytesToUuid, ChainedEventRow, uuidToBytes } from '../event-row';
import type { CommitHorizon } from './commit-horizon';
import type { CreationWrite } from './creation-write';
import { textLength } from './creation-write';
import { ChainSnapshot, EventWriter, Rewrite } from './event-writer';
import { GroupCommit } from './group-commit';
import { ChainedEvent, readChainedEvent, RevisionRow, toChainedEvent, toRevision } from './revision-rows';
import { RevisionSql, Statement } from './revision-sql';

type Script = (Statement | string)[];

/**
 * MariaDB: each write is a transaction that locks the event row (`SELECT ... FOR UPDATE`), so
 * concurrent writes to one event queue up and append consecutive revisions. A create is
 * START TRANSACTION; INSERT event; INSERT revision; COMMIT; a PATCH or DELETE START TRANSACTION;
 * SELECT ... FOR UPDATE; UPDATE or DELETE; INSERT revision; COMMIT, on a pool of its own.
 *
 * Each statement is a call of its own: multiple statements per call are off on every connection
 * (serving-pool.ts), so even a value that reached the SQL text could not add a statement. That
 * costs a few loopback round trips per write; batching writes together is the way to win them back.
 */
export class MysqlEventWriter extends EventWriter implements OnApplicationShutdown {
  private readonly pool: Pool;

  /** With EVENT_GROUP_COMMIT: concurrent single creates share transactions (group-commit.ts). */
  private readonly group: GroupCommit | null;

  constructor(sql: RevisionSql, config: AppConfig, horizon: CommitHorizon) {
    super(sql, horizon);
    // The main pool's settings and DATABASE_TIMEOUT_MS bounds, so a silent database cannot hang a write.
    this.pool = createServingPool(config);
    this.group = config.groupCommit
      ? new GroupCommit({
          commitTogether: (creations) =>
            this.commit([
              this.sql.insertEventRows(creations.map((creation) => creation.eventRow)),
              this.sql.insertRevisionRows(creations.map((creation) => creation.revisionRow)),
            ]),
          commitAlone: (creation) => this.commit(creation.statements),
        })
      : null;
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

  protected override commitCreation(write: CreationWrite): Promise<void> {
    if (!this.group) return super.commitCreation(write);
    const chars = textLength(write.eventRow) + textLength(write.revisionRow);
    return this.group.commit({ eventRow: write.eventRow, revisionRow: write.revisionRow, statements: write.statements, chars });
  }

  protected async commit(statements: Statement[]): Promise<void> {
    await this.withConnection((c) => this.script(c, ['START TRANSACTION', ...statements, 'COMMIT']));
  }

  protected rewrite<T>(lock: Statement, change: (current: ChainedEvent) => Rewrite<T>): Promise<T | null> {
    return this.withConnection(async (c) => {
      const results = await this.script(c, ['START TRANSACTION', lock]);
      const rows = results[1] as ChainedEventRow[];
      if (rows.length === 0) {
        await c.query('ROLLBACK');
        return null;
      }
      const { statements, result } = change(toChainedEvent(rows[0]));
      await this.script(c, [...statements, 'COMMIT']);
      return result;
    });
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

import { OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { createServingPool } from '../../database/serving-pool';
import type { EventRecord, EventWritableFields, JsonObject } from '../event.types';
import type { CommitHorizon } from './commit-horizon';
import { prepareCreation } from './creation-write';
import { ChainSnapshot, EventWriter } from './event-writer';
import { changeRevision, deletionRevision } from './revision-builder';
import { ChainedEventRow, readChainedEvent, RevisionRow, toChainedEvent, toRevision } from './revision-rows';
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
  private readonly sql = new RevisionSql('mysql');
  private readonly pool: Pool;

  constructor(
    config: AppConfig,
    private readonly horizon: CommitHorizon,
  ) {
    super();
    // The main pool's settings and DATABASE_TIMEOUT_MS bounds, so a silent database cannot hang a write.
    this.pool = createServingPool(config);
  }

  /** For the pool metrics (see AppMetrics.watchPool). */
  get connectionPool(): Pool {
    return this.pool;
  }

  async insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<EventRecord> {
    // Entered before the revision is computed (in slices): until the commit, stream readers stop before `created`.
    const committed = this.horizon.begin(event.created);
    try {
      const { statements, stored } = await prepareCreation(this.sql, event, actor);
      if (manager) {
        for (const statement of statements) await manager.query(statement.sql, statement.params);
      } else {
        await this.withConnection((c) => this.script(c, ['START TRANSACTION', ...statements, 'COMMIT']));
      }
      return stored;
    } finally {
      committed();
    }
  }

  async patch(uuid: string, given: EventWritableFields, now: Micros, actor: JsonObject): Promise<EventRecord | null> {
    return this.withConnection(async (c) => {
      const current = await this.lockVisible(c, uuid, now);
      if (!current) return null;
      const { revision, updated } = changeRevision(current.event, given, current.head, actor, now);
      await this.script(c, [this.sql.updateEvent(uuid, given, revision), this.sql.insertRevision(revision), 'COMMIT']);
      return updated;
    });
  }

  async delete(uuid: string, now: Micros, actor: JsonObject): Promise<boolean> {
    return this.withConnection(async (c) => {
      const current = await this.lockVisible(c, uuid, now);
      if (!current) return false;
      const revision = deletionRevision(current.event, current.head, actor, now);
      await this.script(c, [this.sql.deleteEvent(uuid), this.sql.insertRevision(revision), 'COMMIT']);
      return true;
    });
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

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /** Opens the transaction and locks the visible row; ends the transaction when there is none. */
  private async lockVisible(c: PoolConnection, uuid: string, now: Micros) {
    const results = await this.script(c, ['START TRANSACTION', this.sql.selectForWrite(uuid, now)]);
    const rows = results[1] as ChainedEventRow[];
    if (rows.length > 0) return toChainedEvent(rows[0]);
    await c.query('ROLLBACK');
    return null;
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

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nowMicros } from '@app/common';
import { Dialect } from '../../database/sql';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { bytesToUuid, ChainedEventRow } from '../event-row';
import { BrokenLink, ChainChecker } from './chain-checker';
import { EventWriter } from './event-writer';
import { readChainedEvent, RevisionRow, toRevision } from './revision-rows';
import { RevisionSql } from './revision-sql';
import type { EventRevision } from './revision.types';

/** Rows per keyset query of the walk: memory stays at two chunks, whatever the table sizes. */
const CHUNK = 1000;

/**
 * Walks every chain (`GET /events/events/verify/`): all revisions in (event_uuid, seq) order and
 * all event rows in event_uuid order, merged like a sorted-merge join, each read by keyset
 * pagination a chunk at a time. Revisions of events that no longer exist, and event rows without
 * revisions, are both checked.
 *
 * The walk is not one snapshot: an event written while it runs can look inconsistent (its
 * revisions read before the write, its row after). So every event found broken is read again
 * on its own, consistently (EventWriter.readChain), and only reported if still broken.
 */
@Injectable()
export class ChainVerifier {
  private readonly sql: RevisionSql;
  /** Revisions recorded at or before this (set per walk) may have been deleted by REVISION_RETENTION. */
  private agedOutBefore = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: EventWriter,
    @InjectConfig() private readonly config: AppConfig,
    dialect: Dialect,
  ) {
    this.sql = new RevisionSql(dialect);
  }

  /** Yields each broken link; returns the number of revisions checked. */
  async *walk(): AsyncGenerator<BrokenLink, number> {
    this.agedOutBefore = nowMicros() - this.config.revisionRetentionMicros;
    const rows = new EventRowWalk((after) => this.eventsAfter(after));
    let checker: ChainChecker | undefined;
    let checked = 0;
    for await (const revision of this.revisions()) {
      checked += 1;
      if (checker?.eventHex !== revision.event) {
        if (checker) yield* this.finishChain(checker, rows);
        checker = this.checker(revision.event);
      }
      checker.add(revision);
    }
    if (checker) yield* this.finishChain(checker, rows);
    // Rows left over have no revisions at all.
    for (let row = await rows.take(); row; row = await rows.take()) {
      yield* this.confirmed(this.checker(row.event_uuid.toString('hex')), row);
    }
    return checked;
  }

  /** Rows before the chain's event have no revisions; then the chain meets its own row, if any. */
  private async *finishChain(checker: ChainChecker, rows: EventRowWalk): AsyncGenerator<BrokenLink> {
    for (let row = await rows.peek(); row && row.event_uuid.toString('hex') < checker.eventHex; row = await rows.peek()) {
      await rows.take();
      yield* this.confirmed(this.checker(row.event_uuid.toString('hex')), row);
    }
    const next = await rows.peek();
    const own = next && next.event_uuid.toString('hex') === checker.eventHex ? await rows.take() : undefined;
    yield* this.confirmed(checker, own);
  }

  private async *confirmed(checker: ChainChecker, row: ChainedEventRow | undefined): AsyncGenerator<BrokenLink> {
    const broken = checker.finish(readChainedEvent(row));
    if (broken.length === 0) return;
    // A row that never had a revision cannot be a write in progress (any write sets its head):
    // no second read, which keeps a walk over many such rows (an import) at one query per chunk.
    if (checker.isEmpty && row && Number(row.revision_seq) === 0) {
      yield* broken;
      return;
    }
    const snapshot = await this.writer.readChain(bytesToUuid(Buffer.from(checker.eventHex, 'hex')));
    const fresh = this.checker(checker.eventHex);
    for (const revision of snapshot.revisions) fresh.add(revision);
    yield* fresh.finish(snapshot.row);
  }

  private checker(eventHex: string): ChainChecker {
    return new ChainChecker(eventHex, this.agedOutBefore);
  }

  private async *revisions(): AsyncGenerator<EventRevision> {
    let after: { event: Buffer; seq: number } | null = null;
    for (;;) {
      const statement = this.sql.revisionsAfter(after, CHUNK);
      const chunk: RevisionRow[] = await this.dataSource.query(statement.sql, statement.params);
      for (const row of chunk) yield toRevision(row);
      if (chunk.length < CHUNK) return;
      const last = chunk[chunk.length - 1];
      after = { event: last.event_uuid, seq: Number(last.seq) };
    }
  }

  private eventsAfter(after: Buffer | null): Promise<ChainedEventRow[]> {
    const statement = this.sql.eventsAfter(after, CHUNK);
    return this.dataSource.query(statement.sql, statement.params);
  }
}

/** Event rows in primary-key order, a chunk at a time, with a one-row look-ahead. */
class EventRowWalk {
  private chunk: ChainedEventRow[] = [];
  private index = 0;
  private after: Buffer | null = null;
  private exhausted = false;

  constructor(private readonly fetchAfter: (after: Buffer | null) => Promise<ChainedEventRow[]>) {}

  async peek(): Promise<ChainedEventRow | undefined> {
    if (this.index >= this.chunk.length && !this.exhausted) {
      this.chunk = await this.fetchAfter(this.after);
      this.index = 0;
      this.exhausted = this.chunk.length < CHUNK;
      if (this.chunk.length > 0) this.after = this.chunk[this.chunk.length - 1].event_uuid;
    }
    return this.chunk[this.index];
  }

  async take(): Promise<ChainedEventRow | undefined> {
    const row = await this.peek();
    this.index += 1;
    return row;
  }
}

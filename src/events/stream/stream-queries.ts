import { and, Dialect, raw, sql, SqlCondition } from '../../database/sql';
import { EVENT_TABLE } from '../event.entity';
import { EVENT_COLUMNS } from '../event-row';
import type { StreamPosition } from './stream-cursor';

/**
 * The SQL of the stream and of exports: keyset pagination in (created, event_uuid) order, never
 * OFFSET. Every bound is written as a range on `created` first (an index range on every list
 * index, which all end in created, event_uuid, expires) and then the exact tie-break on the key.
 */
export class StreamQueries {
  constructor(private readonly dialect: Dialect) {}

  /** Strictly after `p`: `created > c OR (created = c AND event_uuid > u)`. */
  after(p: StreamPosition): SqlCondition {
    const created = this.dialect.column('created');
    const uuid = this.dialect.column('event_uuid');
    const key = Buffer.from(p.uuidHex, 'hex');
    return sql`${created} >= ${p.created} AND (${created} > ${p.created} OR (${created} = ${p.created} AND ${uuid} > ${key}))`;
  }

  /** Up to and including `p`. */
  upTo(p: StreamPosition): SqlCondition {
    const created = this.dialect.column('created');
    const uuid = this.dialect.column('event_uuid');
    const key = Buffer.from(p.uuidHex, 'hex');
    return sql`${created} <= ${p.created} AND (${created} < ${p.created} OR (${created} = ${p.created} AND ${uuid} <= ${key}))`;
  }

  /** Visible (docs/api-contract.md §5) and created no later than `createdBound` (see CommitHorizon). */
  visibleUpTo(now: number, createdBound: number): SqlCondition {
    return and(sql`${this.dialect.column('expires')} > ${now}`, sql`${this.dialect.column('created')} <= ${createdBound}`);
  }

  /** The next `limit` events in stream order. */
  page(where: SqlCondition, limit: number): SqlCondition {
    return sql`SELECT ${raw(EVENT_COLUMNS.map((c) => this.dialect.quote(c)).join(', '))} FROM ${this.table} WHERE ${where} ORDER BY ${this.order('ASC')} LIMIT ${limit}`;
  }

  /**
   * The key of the last event a response will hold, so the cursor can go in a header before the
   * body: with `limit`, the last of the first `limit` keys (the keys alone, read from the index);
   * without, the newest matching key.
   */
  lastKey(where: SqlCondition, limit: number | undefined): SqlCondition {
    const keys = raw(`${this.dialect.quote('created')}, ${this.dialect.quote('event_uuid')}`);
    if (limit === undefined) return sql`SELECT ${keys} FROM ${this.table} WHERE ${where} ORDER BY ${this.order('DESC')} LIMIT 1`;
    return sql`SELECT ${keys} FROM (SELECT ${keys} FROM ${this.table} WHERE ${where} ORDER BY ${this.order('ASC')} LIMIT ${limit}) ${raw(
      this.dialect.quote('first_keys'),
    )} ORDER BY ${this.order('DESC')} LIMIT 1`;
  }

  private get table() {
    return raw(this.dialect.quote(EVENT_TABLE));
  }

  private order(direction: 'ASC' | 'DESC') {
    return raw(`${this.dialect.quote('created')} ${direction}, ${this.dialect.quote('event_uuid')} ${direction}`);
  }
}

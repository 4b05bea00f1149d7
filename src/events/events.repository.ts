import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { HeavyReads } from '../database/heavy-reads';
import { EVENT_TABLE } from './event.entity';
import { EventWriter } from './revisions/event-writer';
import { and } from './query';
import { EVENT_SORT_COLUMNS, givenWritableFields } from './event.types';
import type { EventRecord, EventSortKey, EventWritableFields, JsonObject, SqlCondition } from './event.types';
import type { CounterSelection } from './query';

/** The columns `event_counts` counts by (migration 1764210000000). */
type CounterKey = 'action' | 'app' | 'context_model_app' | 'context_model_name';

/** A row as both drivers return it: JSON as text, BIGINT possibly as a string. */
interface EventRow {
  event_uuid: Buffer;
  user: string;
  action: string;
  app: string;
  context: string;
  client_ip: string | null;
  created: number | string;
  expires: number | string;
  brand: string;
}

const COLUMNS = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'] as const;
const JSON_COLUMNS = new Set<string>(['user', 'context', 'brand']);
const SORTABLE = new Set<string>(EVENT_SORT_COLUMNS);

/** `0f8e…` (dashed or not) → the 16 bytes stored in `event_uuid`. */
export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The one place a database row becomes an `EventRecord`. */
export function toEventRecord(row: EventRow): EventRecord {
  return {
    uuid: bytesToUuid(row.event_uuid),
    user: JSON.parse(row.user) as JsonObject,
    action: row.action,
    app: row.app,
    context: JSON.parse(row.context) as JsonObject,
    client_ip: row.client_ip,
    created: Number(row.created),
    expires: Number(row.expires),
    brand: JSON.parse(row.brand) as JsonObject,
  };
}

/** A column's value as it is written: JSON documents as text, the rest as they are. */
export function toColumnValue(column: string, value: unknown): unknown {
  return JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;
}

/**
 * Every SQL statement on `events`, so the queries can be read (and their plans checked) in one
 * place. Raw SQL with `?` placeholders works on both drivers; identifiers are quoted per dialect
 * because `user` is a reserved word. An event is *visible* while `expires > now` (SPEC §5); the
 * caller passes `now` so one request sees one instant. Writes go through `EventWriter`, whose
 * statements (each with the revision it appends, SPEC §7) are in src/events/revisions/revision-sql.ts.
 */
@Injectable()
export class EventsRepository {
  private readonly q: (identifier: string) => string;
  private readonly table: string;
  private readonly selectList: string;
  private readonly byExpiryIndex: string;
  /** An expression that groups and compares text by its bytes (MariaDB's collation ignores case). */
  private readonly byteKey: (expression: string) => string;

  constructor(
    private readonly dataSource: DataSource,
    /** Pages and counts: their filters and search are the caller's (see HeavyReads). */
    private readonly heavyReads: HeavyReads,
    @InjectConfig() config: AppConfig,
    private readonly writer: EventWriter,
  ) {
    this.q = config.database.type === 'mysql' ? (id) => `\`${id}\`` : (id) => `"${id}"`;
    this.table = this.q(EVENT_TABLE);
    this.selectList = COLUMNS.map(this.q).join(', ');
    // The expired-rows count must walk idx_events_expires, not an action index.
    this.byExpiryIndex =
      config.database.type === 'mysql' ? 'FORCE INDEX (idx_events_expires)' : 'INDEXED BY idx_events_expires';
    this.byteKey = config.database.type === 'mysql' ? (e) => `CAST(${e} AS BINARY)` : (e) => e;
  }

  /** Primary key lookup, visible events only. */
  async findVisibleById(uuid: string, now: Micros): Promise<EventRecord | null> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${this.selectList} FROM ${this.table} WHERE ${this.q('event_uuid')} = ? AND ${this.q('expires')} > ?`,
      [uuidToBytes(uuid), now],
    );
    return rows.length > 0 ? toEventRecord(rows[0]) : null;
  }

  /**
   * Stores a new event with its creation revision (SPEC §7), atomically. `actor`: the revision's
   * user snapshot (`{}` for the system). `manager`: the caller's transaction, so the event
   * commits or rolls back with it. Resolves to the event as stored (see `EventWriter.insert`).
   */
  insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<EventRecord> {
    return this.writer.insert(event, actor, manager);
  }

  /**
   * Writes only the given columns of a visible event, in one UPDATE, and appends the revision;
   * concurrent writes to one event are serialised (EventWriter), so neither a field nor a
   * revision is lost. The event as it is now, or null when no visible event has that uuid.
   */
  patchFields(uuid: string, fields: EventWritableFields, now: Micros, actor: JsonObject): Promise<EventRecord | null> {
    // Only writable columns reach the SQL text, so `event_uuid` and `created` never change.
    const given = givenWritableFields(fields);
    if (Object.keys(given).length === 0) throw new Error('patchFields needs at least one field');
    return this.writer.patch(uuid, given, now, actor);
  }

  /** Deletes a visible event and appends its deletion revision; false when not visible. */
  deleteVisible(uuid: string, now: Micros, actor: JsonObject): Promise<boolean> {
    return this.writer.delete(uuid, now, actor);
  }

  /**
   * One page of visible events. With the default ordering this is
   * `WHERE expires > ? ORDER BY created DESC, event_uuid DESC LIMIT ? OFFSET ?`, which walks
   * idx_events_created backwards (InnoDB secondary indexes end with the primary key).
   */
  async listPage(options: {
    where?: SqlCondition;
    anyOf?: readonly SqlCondition[];
    ordering: readonly EventSortKey[];
    limit: number;
    offset: number;
    now: Micros;
  }): Promise<EventRecord[]> {
    const branches = this.branches(options.where, options.anyOf, options.now);
    const keys = this.sortKeys(options.ordering);
    const orderBy = keys.map((key) => `${this.q(key.column)} ${key.descending ? 'DESC' : 'ASC'}`).join(', ');
    const uuid = this.q('event_uuid');
    // Deferred join: the page's keys come from the index alone (list indexes end in created,
    // event_uuid, expires), and only the rows of the page are read in full. A plain
    // `SELECT * … OFFSET 9980` reads and throws away 9 980 whole rows, JSON included.
    const pageKeys =
      branches.length === 1
        ? {
            sql: `SELECT ${uuid} FROM ${this.table} WHERE ${branches[0].sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
            params: [...branches[0].params, options.limit, options.offset],
          }
        : this.unionPageKeys(branches, keys, orderBy, options.limit, options.offset);
    const rows = await this.heavyReads.query<EventRow>(
      `SELECT ${this.selectList} FROM ${this.table} JOIN (${pageKeys.sql}) AS page USING (${uuid}) ORDER BY ${orderBy}`,
      pageKeys.params,
    );
    return rows.map(toEventRecord);
  }

  /** The exact number of visible events matching `where` (and one of `anyOf`): the pagination's `count`. */
  async countVisible(options: { where?: SqlCondition; anyOf?: readonly SqlCondition[]; now: Micros }): Promise<number> {
    const branches = this.branches(options.where, options.anyOf, options.now);
    const uuid = this.q('event_uuid');
    // UNION (not UNION ALL): an event matching two branches is counted once.
    const rows = await this.heavyReads.query<{ n: number | string }>(
      branches.length === 1
        ? `SELECT COUNT(*) AS n FROM ${this.table} WHERE ${branches[0].sql}`
        : `SELECT COUNT(*) AS n FROM (${branches.map((b) => `SELECT ${uuid} FROM ${this.table} WHERE ${b.sql}`).join(' UNION ')}) AS matches`,
      branches.flatMap((b) => b.params),
    );
    return Number(rows[0].n);
  }

  /**
   * Visible events that `selection` selects, from the event counters (see `visibleCounts`).
   * A missing model key is '' (a filter never asks for '').
   */
  async countVisibleFromCounters(selection: CounterSelection, now: Micros): Promise<number> {
    const { contextModelApp, contextModelName } = selection;
    const rows = await this.visibleCounts(['action', 'context_model_app', 'context_model_name'], now);
    return rows
      .filter(
        (row) =>
          selection.action(row.action) &&
          (contextModelApp === undefined || row.context_model_app === contextModelApp) &&
          (contextModelName === undefined || row.context_model_name === contextModelName),
      )
      .reduce((sum, row) => sum + row.n, 0);
  }

  /** The distinct `app` values of visible events, byte-sorted (`App` and `app` are two), from the event counters. */
  async visibleApps(now: Micros): Promise<string[]> {
    const rows = await this.visibleCounts(['app'], now);
    return rows
      .filter((row) => row.n > 0)
      .map((row) => row.app)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /**
   * Visible events per distinct value of `keys`, from the counters that triggers keep per action,
   * app, model app and model name (migrations 1764200000000, 1764210000000), without reading the
   * events: the counters include every row, so the expired rows the purge has not removed yet (a
   * short range of idx_events_expires) are subtracted. One round trip: both, grouped by `keys`
   * (by their bytes, as the counters are; a missing model key is '' on both sides).
   */
  private async visibleCounts<K extends CounterKey>(keys: readonly K[], now: Micros): Promise<(Record<K, string> & { n: number })[]> {
    const columns = keys.map((key) => this.q(key));
    const asStored = (key: K, column: string) => (key.startsWith('context_') ? `COALESCE(${column}, '')` : column);
    const rows: (Record<K, string> & { stored: number | string; expired: number | string })[] = await this.dataSource.query(
      `SELECT ${columns.map((column) => `${column} AS ${column}`).join(', ')}, SUM(${this.q('n')}) AS stored, 0 AS expired ` +
        `FROM ${this.q('event_counts')} GROUP BY ${columns.join(', ')} ` +
        `UNION ALL SELECT ${keys.map((key, i) => `MIN(${asStored(key, columns[i])})`).join(', ')}, 0, COUNT(*) ` +
        `FROM ${this.table} ${this.byExpiryIndex} WHERE ${this.q('expires')} <= ? ` +
        `GROUP BY ${keys.map((key, i) => this.byteKey(asStored(key, columns[i]))).join(', ')}`,
      [now],
    );
    const net = new Map<string, Record<K, string> & { n: number }>();
    for (const { stored, expired, ...values } of rows) {
      const id = JSON.stringify(keys.map((key) => (values as Record<K, string>)[key]));
      const entry = net.get(id) ?? { ...(values as Record<K, string>), n: 0 };
      entry.n += Number(stored) - Number(expired);
      net.set(id, entry);
    }
    return [...net.values()];
  }

  /**
   * The WHERE of each branch of a read: one, or one per `anyOf` condition. Each branch is an
   * index range that the database reads from the index alone; their OR is not (see
   * buildListSelection), so reads with `anyOf` combine the branches with UNION.
   */
  private branches(where: SqlCondition | undefined, anyOf: readonly SqlCondition[] | undefined, now: Micros): SqlCondition[] {
    if (!anyOf || anyOf.length === 0) return [this.visibleWhere(where, now)];
    return anyOf.map((alternative) => this.visibleWhere(where ? and(where, alternative) : alternative, now));
  }

  /**
   * The keys of one page from several branches: each branch's own first `offset + limit` rows
   * in the page's order (an index range walked in order), merged and cut to the page. Every row
   * of the page is among the first `offset + limit` of a branch it matches, because the order
   * is total (it ends in event_uuid).
   */
  private unionPageKeys(branches: SqlCondition[], keys: EventSortKey[], orderBy: string, limit: number, offset: number): SqlCondition {
    const columns = keys.map((key) => this.q(key.column)).join(', ');
    // SQLite takes ORDER BY/LIMIT in a UNION member only inside a subquery; MariaDB accepts that too.
    const members = branches.map(
      (branch, i) => `SELECT ${columns} FROM (SELECT ${columns} FROM ${this.table} WHERE ${branch.sql} ORDER BY ${orderBy} LIMIT ?) AS branch${i}`,
    );
    return {
      sql: `SELECT ${this.q('event_uuid')} FROM (${members.join(' UNION ')}) AS matches ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      params: [...branches.flatMap((branch) => [...branch.params, offset + limit]), limit, offset],
    };
  }

  private visibleWhere(where: SqlCondition | undefined, now: Micros): SqlCondition {
    const visible = `${this.q('expires')} > ?`;
    return where
      ? { sql: `${visible} AND (${where.sql})`, params: [now, ...where.params] }
      : { sql: visible, params: [now] };
  }

  /** The requested keys, then `event_uuid` (in the first key's direction) so pages never overlap. */
  private sortKeys(ordering: readonly EventSortKey[]): EventSortKey[] {
    // Column names become SQL text: only the known ones, each once, whatever a caller passes.
    const keys = ordering.filter(
      (key, i) => SORTABLE.has(key.column) && ordering.findIndex((other) => other.column === key.column) === i,
    );
    if (!keys.some((key) => key.column === 'event_uuid')) {
      keys.push({ column: 'event_uuid', descending: keys[0]?.descending ?? true });
    }
    return keys;
  }
}

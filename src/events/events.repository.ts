import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Micros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { EVENT_TABLE } from './event.entity';
import { EventWriter } from './revisions/event-writer';
import { EVENT_SORT_COLUMNS, givenWritableFields } from './event.types';
import type { EventRecord, EventSortKey, EventWritableFields, JsonObject, SqlCondition } from './event.types';

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

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
    private readonly writer: EventWriter,
  ) {
    this.q = config.database.type === 'mysql' ? (id) => `\`${id}\`` : (id) => `"${id}"`;
    this.table = this.q(EVENT_TABLE);
    this.selectList = COLUMNS.map(this.q).join(', ');
    // The expired-rows count must walk idx_events_expires, not an action index.
    this.byExpiryIndex =
      config.database.type === 'mysql' ? 'FORCE INDEX (idx_events_expires)' : 'INDEXED BY idx_events_expires';
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
   * commits or rolls back with it.
   */
  insert(event: EventRecord, actor: JsonObject, manager?: EntityManager): Promise<void> {
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
    ordering: readonly EventSortKey[];
    limit: number;
    offset: number;
    now: Micros;
  }): Promise<EventRecord[]> {
    const { sql, params } = this.visibleWhere(options.where, options.now);
    const orderBy = this.orderBy(options.ordering);
    const uuid = this.q('event_uuid');
    // Deferred join: the page's keys come from the index alone (list indexes end in created,
    // event_uuid, expires), and only the rows of the page are read in full. A plain
    // `SELECT * … OFFSET 9980` reads and throws away 9 980 whole rows, JSON included.
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${this.selectList} FROM ${this.table} JOIN (` +
        `SELECT ${uuid} FROM ${this.table} WHERE ${sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?` +
        `) AS page USING (${uuid}) ORDER BY ${orderBy}`,
      [...params, options.limit, options.offset],
    );
    return rows.map(toEventRecord);
  }

  /** The exact number of visible events matching `where` (the pagination's `count`). */
  async countVisible(options: { where?: SqlCondition; now: Micros }): Promise<number> {
    const { sql, params } = this.visibleWhere(options.where, options.now);
    const rows: { n: number | string }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${this.table} WHERE ${sql}`,
      params,
    );
    return Number(rows[0].n);
  }

  /**
   * Visible events whose action satisfies `selects`, from the per-action counters that triggers
   * keep (migration 1764200000000): the counters include every row, so the expired rows the
   * purge has not removed yet (a short range of idx_events_expires) are subtracted.
   */
  async countVisibleByAction(selects: (action: string) => boolean, now: Micros): Promise<number> {
    const rows: { action: string; n: number | string }[] = await this.dataSource.query(
      `SELECT ${this.q('action')} AS action, SUM(${this.q('n')}) AS n FROM ${this.q('event_counts')} GROUP BY ${this.q('action')}`,
    );
    const chosen = rows.filter((row) => selects(row.action));
    const stored = chosen.reduce((sum, row) => sum + Number(row.n), 0);
    if (stored === 0) return 0;
    const allActions = chosen.length === rows.length;
    const expired: { n: number | string }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${this.table} ${this.byExpiryIndex} WHERE ${this.q('expires')} <= ?` +
        (allActions ? '' : ` AND ${this.q('action')} IN (${chosen.map(() => '?').join(', ')})`),
      allActions ? [now] : [now, ...chosen.map((row) => row.action)],
    );
    return stored - Number(expired[0].n);
  }

  private visibleWhere(where: SqlCondition | undefined, now: Micros): SqlCondition {
    const visible = `${this.q('expires')} > ?`;
    return where
      ? { sql: `${visible} AND (${where.sql})`, params: [now, ...where.params] }
      : { sql: visible, params: [now] };
  }

  /** The requested keys, then `event_uuid` (in the first key's direction) so pages never overlap. */
  private orderBy(ordering: readonly EventSortKey[]): string {
    // Column names become SQL text: only the known ones, whatever a caller passes at runtime.
    const keys = ordering.filter((key) => SORTABLE.has(key.column));
    if (!keys.some((key) => key.column === 'event_uuid')) {
      keys.push({ column: 'event_uuid', descending: keys[0]?.descending ?? true });
    }
    return keys.map((key) => `${this.q(key.column)} ${key.descending ? 'DESC' : 'ASC'}`).join(', ');
  }
}

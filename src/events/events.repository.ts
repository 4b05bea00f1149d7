import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Micros } from '@app/common';
import { HeavyReads } from '../database/heavy-reads';
import { KeptWhileUnchanged } from '../database/kept-while-unchanged';
import { sqliteConnection } from '../database/sqlite-connection';
import { sqliteContentMark } from '../database/sqlite-content-mark';
import { and, Dialect, join, raw, RawSql, sql, SqlCondition } from '../database/sql';
import { EVENT_TABLE } from './event.entity';
import { bytesToUuid, EVENT_COLUMNS, EventRow, toEventRecord, uuidToBytes } from './event-row';
import { EVENT_SORT_COLUMNS } from './event.types';
import type { EventRecord, EventSortKey } from './event.types';
import type { CounterPart } from './query';

/** The most `app` values `autocomplete` offers (EventsRepository.visibleApps). */
export const APP_OPTIONS_LIMIT = 200;

/** The columns the event counters count by (migration 1796660000000). */
type CounterKey = 'action' | 'app' | 'context_model_app' | 'context_model_name';

/** A counter: its totals, the deltas not yet folded into them, and the keys both count by. */
interface Counter<K extends CounterKey> {
  totals: string;
  deltas: string;
  keys: readonly K[];
}

/** What a list's count needs (no `app`: distinct apps never reach it), and `autocomplete`'s apps. */
const COUNTERS = {
  models: {
    totals: 'event_counts',
    deltas: 'event_count_deltas',
    keys: ['action', 'context_model_app', 'context_model_name'],
  } satisfies Counter<'action' | 'context_model_app' | 'context_model_name'>,
  apps: { totals: 'event_app_counts', deltas: 'event_app_count_deltas', keys: ['app'] } satisfies Counter<'app'>,
};

const SORTABLE = new Set<string>(EVENT_SORT_COLUMNS);

/**
 * The reads of events (one, a page, counts), built with the `sql` template and the database's
 * `Dialect` like every statement on `events`. An event is *visible* while `expires > now` (an
 * expired one only waits for the purge); the caller passes `now` so one request sees one
 * instant. Writes go through `EventWriter` (src/events/revisions), the stream's keyset reads
 * through stream-queries.ts, the purge's through purge-queries.ts.
 */
@Injectable()
export class EventsRepository {
  private readonly table: RawSql;
  private readonly selectList: RawSql;
  private readonly uuid: RawSql;
  private readonly modelCounts: KeptWhileUnchanged<CounterPart[]>;

  constructor(
    private readonly dataSource: DataSource,
    /** Pages and counts: their filters and search are the caller's (see HeavyReads). */
    private readonly heavyReads: HeavyReads,
    private readonly dialect: Dialect,
  ) {
    this.table = dialect.column(EVENT_TABLE);
    this.selectList = this.columnList(EVENT_COLUMNS);
    this.uuid = dialect.column('event_uuid');
    // SQLite: the app's one connection knows whether anything was written since the last read of
    // the counters (about 210 µs of the event loop per list page at 59 counter rows, against 3 µs
    // for the mark). MariaDB has no such mark (other instances write too): read each time.
    const mark = dialect.name === 'sqlite' ? sqliteContentMark(() => sqliteConnection(dataSource)) : () => null;
    this.modelCounts = new KeptWhileUnchanged(
      mark,
      (now) => this.visibleCountParts(COUNTERS.models, now),
      (now) => this.nextExpiry(now),
    );
  }

  /** Primary key lookup, visible events only. */
  async findVisibleById(uuid: string, now: Micros): Promise<EventRecord | null> {
    const query = sql`SELECT ${this.selectList} FROM ${this.table} WHERE ${this.uuid} = ${uuidToBytes(uuid)} AND ${this.dialect.column('expires')} > ${now}`;
    const rows: EventRow[] = await this.dataSource.query(query.sql, query.params);
    return rows.length > 0 ? toEventRecord(rows[0]) : null;
  }

  /** Which of these events are visible (the notification cleanup's "does its event still exist"). */
  async visibleIds(uuids: readonly string[], now: Micros): Promise<Set<string>> {
    return new Set((await this.visibleRows(uuids, now, this.uuid)).map((row) => bytesToUuid(row.event_uuid)));
  }

  /** These events, those still visible, by uuid: one read for many (the delivery pipeline's batches). */
  async findVisibleByIds(uuids: readonly string[], now: Micros): Promise<Map<string, EventRecord>> {
    const records = (await this.visibleRows(uuids, now, this.selectList)).map(toEventRecord);
    return new Map(records.map((record) => [record.uuid, record]));
  }

  private async visibleRows(uuids: readonly string[], now: Micros, columns: SqlCondition | RawSql): Promise<EventRow[]> {
    if (uuids.length === 0) return [];
    const keys = join(
      uuids.map((uuid) => sql`${uuidToBytes(uuid)}`),
      ', ',
    );
    const query = sql`SELECT ${columns} FROM ${this.table} WHERE ${this.uuid} IN (${keys}) AND ${this.dialect.column('expires')} > ${now}`;
    return this.dataSource.query(query.sql, query.params);
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
    /** Check the semijoins of `where` row by row as the walk goes (see Dialect.semijoinsRowByRow). */
    semijoinsRowByRow?: boolean;
  }): Promise<EventRow[]> {
    const branches = this.branches(options.where, options.anyOf, options.now);
    const keys = this.sortKeys(options.ordering);
    const orderBy = raw(keys.map((key) => `${this.dialect.quote(key.column)} ${key.descending ? 'DESC' : 'ASC'}`).join(', '));
    // Deferred join: the page's keys come from the index alone (list indexes end in created,
    // event_uuid, expires), and only the rows of the page are read in full. A plain
    // `SELECT * … OFFSET 9980` reads and throws away 9 980 whole rows, JSON included.
    const pageKeys =
      branches.length === 1
        ? sql`SELECT ${this.uuid} FROM ${this.table} WHERE ${branches[0]} ORDER BY ${orderBy} LIMIT ${options.limit} OFFSET ${options.offset}`
        : this.unionPageKeys(branches, keys, orderBy, options.limit, options.offset);
    // The page's keys drive the join, so each of its rows is one primary-key lookup. CROSS JOIN keeps
    // that order on SQLite (MariaDB reads it as a plain JOIN and picks the same plan as before):
    // with `events` first SQLite, which has no statistics, walked idx_events_created over every
    // row rather than sort the page's 20, 0.4 to 2 s at 1 000 000 events.
    const page = sql`SELECT ${this.selectList} FROM (${pageKeys}) AS page CROSS JOIN ${this.table} USING (${this.uuid}) ORDER BY ${orderBy}`;
    const query = options.semijoinsRowByRow ? this.dialect.semijoinsRowByRow(page) : page;
    // As stored: the list writes its body from the rows (eventJson), without parsing the documents.
    return this.heavyReads.query<EventRow>(query.sql, query.params);
  }

  /** The `created` of the `rank`-th newest event (visible or not), or null when there are fewer. */
  async createdOfNewest(rank: number): Promise<Micros | null> {
    const created = this.dialect.column('created');
    const query = sql`SELECT ${created} AS created FROM ${this.table} ORDER BY ${created} DESC, ${this.uuid} DESC LIMIT 1 OFFSET ${rank - 1}`;
    const rows = await this.heavyReads.query<{ created: number | string }>(query.sql, query.params);
    return rows.length === 0 ? null : Number(rows[0].created);
  }

  /** The exact number of visible events matching `where` (and one of `anyOf`): the pagination's `count`. */
  async countVisible(options: { where?: SqlCondition; anyOf?: readonly SqlCondition[]; now: Micros }): Promise<number> {
    const branches = this.branches(options.where, options.anyOf, options.now);
    // UNION (not UNION ALL): an event matching two branches is counted once.
    const query =
      branches.length === 1
        ? sql`SELECT COUNT(*) AS n FROM ${this.table} WHERE ${branches[0]}`
        : sql`SELECT COUNT(*) AS n FROM (${join(
            branches.map((branch) => sql`SELECT ${this.uuid} FROM ${this.table} WHERE ${branch}`),
            ' UNION ',
          )}) AS matches`;
    const rows = await this.heavyReads.query<{ n: number | string }>(query.sql, query.params);
    return Number(rows[0].n);
  }

  /**
   * Visible events by action and model, in parts (see `visibleCountParts`; a missing model key is
   * ''): what `countSelected` adds up. On SQLite the parts are kept between reads while nothing
   * is written and no event expires (KeptWhileUnchanged).
   */
  modelCountParts(now: Micros): Promise<CounterPart[]> {
    return this.modelCounts.get(now);
  }

  /** The first `expires` after `now`: until then, no visible event becomes expired. */
  private async nextExpiry(now: Micros): Promise<Micros | null> {
    const expires = this.dialect.column('expires');
    const query = sql`SELECT MIN(${expires}) AS next FROM ${this.table} WHERE ${expires} > ${now}`;
    const rows: { next: number | string | null }[] = await this.dataSource.query(query.sql, query.params);
    return rows[0]?.next === null || rows[0]?.next === undefined ? null : Number(rows[0].next);
  }

  /**
   * The `app` values of visible events, byte-sorted (`App` and `app` are two), from the app
   * counts: the APP_OPTIONS_LIMIT with the most events when there are more. Every list page
   * carries them in `autocomplete`, so a client writing a new `app` on every event would
   * otherwise make every page as long as the number of apps ever seen (100 000 apps: over 2 MB).
   * The database adds up and picks them: after 100 000 apps, doing that here held the event loop.
   * A heavy read: on SQLite that adding up itself took 35-50 ms at 100 000 apps, which on the
   * main connection held the event loop as long (68 ms seen by the benchmark under load).
   */
  async visibleApps(now: Micros): Promise<string[]> {
    const d = this.dialect;
    const app = d.column('app');
    const bytes = d.byteOrder(sql`${app}`);
    const n = sql`SUM(${d.column('stored')}) - SUM(${d.column('expired')})`;
    const counted = this.countedRows(COUNTERS.apps, now);
    const query = sql`SELECT MIN(${app}) AS ${app} FROM (${counted}) AS counted GROUP BY ${bytes} HAVING ${n} > 0 ORDER BY ${n} DESC, ${bytes} LIMIT ${APP_OPTIONS_LIMIT}`;
    const rows = await this.heavyReads.query<{ app: string }>(query.sql, query.params);
    return rows.map((row) => row.app).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /**
   * The parts of the visible events' count, by the counter's keys, without reading the events.
   * Triggers add every insert, delete and key change to the counter's deltas and a job folds them
   * into its totals (migration 1796660000000, src/events/counters/); totals plus deltas, read in
   * one statement (one snapshot), are every row's count, whether or not a fold runs meanwhile.
   * The expired rows the purge has not removed yet (a short range of idx_events_expires) are
   * subtracted, grouped by the same keys (by their bytes, as the counters are; a missing model key
   * is '' on both sides). One round trip. A key may come in several parts (its total, its delta
   * rows, its expired rows): a sum over the parts a selection accepts is that selection's count,
   * so they are not merged first (merging by key cost a list page more than the count itself).
   */
  private async visibleCountParts<K extends CounterKey>(counter: Counter<K>, now: Micros): Promise<(Record<K, string> & { n: number })[]> {
    const query = this.countedRows(counter, now);
    const rows: (Record<K, string> & { stored: number | string; expired: number | string })[] = await this.dataSource.query(
      query.sql,
      query.params,
    );
    return rows.map(({ stored, expired, ...values }) => ({ ...(values as Record<K, string>), n: Number(stored) - Number(expired) }));
  }

  /** The counter's rows as `(<keys>, stored, expired)`: totals, deltas and the expired rows per key, to be added up. */
  private countedRows<K extends CounterKey>(counter: Counter<K>, now: Micros): SqlCondition {
    const d = this.dialect;
    const { keys } = counter;
    const columns = keys.map((key) => d.column(key));
    const asStored = (key: K, i: number) => (key.startsWith('context_') ? sql`COALESCE(${columns[i]}, '')` : sql`${columns[i]}`);
    const list = (parts: SqlCondition[]) => join(parts, ', ');
    const selected = list(columns.map((column) => sql`${column} AS ${column}`));
    return sql`SELECT ${selected}, ${d.column('n')} AS stored, 0 AS expired FROM ${d.column(counter.totals)} UNION ALL SELECT ${selected}, ${d.column('n')}, 0 FROM ${d.column(counter.deltas)} UNION ALL SELECT ${list(keys.map((key, i) => sql`MIN(${asStored(key, i)})`))}, 0, COUNT(*) FROM ${this.table} ${
      // The expired-rows count must walk idx_events_expires, not an action index.
      d.useIndex('idx_events_expires')
    } WHERE ${d.column('expires')} <= ${now} GROUP BY ${list(keys.map((key, i) => d.byteOrder(asStored(key, i))))}`;
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
  private unionPageKeys(branches: SqlCondition[], keys: EventSortKey[], orderBy: RawSql, limit: number, offset: number): SqlCondition {
    const columns = this.columnList(keys.map((key) => key.column));
    // SQLite takes ORDER BY/LIMIT in a UNION member only inside a subquery; MariaDB accepts that too.
    const members = branches.map(
      (branch, i) =>
        sql`SELECT ${columns} FROM (SELECT ${columns} FROM ${this.table} WHERE ${branch} ORDER BY ${orderBy} LIMIT ${offset + limit}) AS ${raw(`branch${i}`)}`,
    );
    return sql`SELECT ${this.uuid} FROM (${join(members, ' UNION ')}) AS matches ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`;
  }

  private visibleWhere(where: SqlCondition | undefined, now: Micros): SqlCondition {
    const visible = sql`${this.dialect.column('expires')} > ${now}`;
    return where ? sql`${visible} AND (${where})` : visible;
  }

  /** The requested keys, then `event_uuid` (in the first key's direction) so pages never overlap. */
  private sortKeys(ordering: readonly EventSortKey[]): EventSortKey[] {
    // Column names become SQL text: only the known ones, each once, whatever a caller passes.
    const keys = ordering.filter((key, i) => SORTABLE.has(key.column) && ordering.findIndex((other) => other.column === key.column) === i);
    if (!keys.some((key) => key.column === 'event_uuid')) {
      keys.push({ column: 'event_uuid', descending: keys[0]?.descending ?? true });
    }
    return keys;
  }

  private columnList(columns: readonly string[]): RawSql {
    return raw(columns.map((column) => this.dialect.quote(column)).join(', '));
  }
}

import { ApiException, badRequest, formatMicros } from '@app/common';
import { EVENT_TABLE } from '../event.entity';
import { Dialect, resolveDialect, SqlDialect } from '../../database/sql/dialect';
import { buildListFilter, ListQuery, visibleAt } from './event-filters';
import { parseStatsParams, parseTopPerUserParams, parseVolumeParams, ParamResult, StatsParams, VolumeParams } from './statistics-params';
import { and, join, raw, sql, SqlCondition, TRUE } from '../../database/sql/sql-condition';

/**
 * The three statistics of docs/api-contract.md §3.4 as ready-to-run SQL plus the mapping of its rows to the
 * response body. The service only does: `q = volumeStatistics(query, dialect, now);
 * return q.toResponse(await dataSource.query(q.sql, q.params))`. Parameter problems are thrown
 * as one 400 together with any list-filter problem.
 */
export interface StatisticsQuery<T> extends SqlCondition {
  toResponse(rows: readonly Record<string, unknown>[]): T;
}

export interface EventTopPerUser {
  application: Record<string, unknown>;
  counted_events: number;
  unique_users: number;
}

export interface EventVolume {
  action: string;
  time: string;
  count: number;
}

export interface EventStats {
  unique_users: number;
  count_step: Record<string, number>;
}

const MICROS_PER_DAY = 86_400_000_000;
/** Volume buckets: 6 hours, aligned on 00/06/12/18 UTC (the epoch is midnight UTC). */
export const VOLUME_BUCKET_MICROS = 6 * 3_600_000_000;

/**
 * `top_per_user` (authentik's EventViewSet.top_per_user): visible events with exactly `action`
 * whose `context.authorized_application` is an object, grouped by that object; most events
 * first (then by the object's text, so ties have one order), at most `top_n`. The list filters
 * do not apply here (docs/api-contract.md §3.4). A caller without view permission should get `[]` unasked.
 */
export function topPerUserStatistics(query: ListQuery, dialectName: SqlDialect | Dialect, now: number): StatisticsQuery<EventTopPerUser[]> {
  const d = resolveDialect(dialectName);
  const { action, topN } = unwrap(parseTopPerUserParams(query), {});
  const application = d.jsonDocument('context', ['authorized_application']);
  const group = d.byteOrder(application);
  const where = and(
    visibleAt(now, d),
    d.compareText(sql`${d.column('action')}`, '=', action, true),
    // Only objects: authentik's DictField cannot serialise anything else.
    d.jsonKindIs('context', ['authorized_application'], ['object']),
  );
  const statement = sql`SELECT MIN(${application}) AS ${d.column('application')}, COUNT(*) AS ${d.column(
    'counted_events',
  )}, COUNT(DISTINCT ${d.column('user_pk')}) AS ${d.column('unique_users')} FROM ${table(d)} WHERE ${where} GROUP BY ${group} ORDER BY ${d.column(
    'counted_events',
  )} DESC, ${group} LIMIT ${topN}`;
  return {
    ...statement,
    toResponse: (rows) =>
      rows.map((row) => ({
        application: jsonObject(row.application),
        counted_events: Number(row.counted_events),
        unique_users: Number(row.unique_users),
      })),
  };
}

/**
 * `volume`: the list filters, events created in the last `history_days` days, counted per
 * 6-hour UTC bucket and action, ordered by time then action; empty buckets are absent.
 * `bucket = floor(created / 6h) * 6h` on the integer microseconds.
 */
export function volumeStatistics(query: ListQuery, dialectName: SqlDialect | Dialect, now: number): StatisticsQuery<EventVolume[]> {
  const d = resolveDialect(dialectName);
  const { filter, params } = withListFilter(query, d, parseVolumeParams(query));
  const { historyDays }: VolumeParams = params;
  const created = sql`${d.column('created')}`;
  const bucket = sql`${d.floorDivide(created, VOLUME_BUCKET_MICROS)} * ${raw(String(VOLUME_BUCKET_MICROS))}`;
  const action = d.byteOrder(sql`${d.column('action')}`);
  const where = and(visibleAt(now, d), filter, sql`${created} >= ${now - historyDays * MICROS_PER_DAY}`);
  const statement = sql`SELECT ${bucket} AS ${d.column('bucket')}, MIN(${d.column('action')}) AS ${d.column(
    'action',
  )}, COUNT(*) AS ${d.column('count')} FROM ${table(d)} WHERE ${where} GROUP BY ${bucket}, ${action} ORDER BY ${bucket}, ${action}`;
  return {
    ...statement,
    toResponse: (rows) =>
      rows.map((row) => ({
        action: String(row.action),
        time: formatMicros(Number(row.bucket)) as string,
        count: Number(row.count),
      })),
  };
}

/**
 * `stats`: over the list filters' visible events, the number of distinct `user.pk` and, per
 * count step, how many were created within that duration of `now`. One pass over the rows.
 */
export function statsStatistics(query: ListQuery, dialectName: SqlDialect | Dialect, now: number): StatisticsQuery<EventStats> {
  const d = resolveDialect(dialectName);
  const { filter, params } = withListFilter(query, d, parseStatsParams(query));
  const { steps }: StatsParams = params;
  const counts = steps.map(
    (step, i) => sql`SUM(CASE WHEN ${d.column('created')} >= ${now - step.micros} THEN 1 ELSE 0 END) AS ${d.column(`step_${i}`)}`,
  );
  const statement = sql`SELECT COUNT(DISTINCT ${d.column('user_pk')}) AS ${d.column('unique_users')}, ${join(
    counts,
    ', ',
  )} FROM ${table(d)} WHERE ${and(visibleAt(now, d), filter)}`;
  return {
    ...statement,
    toResponse: (rows) => {
      const row = rows[0] ?? {};
      const countStep: Record<string, number> = {};
      // SUM over no rows is NULL; MariaDB returns SUM as a DECIMAL string.
      steps.forEach((step, i) => (countStep[step.key] = Number(row[`step_${i}`] ?? 0)));
      return { unique_users: Number(row.unique_users ?? 0), count_step: countStep };
    },
  };
}

const table = (d: Dialect) => raw(d.quote(EVENT_TABLE));

/** MariaDB hands JSON_EXTRACT results over parsed; SQLite as text. */
function jsonObject(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}

/** The list filter and the endpoint's own parameters; their problems become one 400. */
function withListFilter<T>(query: ListQuery, d: Dialect, params: ParamResult<T>): { filter: SqlCondition; params: T } {
  let filter: SqlCondition = TRUE;
  let filterErrors: Record<string, unknown> = {};
  try {
    filter = buildListFilter(query, d);
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    filterErrors = error.body;
  }
  return { filter, params: unwrap(params, filterErrors) };
}

function unwrap<T>(result: ParamResult<T>, otherErrors: Record<string, unknown>): T {
  const errors = { ...otherErrors, ...(result.ok ? {} : result.errors) };
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return (result as { ok: true; value: T }).value;
}

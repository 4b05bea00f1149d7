import { allValues, DrfMessage, lastValue, parseDuration } from '@app/common';
import type { ListQuery } from './event-filters';

/**
 * Query parameters of the statistics endpoints (docs/api-contract.md §3.4), validated with DRF's messages.
 * Each parser returns the values or the field errors; `statistics.ts` turns errors into a 400.
 */
export type ParamResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, unknown> };

export interface TopPerUserParams {
  /** Exact action; `login` when absent. */
  action: string;
  /** How many applications at most. */
  topN: number;
}

export interface VolumeParams {
  historyDays: number;
}

export interface CountStep {
  /** The step as given, without `=` and `;`: the key in `count_step` (`hours=24` → `hours24`). */
  key: string;
  micros: number;
}

export interface StatsParams {
  steps: CountStep[];
}

export const TOP_N_DEFAULT = 15;
export const HISTORY_DAYS_DEFAULT = 7;
export const HISTORY_DAYS_MAX = 60;
/**
 * Most `count_steps` of one `stats` request. authentik has no bound, but each step is one more
 * sum over every matching row (699 steps kept SQLite busy for 14 s); more is a 400 with the
 * message of DRF's `ListField(max_length=...)`.
 */
export const COUNT_STEPS_MAX = 32;

/** `top_n`: a positive integer, 15 by default (authentik's `int(request.query_params.get(...))`). */
export function parseTopPerUserParams(query: ListQuery): ParamResult<TopPerUserParams> {
  const action = lastValue(query.action);
  const rawTopN = lastValue(query.top_n);
  const topN = rawTopN === undefined ? TOP_N_DEFAULT : parseInteger(rawTopN, 1);
  if (typeof topN === 'string') return { ok: false, errors: { top_n: [topN] } };
  return { ok: true, value: { action: typeof action === 'string' ? action : 'login', topN } };
}

/**
 * `history_days`: a non-negative integer, at most 60 (larger is clamped, as authentik's
 * `min(int(...), 60)`); absent or empty means 7 (authentik tests the raw value's truthiness).
 */
export function parseVolumeParams(query: ListQuery): ParamResult<VolumeParams> {
  const raw = lastValue(query.history_days);
  if (raw === undefined || raw === '') return { ok: true, value: { historyDays: HISTORY_DAYS_DEFAULT } };
  const days = parseInteger(raw, 0);
  if (typeof days === 'string') return { ok: false, errors: { history_days: [days] } };
  return { ok: true, value: { historyDays: Math.min(days, HISTORY_DAYS_MAX) } };
}

/**
 * `count_steps`: required, repeatable, each a duration (`hours=24`, `weeks=3;days=2`). As DRF's
 * `ListField(child=CharField(validators=[timedelta_string_validator]))`: whitespace is trimmed,
 * errors are keyed by the step's position, every bad step is reported; at most COUNT_STEPS_MAX.
 */
export function parseStatsParams(query: ListQuery): ParamResult<StatsParams> {
  const given = allValues(query.count_steps);
  if (given.length === 0) return { ok: false, errors: { count_steps: [DrfMessage.required] } };
  if (given.length > COUNT_STEPS_MAX) return { ok: false, errors: { count_steps: [DrfMessage.maxItems(COUNT_STEPS_MAX)] } };
  const steps: CountStep[] = [];
  const errors: Record<string, string[]> = {};
  given.forEach((raw, index) => {
    const text = raw.trim();
    const micros = text === '' ? null : parseDuration(text);
    const problems: string[] = [];
    if (text === '') problems.push(DrfMessage.blank);
    else if (micros === null) problems.push(`${text} is not in the correct format of 'hours=3;minutes=1'.`);
    if (text.includes('\0')) problems.push(DrfMessage.nullCharacters);
    if (problems.length > 0) errors[String(index)] = problems;
    else steps.push({ key: text.replace(/[=;]/g, ''), micros: micros as number });
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors: { count_steps: errors } };
  return { ok: true, value: { steps } };
}

const MAX_INTEGER_TEXT = 1000;

/**
 * DRF's IntegerField on a query string value: Python's `int()` after dropping a `.0` tail
 * (`" 5 "`, `"+5"`, `"5.0"`, `"1_000"` are integers). Returns the number, or DRF's message.
 * Integers beyond JavaScript's safe range are clamped (they only ever mean "all of them").
 */
export function parseInteger(raw: unknown, min: number): number | string {
  if (typeof raw !== 'string' || raw.length > MAX_INTEGER_TEXT) return DrfMessage.integer;
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(raw.replace(/\.0*\s*$/, ''));
  if (!match) return DrfMessage.integer;
  const big = BigInt(`${match[1]}${match[2].replace(/_/g, '')}`);
  if (big < BigInt(min)) return DrfMessage.minValue(min);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

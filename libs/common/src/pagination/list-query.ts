import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Brackets } from 'typeorm';
import { allValues, buildPagination, PageRequest, PageSizeLimits, Pagination, parsePageRequest, lastValue } from './pagination';

/** The raw query string of a list request (repeated keys are arrays). */
export type ListQuery = Record<string, unknown>;

/** A django-filter value: the last one given; an empty value means "do not filter". */
export function textParam(query: ListQuery, name: string): string | undefined {
  const value = lastValue(query[name]);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** django-filter's BooleanFilter: true/True/1, false/False/0; anything else does not filter. */
export function booleanParam(query: ListQuery, name: string): boolean | undefined {
  const value = textParam(query, name);
  if (value === 'true' || value === 'True' || value === '1') return true;
  if (value === 'false' || value === 'False' || value === '0') return false;
  return undefined;
}

/** All non-empty values of a repeatable parameter (`?type=a&type=b`). */
export function listParam(query: ListQuery, name: string): string[] {
  return allValues(query[name]).filter((value) => value !== '');
}

/** Escapes `LIKE` wildcards with `!` (an escape character both SQLite and MariaDB accept). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** Case-insensitive "contains" pattern, to compare against `LOWER(column)`. */
export function containsPattern(term: string): string {
  return `%${escapeLike(term.toLowerCase())}%`;
}

/**
 * DRF's SearchFilter: terms split on whitespace and commas; every term must be contained
 * (case-insensitively) in at least one of the columns.
 */
export function applySearch<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, query: ListQuery, columns: string[]): void {
  const raw = textParam(query, 'search');
  if (!raw) return;
  const terms = raw.replace(/\0/g, '').replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  terms.forEach((term, i) => {
    qb.andWhere(
      new Brackets((or) => {
        for (const column of columns) or.orWhere(`LOWER(${column}) LIKE :search${i} ESCAPE '!'`, { [`search${i}`]: containsPattern(term) });
      }),
    );
  });
}

/**
 * DRF's OrderingFilter: comma-separated names from `allowed` (wire name → SQL column), `-` for
 * descending; unknown names are ignored; nothing valid means the default. `tieBreaker` makes
 * the order total so pages never repeat or skip rows.
 */
export function applyOrdering<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: ListQuery,
  allowed: Record<string, string>,
  fallback: string[],
  tieBreaker: string,
): void {
  const requested = (textParam(query, 'ordering') ?? '')
    .split(',')
    .map((term) => term.trim())
    .filter((term) => allowed[term.replace(/^-/, '')] !== undefined);
  const terms = requested.length > 0 ? requested : fallback;
  let first = true;
  for (const term of [...terms, tieBreaker]) {
    const column = allowed[term.replace(/^-/, '')];
    const direction = term.startsWith('-') ? 'DESC' : 'ASC';
    if (first) qb.orderBy(column, direction);
    else qb.addOrderBy(column, direction);
    first = false;
  }
}

/** Counts, checks the page exists (404 `Invalid page.` otherwise) and fetches that page. */
export async function fetchPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: ListQuery,
  limits: PageSizeLimits,
): Promise<{ pagination: Pagination; rows: T[] }> {
  const request: PageRequest = parsePageRequest(query, limits);
  const count = await qb.getCount();
  const pagination = buildPagination(request, count);
  const rows = count === 0 ? [] : await qb.offset(request.offset).limit(request.pageSize).getMany();
  return { pagination, rows };
}

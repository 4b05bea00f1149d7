import { invalidPage } from '../http/api-errors';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** authentik's page-number pagination block (`authentik/api/pagination.py`). */
export interface Pagination {
  next: number;
  previous: number;
  count: number;
  current: number;
  total_pages: number;
  start_index: number;
  end_index: number;
}

export interface Paginated<T> {
  pagination: Pagination;
  results: T[];
  autocomplete: Record<string, unknown>;
}

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

const POSITIVE_INT = /^\d+$/;

/**
 * `page_size`: a positive integer, clamped at 1000; anything else falls back to 100.
 * `page`: 1-based; anything but a positive integer (an empty value too) is `Invalid page.`
 * (checking the upper bound needs the count, see `buildPagination`).
 */
export function parsePageRequest(query: { page?: unknown; page_size?: unknown }): PageRequest {
  const rawSize = lastValue(query.page_size);
  let pageSize = DEFAULT_PAGE_SIZE;
  if (typeof rawSize === 'string' && POSITIVE_INT.test(rawSize.trim())) {
    const n = Number(rawSize.trim());
    if (n > 0) pageSize = Math.min(n, MAX_PAGE_SIZE);
  }
  const rawPage = lastValue(query.page);
  let page = 1;
  if (rawPage !== undefined) {
    if (typeof rawPage !== 'string' || !POSITIVE_INT.test(rawPage.trim()) || rawPage.trim().length > 15) {
      throw invalidPage();
    }
    page = Number(rawPage.trim());
    if (page < 1) throw invalidPage();
  }
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** Throws `Invalid page.` when the requested page lies past the end (page 1 always exists). */
export function buildPagination(request: PageRequest, count: number): Pagination {
  const totalPages = Math.max(1, Math.ceil(count / request.pageSize));
  if (request.page > totalPages) throw invalidPage();
  const start = count === 0 ? 0 : request.offset + 1;
  const end = count === 0 ? 0 : Math.min(request.offset + request.pageSize, count);
  return {
    next: request.page < totalPages ? request.page + 1 : 0,
    previous: request.page > 1 ? request.page - 1 : 0,
    count,
    current: request.page,
    total_pages: totalPages,
    start_index: start,
    end_index: end,
  };
}

/** A repeated query parameter counts by its last value (Django's QueryDict.get). */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** All values of a possibly repeated query parameter. */
export function allValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

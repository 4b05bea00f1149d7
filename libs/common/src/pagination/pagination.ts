import { invalidPage } from '../http/api-errors';

/** authentik's tenant settings `pagination_default_page_size` and `pagination_max_page_size`. */
export interface PageSizeLimits {
  /** The size of a page when the request names none. */
  defaultPageSize: number;
  /** The largest page; a larger `page_size` is clamped to it. */
  maxPageSize: number;
}

/** authentik's defaults since 2025.12 (`authentik/tenants/models.py`). */
export const AUTHENTIK_PAGE_SIZE_LIMITS: PageSizeLimits = { defaultPageSize: 20, maxPageSize: 100 };

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
/** What Python's `int()` reads as a non-negative number: an optional `+`, `_` between digits. */
const PYTHON_INT = /^\+?\d+(?:_\d+)*$/;

/**
 * `page_size` as authentik's `Pagination.get_page_size`: absent, the default; a positive integer,
 * clamped at the maximum; given but anything else (0, negative, not a number, empty), the default,
 * as docs/api-contract.md §3.3 and authentik's published behaviour say. (authentik's code would give DRF's
 * `PAGE_SIZE`, 100, clamped: `get_page_size` falls through to it; the contract chose the default.)
 * `page`: 1-based; anything but a positive integer (an empty value too) is `Invalid page.`
 * (checking the upper bound needs the count, see `buildPagination`).
 */
export function parsePageRequest(query: { page?: unknown; page_size?: unknown }, limits: PageSizeLimits): PageRequest {
  const pageSize = requestedPageSize(lastValue(query.page_size), limits);
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

function requestedPageSize(raw: unknown, limits: PageSizeLimits): number {
  if (raw === undefined) return limits.defaultPageSize;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const n = PYTHON_INT.test(text) ? Number(text.replace(/_/g, '')) : 0;
  return n > 0 ? Math.min(n, limits.maxPageSize) : limits.defaultPageSize;
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

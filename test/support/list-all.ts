import type { ApiClient } from './api-client';

/**
 * Every result of a paginated list, walking the pages at the largest default size (100), for
 * tests that need the whole list rather than one page. `pathWithQuery` may carry filters.
 * Fails the test on anything but 200 or on a `count` that disagrees with the rows read.
 */
export async function listAllResults<T = any>(client: ApiClient, pathWithQuery: string): Promise<T[]> {
  const results: T[] = [];
  const separator = pathWithQuery.includes('?') ? '&' : '?';
  for (let page = 1; page > 0;) {
    const res = await client.get(`${pathWithQuery}${separator}page_size=100&page=${page}`);
    if (res.status !== 200) throw new Error(`list answered ${res.status} ${res.text}`);
    results.push(...res.body.results);
    page = res.body.pagination.next;
    if (page === 0 && results.length !== res.body.pagination.count) {
      throw new Error(`list read ${results.length} rows, count says ${res.body.pagination.count}`);
    }
  }
  return results;
}

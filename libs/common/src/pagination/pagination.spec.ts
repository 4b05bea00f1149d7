import { ApiException } from '../http/api-errors';
import { buildPagination, parsePageRequest } from './pagination';

describe('parsePageRequest', () => {
  it('defaults to page 1 of 100', () => {
    expect(parsePageRequest({})).toEqual({ page: 1, pageSize: 100, offset: 0 });
  });
  it.each([
    ['0', 100],
    ['-1', 100],
    ['abc', 100],
    ['5000', 1000],
    ['20', 20],
  ])('page_size %p → %p', (size, expected) => {
    expect(parsePageRequest({ page_size: size }).pageSize).toBe(expected);
  });
  it.each(['0', '-1', 'abc', '1.5', ''])('page %p is Invalid page.', (page) => {
    expect(() => parsePageRequest({ page })).toThrow(ApiException);
  });
  it('uses the last of repeated values', () => {
    expect(parsePageRequest({ page: ['1', '3'], page_size: ['5', '10'] })).toEqual({ page: 3, pageSize: 10, offset: 20 });
  });
});

describe('buildPagination', () => {
  it('describes an empty list', () => {
    expect(buildPagination({ page: 1, pageSize: 100, offset: 0 }, 0)).toEqual({
      next: 0, previous: 0, count: 0, current: 1, total_pages: 1, start_index: 0, end_index: 0,
    });
  });
  it('describes a middle page', () => {
    expect(buildPagination({ page: 2, pageSize: 100, offset: 100 }, 250)).toEqual({
      next: 3, previous: 1, count: 250, current: 2, total_pages: 3, start_index: 101, end_index: 200,
    });
  });
  it('describes a partial last page', () => {
    expect(buildPagination({ page: 3, pageSize: 100, offset: 200 }, 250)).toMatchObject({ next: 0, end_index: 250 });
  });
  it('refuses a page past the end', () => {
    expect(() => buildPagination({ page: 4, pageSize: 100, offset: 300 }, 250)).toThrow(ApiException);
  });
});

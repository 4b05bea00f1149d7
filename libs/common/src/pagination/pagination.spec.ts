import { ApiException } from '../http/api-errors';
import { AUTHENTIK_PAGE_SIZE_LIMITS, buildPagination, parsePageRequest } from './pagination';

const limits = AUTHENTIK_PAGE_SIZE_LIMITS;

describe('parsePageRequest', () => {
  it('defaults to page 1 of 20', () => {
    expect(parsePageRequest({}, limits)).toEqual({ page: 1, pageSize: 20, offset: 0 });
  });
  it.each([
    ['20', 20],
    ['1', 1],
    ['100', 100],
    ['101', 100],
    ['5000', 100],
    ['99999999999999999999999', 100],
    [' 7 ', 7],
    ['+7', 7],
    ['1_0', 10],
    // Given but not a positive integer: the default.
    ['0', 20],
    ['-1', 20],
    ['abc', 20],
    ['1.5', 20],
    ['', 20],
  ])('page_size %p → %p', (size, expected) => {
    expect(parsePageRequest({ page_size: size }, limits).pageSize).toBe(expected);
  });
  it('clamps and falls back within configured limits', () => {
    const small = { defaultPageSize: 5, maxPageSize: 30 };
    expect(parsePageRequest({}, small).pageSize).toBe(5);
    expect(parsePageRequest({ page_size: '31' }, small).pageSize).toBe(30);
    expect(parsePageRequest({ page_size: 'x' }, small).pageSize).toBe(5);
    const large = { defaultPageSize: 20, maxPageSize: 1000 };
    expect(parsePageRequest({ page_size: '500' }, large).pageSize).toBe(500);
    expect(parsePageRequest({ page_size: '0' }, large).pageSize).toBe(20);
  });
  it.each(['0', '-1', 'abc', '1.5', ''])('page %p is Invalid page.', (page) => {
    expect(() => parsePageRequest({ page }, limits)).toThrow(ApiException);
  });
  it('uses the last of repeated values', () => {
    expect(parsePageRequest({ page: ['1', '3'], page_size: ['5', '10'] }, limits)).toEqual({ page: 3, pageSize: 10, offset: 20 });
  });
});

describe('buildPagination', () => {
  it('describes an empty list', () => {
    expect(buildPagination({ page: 1, pageSize: 100, offset: 0 }, 0)).toEqual({
      next: 0,
      previous: 0,
      count: 0,
      current: 1,
      total_pages: 1,
      start_index: 0,
      end_index: 0,
    });
  });
  it('describes a middle page', () => {
    expect(buildPagination({ page: 2, pageSize: 100, offset: 100 }, 250)).toEqual({
      next: 3,
      previous: 1,
      count: 250,
      current: 2,
      total_pages: 3,
      start_index: 101,
      end_index: 200,
    });
  });
  it('describes a partial last page', () => {
    expect(buildPagination({ page: 3, pageSize: 100, offset: 200 }, 250)).toMatchObject({ next: 0, end_index: 250 });
  });
  it('refuses a page past the end', () => {
    expect(() => buildPagination({ page: 4, pageSize: 100, offset: 300 }, 250)).toThrow(ApiException);
  });
});

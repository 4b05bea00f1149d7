import { nowMicros } from '@app/common';
import { EVENTS, insertRawEvents, sequentialUuids, VIEW } from './events/event-fixtures';
import { createUserWithToken } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * PAGINATION_DEFAULT_PAGE_SIZE and PAGINATION_MAX_PAGE_SIZE (authentik's tenant settings
 * `pagination_default_page_size` / `pagination_max_page_size`) apply to every list.
 */
describe(`configured page sizes (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  const LISTS = [EVENTS, '/api/v3/core/users/', '/api/v3/core/tokens/', '/api/v3/rbac/roles/'];

  beforeAll(async () => {
    t = await startTestApp({ PAGINATION_DEFAULT_PAGE_SIZE: '3', PAGINATION_MAX_PAGE_SIZE: '5' });
    // Seven of everything: more than one page at either size.
    for (let i = 0; i < 7; i++) await createUserWithToken(t, { permissions: [VIEW] });
    await insertRawEvents(
      t,
      sequentialUuids(7, 0x2000).map((pk, i) => ({ pk, created: nowMicros() - 1_000_000 - i })),
    );
  });
  afterAll(async () => t?.close());

  it.each(LISTS)('%s pages by the configured default', async (path) => {
    const res = await t.admin.get(path);
    expect(res.status).toBe(200);
    expect(res.body.pagination.count).toBeGreaterThanOrEqual(7);
    expect(res.body.results).toHaveLength(3);
    expect(res.body.pagination).toMatchObject({
      next: 2,
      start_index: 1,
      end_index: 3,
      total_pages: Math.ceil(res.body.pagination.count / 3),
    });
  });

  it.each(LISTS)('%s clamps page_size at the configured maximum', async (path) => {
    const res = await t.admin.get(`${path}?page_size=50`);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(5);
    expect(res.body.pagination).toMatchObject({ end_index: 5, total_pages: Math.ceil(res.body.pagination.count / 5) });
  });

  it.each(LISTS)('%s gives a page_size that is no positive integer the configured default', async (path) => {
    const res = await t.admin.get(`${path}?page_size=0`);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(3);
  });

  it('a size under the maximum is taken as asked', async () => {
    const res = await t.admin.get(`${EVENTS}?page_size=4&page=2`);
    expect(res.body.results).toHaveLength(3);
    expect(res.body.pagination).toMatchObject({ count: 7, current: 2, total_pages: 2, start_index: 5, end_index: 7 });
  });
});

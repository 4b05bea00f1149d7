import { nowMicros } from '@app/common';
import { and, buildListFilter, resolveDialect, visibleAt } from '../../src/events/query';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { eventsDuring, hex } from './recording-fixtures';

/**
 * The `username` list filter (docs/api-contract.md §3.3) finds the model events of a user (`context.model` is
 * that user) besides the user's own events. Run as the filter's SQL against the stored events,
 * since the list endpoint does not apply its filters yet.
 */
describe(`username filter on model events (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  async function pksMatching(username: string): Promise<string[]> {
    const d = resolveDialect(t.dialect);
    const where = and(visibleAt(nowMicros(), d), buildListFilter({ username }, d));
    const rows: { id: Buffer }[] = await t.dataSource.query(
      `SELECT ${d.quote('event_uuid')} AS id FROM ${d.quote('events')} WHERE ${where.sql}`,
      where.params,
    );
    return rows.map((row) => Buffer.from(row.id).toString('hex')).sort();
  }

  it("finds the events about the user and the user's own, nobody else's", async () => {
    const jane = await createUserWithToken(t, { username: 'jane' });
    const aboutJane = await eventsDuring(t, () => t.admin.patch(`/api/v3/core/users/${jane.pk}/`, { name: 'Jane Doe' }));
    const byJane = await eventsDuring(t, () => jane.client.post('/api/v3/core/tokens/', { identifier: 'janes-token' }));
    const others = await eventsDuring(t, async () => {
      await t.admin.post('/api/v3/core/users/', { username: 'janet', name: 'Janet' });
      await t.admin.post('/api/v3/rbac/roles/', { name: 'jane' });
    });
    expect([aboutJane, byJane, others].map((events) => events.map((e) => e.action))).toEqual([
      ['model_updated'],
      ['model_created'],
      ['model_created', 'model_created'],
    ]);
    expect(aboutJane[0].context.model).toEqual({ app: 'authentik_core', model_name: 'user', pk: jane.pk, name: 'Jane Doe' });

    expect(await pksMatching('jane')).toEqual([aboutJane[0].pk, byJane[0].pk].map(hex).sort());
    expect(await pksMatching('janet')).toEqual([hex(others[0].pk)]);
  });
});

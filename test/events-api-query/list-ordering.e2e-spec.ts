import { nowMicros } from '@app/common';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS, HOUR, insertEvents, orderedNames, qs, StoredEvent } from './api-query-fixtures';

/**
 * `ordering` on GET /events/events/ (docs/api-contract.md §3.3): every allowed field both ways, several keys,
 * unknown names ignored, default `-created`. Four events whose values sort differently on every
 * field (plain ASCII, so both databases' collations agree).
 */
describe(`events_events_list ordering (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let ev: Record<string, StoredEvent>;
  const NOW = nowMicros();
  const FAR = Date.parse('2100-01-01T00:00:00Z') * 1000;

  /** Ascending order of the four events (a, b, c, d) on each field but `pk`. */
  const ASCENDING: Record<string, string[]> = {
    user: ['c', 'a', 'd', 'b'],
    action: ['d', 'a', 'b', 'c'],
    app: ['b', 'd', 'a', 'c'],
    context: ['b', 'a', 'd', 'c'],
    client_ip: ['c', 'b', 'd', 'a'],
    created: ['a', 'c', 'b', 'd'],
    expires: ['d', 'c', 'a', 'b'],
    brand: ['c', 'd', 'b', 'a'],
  };
  const rank = (field: string, name: string) => ASCENDING[field].indexOf(name) + 1;

  beforeAll(async () => {
    t = await startTestApp();
    const actions = { a: 'login', b: 'logout', c: 'model_created', d: 'authorize_application' };
    const events = Object.fromEntries(
      (['a', 'b', 'c', 'd'] as const).map((name) => [
        name,
        {
          user: { name: `u${rank('user', name)}` },
          action: actions[name],
          app: `app.${rank('app', name)}`,
          context: { k: `x${rank('context', name)}` },
          client_ip: `10.0.0.${rank('client_ip', name)}`,
          created: NOW - HOUR + rank('created', name),
          expires: FAR + rank('expires', name),
          brand: { name: `b${rank('brand', name)}` },
        },
      ]),
    );
    ev = await insertEvents(t, events);
  });
  afterAll(async () => t?.close());

  const order = (ordering?: string) => orderedNames(t, ev, ordering === undefined ? {} : { ordering });
  const byPk = () =>
    Object.values(ev)
      .sort((x, y) => (x.hex < y.hex ? -1 : 1))
      .map((event) => event.name);

  it.each(Object.keys(ASCENDING))('orders by %s, ascending and descending', async (field) => {
    expect(await order(field)).toEqual(ASCENDING[field]);
    expect(await order(`-${field}`)).toEqual([...ASCENDING[field]].reverse());
  });

  it('orders by pk, ascending and descending', async () => {
    expect(await order('pk')).toEqual(byPk());
    expect(await order('-pk')).toEqual(byPk().reverse());
  });

  it('defaults to -created', async () => {
    const newestFirst = [...ASCENDING.created].reverse();
    expect(await order()).toEqual(newestFirst);
    expect(await order('')).toEqual(newestFirst);
  });

  it.each([
    ['bogus', 'default'],
    ['--created', 'default'],
    ['+created', 'default'],
    ['Created', 'default'],
    ['event_uuid', 'default'],
    ['user;DROP TABLE events', 'default'],
    ['created desc', 'default'],
    [',', 'default'],
    ['bogus,app', 'app'],
    ['-bogus,-app', '-app'],
    [' app ', 'app'],
    ['app,bogus', 'app'],
    ['app,-app', 'app'],
  ])('ordering=%s is ordered by %s (unknown names ignored)', async (ordering, expected) => {
    const ascending = expected.replace(/^-/, '');
    const wanted =
      expected === 'default'
        ? [...ASCENDING.created].reverse()
        : expected.startsWith('-')
          ? [...ASCENDING[ascending]].reverse()
          : ASCENDING[ascending];
    expect(await order(ordering)).toEqual(wanted);
  });

  it('takes the last ordering parameter when repeated', async () => {
    expect(await orderedNames(t, ev, { ordering: ['app', '-brand'] })).toEqual([...ASCENDING.brand].reverse());
  });

  describe('several keys', () => {
    let tied: Record<string, StoredEvent>;

    beforeAll(async () => {
      // Two actions, two apps each, created apart: the second key decides within the first.
      tied = await insertEvents(t, {
        t1: { action: 'logout', app: 'z.one', created: NOW - 10 * HOUR, brand: { name: 'tie' } },
        t2: { action: 'logout', app: 'z.two', created: NOW - 11 * HOUR, brand: { name: 'tie' } },
        t3: { action: 'login', app: 'z.one', created: NOW - 12 * HOUR, brand: { name: 'tie' } },
        t4: { action: 'login', app: 'z.two', created: NOW - 13 * HOUR, brand: { name: 'tie' } },
      });
    });

    const tiedOrder = async (ordering: string) => {
      const res = await t.admin.get(`${EVENTS}${qs({ ordering, search: 'brand.name = "tie"' })}`);
      expect(res.status).toBe(200);
      return res.body.results.map((e: { pk: string }) => Object.values(tied).find((x) => x.uuid === e.pk)?.name);
    };

    it.each([
      ['action,app', ['t3', 't4', 't1', 't2']],
      ['action,-app', ['t4', 't3', 't2', 't1']],
      ['-action,app', ['t1', 't2', 't3', 't4']],
      ['-action,-created', ['t1', 't2', 't3', 't4']],
      ['-action,created', ['t2', 't1', 't4', 't3']],
      ['app,created', ['t3', 't1', 't4', 't2']],
      ['app,-created', ['t1', 't3', 't2', 't4']],
    ])('ordering=%s', async (ordering, expected) => {
      expect(await tiedOrder(ordering)).toEqual(expected);
    });
  });
});

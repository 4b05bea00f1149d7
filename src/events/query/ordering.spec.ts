import { orderBySql, parseOrdering } from './ordering';

const order = (raw: unknown) => orderBySql(parseOrdering(raw), 'sqlite');

describe('parseOrdering', () => {
  it('defaults to -created, pk descending as tie-breaker', () => {
    expect(parseOrdering(undefined)).toEqual([
      { column: 'created', descending: true },
      { column: 'event_uuid', descending: true },
    ]);
    expect(order('')).toBe('"created" DESC, "event_uuid" DESC');
  });

  it.each([
    ['pk', 'event_uuid'],
    ['user', 'user'],
    ['action', 'action'],
    ['app', 'app'],
    ['context', 'context'],
    ['client_ip', 'client_ip'],
    ['created', 'created'],
    ['expires', 'expires'],
    ['brand', 'brand'],
  ])('orders by %s both ways', (name, column) => {
    const tie = column === 'event_uuid' ? '' : `, "event_uuid"`;
    expect(order(name)).toBe(`"${column}" ASC${tie ? `${tie} ASC` : ''}`);
    expect(order(`-${name}`)).toBe(`"${column}" DESC${tie ? `${tie} DESC` : ''}`);
  });

  it('takes several keys; the tie-breaker follows the last key', () => {
    expect(order('-action,created')).toBe('"action" DESC, "created" ASC, "event_uuid" ASC');
    expect(order('action,-created')).toBe('"action" ASC, "created" DESC, "event_uuid" DESC');
  });

  it('does not add the pk when it is already a key', () => {
    expect(order('-pk,created')).toBe('"event_uuid" DESC, "created" ASC');
  });

  it('ignores unknown names, keeping the valid ones', () => {
    expect(order('foo,-action,event_uuid,bar')).toBe('"action" DESC, "event_uuid" DESC');
    expect(order('foo')).toBe('"created" DESC, "event_uuid" DESC');
  });

  it.each(['--created', '+created', 'Created', '- created', '-', ',', 'created;DROP TABLE events', '__proto__', 'constructor'])(
    'treats %p as unknown',
    (raw) => {
      expect(order(raw)).toBe('"created" DESC, "event_uuid" DESC');
    },
  );

  it('trims whitespace around names (DRF strips each term)', () => {
    expect(order(' app , -client_ip ')).toBe('"app" ASC, "client_ip" DESC, "event_uuid" DESC');
  });

  it('counts a name once (the first occurrence)', () => {
    expect(order('created,-created,app')).toBe('"created" ASC, "app" ASC, "event_uuid" ASC');
  });

  it('uses the last value of a repeated parameter', () => {
    expect(order(['app', '-action'])).toBe('"action" DESC, "event_uuid" DESC');
  });

  it('ignores values that are not text', () => {
    expect(order(42)).toBe('"created" DESC, "event_uuid" DESC');
  });

  it('quotes with backticks on MariaDB', () => {
    expect(orderBySql(parseOrdering('user'), 'mysql')).toBe('`user` ASC, `event_uuid` ASC');
  });
});

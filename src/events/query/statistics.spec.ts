import { statsStatistics, topPerUserStatistics, volumeStatistics } from './statistics';
import { errorBody, inline, placeholderProblems } from './testing';

const NOW = Date.parse('2026-07-10T12:34:56Z') * 1000;
const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

describe('topPerUserStatistics', () => {
  it('groups visible events of the action by context.authorized_application (SQLite)', () => {
    const query = topPerUserStatistics({ top_n: '3' }, 'sqlite', NOW);
    expect(placeholderProblems(query)).toEqual([]);
    expect(inline(query)).toBe(
      `SELECT MIN(json_extract("context", '$."authorized_application"')) AS "application", COUNT(*) AS "counted_events", ` +
        `COUNT(DISTINCT "user_pk") AS "unique_users" FROM "events" ` +
        `WHERE ("expires" > ${NOW}) AND ("action" = 'login') AND (json_type("context", '$."authorized_application"') IN ('object')) ` +
        `GROUP BY json_extract("context", '$."authorized_application"') ` +
        `ORDER BY "counted_events" DESC, json_extract("context", '$."authorized_application"') LIMIT 3`,
    );
  });

  it('groups by bytes and compares the action exactly on MariaDB', () => {
    const sql = inline(topPerUserStatistics({ action: 'authorize_application' }, 'mysql', NOW));
    expect(sql).toContain("(`action` = 'authorize_application' AND CAST(`action` AS BINARY) = CAST('authorize_application' AS BINARY))");
    expect(sql).toContain("JSON_TYPE(JSON_EXTRACT(`context`, '$.\"authorized_application\"')) IN ('OBJECT')");
    expect(sql).toContain('GROUP BY CAST(JSON_EXTRACT(`context`, \'$."authorized_application"\') AS BINARY)');
    expect(sql).toMatch(/LIMIT 15$/);
  });

  it('ignores the list filters (docs/api-contract.md §3.4)', () => {
    const plain = inline(topPerUserStatistics({}, 'sqlite', NOW));
    expect(inline(topPerUserStatistics({ username: 'x', search: 'foo', actions: 'nope' }, 'sqlite', NOW))).toBe(plain);
  });

  it('maps rows from either driver (JSON as text or parsed, counts as strings or numbers)', () => {
    const query = topPerUserStatistics({}, 'sqlite', NOW);
    expect(
      query.toResponse([
        { application: '{"pk":"a1","name":"App"}', counted_events: 3, unique_users: 2 },
        { application: { pk: 'b2' }, counted_events: '1', unique_users: '1' },
      ]),
    ).toEqual([
      { application: { pk: 'a1', name: 'App' }, counted_events: 3, unique_users: 2 },
      { application: { pk: 'b2' }, counted_events: 1, unique_users: 1 },
    ]);
    expect(query.toResponse([])).toEqual([]);
  });

  it('rejects a bad top_n', () => {
    expect(errorBody(() => topPerUserStatistics({ top_n: '0' }, 'sqlite', NOW))).toEqual({
      status: 400,
      body: { top_n: ['Ensure this value is greater than or equal to 1.'] },
    });
  });
});

describe('volumeStatistics', () => {
  it('counts per 6-hour bucket and action over the last history_days, list filters applied', () => {
    const query = volumeStatistics({ history_days: '2', actions: 'login' }, 'sqlite', NOW);
    expect(placeholderProblems(query)).toEqual([]);
    expect(inline(query)).toBe(
      `SELECT ("created" / 21600000000) * 21600000000 AS "bucket", MIN("action") AS "action", COUNT(*) AS "count" FROM "events" ` +
        `WHERE ("expires" > ${NOW}) AND ("action" IN ('login')) AND ("created" >= ${NOW - 2 * DAY}) ` +
        `GROUP BY ("created" / 21600000000) * 21600000000, "action" ORDER BY ("created" / 21600000000) * 21600000000, "action"`,
    );
  });

  it('uses DIV and byte order on MariaDB', () => {
    const sql = inline(volumeStatistics({}, 'mysql', NOW));
    expect(sql).toContain('SELECT (`created` DIV 21600000000) * 21600000000 AS `bucket`');
    expect(sql).toContain(`\`created\` >= ${NOW - 7 * DAY}`);
    expect(sql).toContain('ORDER BY (`created` DIV 21600000000) * 21600000000, CAST(`action` AS BINARY)');
  });

  it('maps buckets to UTC datetimes', () => {
    const bucket = Date.parse('2026-07-10T06:00:00Z') * 1000;
    expect(
      volumeStatistics({}, 'sqlite', NOW).toResponse([
        { bucket, action: 'login', count: 2 },
        { bucket: String(bucket + 6 * HOUR), action: 'logout', count: '1' },
      ]),
    ).toEqual([
      { action: 'login', time: '2026-07-10T06:00:00.000000Z', count: 2 },
      { action: 'logout', time: '2026-07-10T12:00:00.000000Z', count: 1 },
    ]);
  });

  it('reports parameter and filter problems in one 400', () => {
    expect(errorBody(() => volumeStatistics({ history_days: '-1', actions: 'nope' }, 'sqlite', NOW))).toEqual({
      status: 400,
      body: {
        actions: ['Select a valid choice. nope is not one of the available choices.'],
        history_days: ['Ensure this value is greater than or equal to 0.'],
      },
    });
  });
});

describe('statsStatistics', () => {
  it('counts distinct user pks and events per step in one pass', () => {
    const query = statsStatistics({ count_steps: ['hours=24', 'days=7'], client_ip: '::1' }, 'sqlite', NOW);
    expect(placeholderProblems(query)).toEqual([]);
    expect(inline(query)).toBe(
      `SELECT COUNT(DISTINCT "user_pk") AS "unique_users", ` +
        `SUM(CASE WHEN "created" >= ${NOW - DAY} THEN 1 ELSE 0 END) AS "step_0", ` +
        `SUM(CASE WHEN "created" >= ${NOW - 7 * DAY} THEN 1 ELSE 0 END) AS "step_1" ` +
        `FROM "events" WHERE ("expires" > ${NOW}) AND ("client_ip" = '::1')`,
    );
  });

  it('answers {"unique_users", "count_step": {key: n}}, NULL sums as 0', () => {
    const query = statsStatistics({ count_steps: ['hours=24', 'weeks=3;days=2'] }, 'mysql', NOW);
    expect(query.toResponse([{ unique_users: 4, step_0: '3', step_1: '10' }])).toEqual({
      unique_users: 4,
      count_step: { hours24: 3, weeks3days2: 10 },
    });
    expect(query.toResponse([{ unique_users: 0, step_0: null, step_1: null }])).toEqual({
      unique_users: 0,
      count_step: { hours24: 0, weeks3days2: 0 },
    });
  });

  it('rejects a bad or missing step', () => {
    expect(errorBody(() => statsStatistics({ count_steps: '24d' }, 'sqlite', NOW))).toEqual({
      status: 400,
      body: { count_steps: { '0': ["24d is not in the correct format of 'hours=3;minutes=1'."] } },
    });
    expect(errorBody(() => statsStatistics({}, 'sqlite', NOW))).toEqual({
      status: 400,
      body: { count_steps: ['This field is required.'] },
    });
  });
});

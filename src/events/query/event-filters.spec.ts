import {
  buildListFilter,
  buildListSelection,
  countSelected,
  customActionsIn,
  ListQuery,
  MAX_CUSTOM_ACTION_BRANCHES,
  modelPkCandidates,
  visibleAt,
} from './event-filters';
import { errorBody, inline, placeholderProblems } from './testing';

const sqlite = (query: ListQuery) => inline(buildListFilter(query, 'sqlite'));
const mysql = (query: ListQuery) => inline(buildListFilter(query, 'mysql'));

describe('buildListFilter: each filter', () => {
  it('no parameters: no condition', () => {
    expect(sqlite({})).toBe('1 = 1');
    expect(mysql({})).toBe('1 = 1');
  });

  it('action: case-insensitive substring, as index ranges (matching enum values, or custom_ actions)', () => {
    expect(sqlite({ action: 'authorize' })).toBe(
      `("action" IN ('authorize_application')) OR (("action" >= 'custom_' AND "action" < 'custom\`') AND ("action" LIKE '%authorize%' ESCAPE '\\'))`,
    );
    expect(sqlite({ action: 'LOGIN' })).toBe(
      `("action" IN ('login', 'login_failed')) OR (("action" >= 'custom_' AND "action" < 'custom\`') AND ("action" LIKE '%LOGIN%' ESCAPE '\\'))`,
    );
    expect(mysql({ action: 'Authorize' })).toBe(
      "(`action` IN ('authorize_application') AND CAST(`action` AS BINARY) IN (CAST('authorize_application' AS BINARY))) OR " +
        "((`action` LIKE 'custom\\_%' ESCAPE '\\\\') AND (LOWER(`action`) LIKE LOWER('%Authorize%') COLLATE utf8mb4_bin ESCAPE '\\\\'))",
    );
  });

  it('action: a text no enum value contains only looks at custom_ actions', () => {
    expect(sqlite({ action: 'deploy' })).toBe(
      `("action" >= 'custom_' AND "action" < 'custom\`') AND ("action" LIKE '%deploy%' ESCAPE '\\')`,
    );
  });

  it('action: LIKE wildcards in the value are literal', () => {
    expect(buildListFilter({ action: '%_' }, 'sqlite').params).toEqual(['custom_', 'custom`', '%\\%\\_%']);
    expect(buildListFilter({ action: 'm_' }, 'sqlite').params.slice(0, 4)).toEqual([
      'system_task_execution',
      'system_task_exception',
      'system_exception',
      'custom_',
    ]);
  });

  it('actions: exact, repeatable, duplicates once', () => {
    expect(sqlite({ actions: ['login', 'logout', 'login'] })).toBe(`"action" IN ('login', 'logout')`);
    expect(sqlite({ actions: 'custom_' })).toBe(`"action" IN ('custom_')`);
    expect(mysql({ actions: ['login'] })).toBe("`action` IN ('login') AND CAST(`action` AS BINARY) IN (CAST('login' AS BINARY))");
  });

  it('client_ip: exact (byte-exact on MariaDB, index first)', () => {
    expect(sqlite({ client_ip: '10.0.0.1' })).toBe(`"client_ip" = '10.0.0.1'`);
    expect(mysql({ client_ip: '10.0.0.1' })).toBe("`client_ip` = '10.0.0.1' AND CAST(`client_ip` AS BINARY) = CAST('10.0.0.1' AS BINARY)");
  });

  it('username: user.username, context.username, or context.model is that user', () => {
    expect(sqlite({ username: 'akadmin' })).toBe(
      `("user_username" = 'akadmin') OR ("context_username" = 'akadmin') OR (` +
        `("context_model_app" = 'authentik_core') AND ("context_model_name" = 'user') AND ` +
        `("context_model_pk" = (SELECT CAST("id" AS CHAR) FROM "users" WHERE "username" = 'akadmin')))`,
    );
    expect(mysql({ username: 'akadmin' })).toBe(
      "(`user_username` = 'akadmin' AND CAST(`user_username` AS BINARY) = CAST('akadmin' AS BINARY)) OR " +
        "(`context_username` = 'akadmin' AND CAST(`context_username` AS BINARY) = CAST('akadmin' AS BINARY)) OR (" +
        "(`context_model_app` = 'authentik_core' AND CAST(`context_model_app` AS BINARY) = CAST('authentik_core' AS BINARY)) AND " +
        "(`context_model_name` = 'user' AND CAST(`context_model_name` AS BINARY) = CAST('user' AS BINARY)) AND " +
        "(`context_model_pk` = (SELECT CAST(`id` AS CHAR) FROM `users` WHERE `username` = 'akadmin' AND CAST(`username` AS BINARY) = CAST('akadmin' AS BINARY))))",
    );
  });

  it('brand_name: brand.name', () => {
    expect(sqlite({ brand_name: 'Brand example.com' })).toBe(`"brand_name" = 'Brand example.com'`);
  });

  it('context_model_pk: dashes removed', () => {
    expect(sqlite({ context_model_pk: 'a1b2c3d4-0000-4000-8000-00000000abcd' })).toBe(
      `"context_model_pk" = 'a1b2c3d400004000800000000000abcd'`,
    );
  });

  it('context_model_pk: a numeric value also matches the integer pk', () => {
    expect(sqlite({ context_model_pk: '5' })).toBe(`"context_model_pk" = '5'`);
    expect(sqlite({ context_model_pk: '007' })).toBe(`"context_model_pk" IN ('007', '7')`);
  });

  it('context_model_name / context_model_app: exact', () => {
    expect(sqlite({ context_model_name: 'user' })).toBe(`"context_model_name" = 'user'`);
    expect(sqlite({ context_model_app: 'authentik_core' })).toBe(`"context_model_app" = 'authentik_core'`);
  });

  it('context_authorized_app / context_device: dashes removed', () => {
    expect(sqlite({ context_authorized_app: '0000-1111' })).toBe(`"context_authorized_app" = '00001111'`);
    expect(sqlite({ context_device: 'ab-cd-' })).toBe(`"context_device" = 'abcd'`);
  });

  it('search: the query language, or plain words', () => {
    expect(sqlite({ search: 'action = "login"' })).toBe(`"action" = 'login'`);
    expect(sqlite({ search: 'hello' })).toContain(`LIKE '%hello%'`);
    expect(sqlite({ search: '   ' })).toBe('1 = 1');
  });
});

describe('buildListSelection: the action filter as branches', () => {
  it('each matching action and the custom_ range is a branch of its own, the rest stays in where', () => {
    const { where, anyOf } = buildListSelection({ action: 'LOGIN', client_ip: '::1' }, 'sqlite');
    expect(inline(where)).toBe(`"client_ip" = '::1'`);
    expect(anyOf?.map(inline)).toEqual([
      `"action" IN ('login')`,
      `"action" IN ('login_failed')`,
      `("action" >= 'custom_' AND "action" < 'custom\`') AND ("action" LIKE '%LOGIN%' ESCAPE '\\')`,
    ]);
    const mariadb = buildListSelection({ action: 'login' }, 'mysql');
    expect(mariadb.anyOf).toHaveLength(3);
  });

  it('is still counted from the counters when they decide every filter', () => {
    expect(buildListSelection({ action: 'login' }, 'mysql').counters?.terms).toHaveLength(1);
    expect(buildListSelection({ action: 'login', context_model_app: 'authentik_core' }, 'sqlite').counters?.terms).toHaveLength(2);
    expect(buildListSelection({ action: 'login', client_ip: '::1' }, 'sqlite').counters).toBeUndefined();
  });

  it('counted: given the custom actions that exist, reads those containing the text by name instead of the custom_ range', () => {
    const { anyOfGivenCustomActions } = buildListSelection({ action: 'LOGIN' }, 'sqlite');
    expect(anyOfGivenCustomActions?.(['custom_ReLogin', 'custom_deploy']).map(inline)).toEqual([
      `"action" IN ('login')`,
      `"action" IN ('login_failed')`,
      `"action" IN ('custom_ReLogin')`,
    ]);
    // Nothing to read is FALSE, not "no alternative" (which would be every event).
    expect(buildListSelection({ action: 'deploy' }, 'sqlite').anyOfGivenCustomActions?.(['custom_other']).map(inline)).toEqual(['1 = 0']);
    // More than MAX_CUSTOM_ACTION_BRANCHES of them: the range, not a UNION of that many branches.
    const many = Array.from({ length: MAX_CUSTOM_ACTION_BRANCHES + 1 }, (_, i) => `custom_deploy${i}`);
    expect(buildListSelection({ action: 'deploy' }, 'sqlite').anyOfGivenCustomActions?.(many).map(inline)).toEqual([
      `("action" >= 'custom_' AND "action" < 'custom\`') AND ("action" LIKE '%deploy%' ESCAPE '\\')`,
    ]);
    expect(buildListSelection({ action: 'deploy' }, 'sqlite').anyOfGivenCustomActions?.(many.slice(1))).toHaveLength(
      MAX_CUSTOM_ACTION_BRANCHES,
    );
    // Not counted from the counters: they are not read, the range stays.
    expect(buildListSelection({ action: 'login', client_ip: '::1' }, 'sqlite').anyOfGivenCustomActions).toBeUndefined();
  });

  it('customActionsIn: the custom actions whose parts add up to visible events', () => {
    const part = (action: string, n: number) => ({ action, context_model_app: '', context_model_name: '', n });
    const parts = [part('custom_a', 2), part('custom_a', -1), part('custom_gone', 1), part('custom_gone', -1), part('login', 5)];
    expect(customActionsIn(parts)).toEqual(['custom_a']);
    expect(countSelected(parts, { terms: [{ key: 'action', accepts: (a) => a.startsWith('custom_') }] })).toBe(1);
  });

  it('with username the action stays one condition in where', () => {
    const withUsername = buildListSelection({ action: 'login', username: 'alice' }, 'sqlite');
    expect(inline(withUsername.where)).toContain(`"action" IN ('login', 'login_failed')`);
    expect(withUsername.anyOf).toHaveLength(3); // the username's alternatives
  });
});

describe('buildListFilter: values', () => {
  it('uses the last value of a repeated parameter', () => {
    expect(sqlite({ client_ip: ['1.1.1.1', '2.2.2.2'] })).toBe(`"client_ip" = '2.2.2.2'`);
    expect(sqlite({ search: ['app = "a"', 'app = "b"'] })).toBe(`"app" = 'b'`);
  });

  it('strips surrounding whitespace; an empty value is no filter (django-filter)', () => {
    expect(sqlite({ username: '  akadmin ' })).toContain(`"user_username" = 'akadmin'`);
    expect(sqlite({ username: '', client_ip: '   ', brand_name: '\t' })).toBe('1 = 1');
  });

  it('ignores unknown parameters and non-string values', () => {
    expect(sqlite({ foo: 'bar', page: '2', ordering: '-created', client_ip: { a: 1 } as unknown as string })).toBe('1 = 1');
  });

  it('combines filters with AND, in a fixed order', () => {
    expect(sqlite({ context_model_app: 'a', action: 'log', client_ip: '::1', actions: 'login' })).toBe(
      `(("action" IN ('login', 'login_failed', 'logout')) OR ` +
        `(("action" >= 'custom_' AND "action" < 'custom\`') AND ("action" LIKE '%log%' ESCAPE '\\'))) AND ` +
        `("action" IN ('login')) AND ("client_ip" = '::1') AND ("context_model_app" = 'a')`,
    );
  });

  it('keeps every value out of the SQL text', () => {
    const hostile = `x' OR 1=1; DROP TABLE events; --`;
    const query: ListQuery = {
      action: hostile,
      client_ip: hostile,
      username: hostile,
      brand_name: hostile,
      context_model_pk: hostile,
      context_model_name: hostile,
      context_model_app: hostile,
      context_authorized_app: hostile,
      context_device: hostile,
      search: hostile,
    };
    for (const dialect of ['mysql', 'sqlite'] as const) {
      const condition = buildListFilter(query, dialect);
      expect(condition.sql).not.toContain('DROP');
      expect(placeholderProblems(condition)).toEqual([]);
    }
  });
});

describe('buildListFilter: values longer than the generated column', () => {
  it('finds the truncated value through the index, then compares the whole JSON value', () => {
    const long = 'u'.repeat(200);
    expect(sqlite({ brand_name: long })).toBe(
      `("brand_name" = '${'u'.repeat(191)}') AND (CAST(json_extract("brand", '$."name"') AS TEXT) = '${long}')`,
    );
    expect(mysql({ brand_name: long })).toBe(
      `(\`brand_name\` = '${'u'.repeat(191)}' AND CAST(\`brand_name\` AS BINARY) = CAST('${'u'.repeat(191)}' AS BINARY)) AND ` +
        `(CAST(JSON_VALUE(\`brand\`, '$."name"') AS BINARY) = CAST('${long}' AS BINARY))`,
    );
  });

  it('strips dashes in the full comparison of a dash-stripped column', () => {
    const long = 'a'.repeat(70);
    expect(sqlite({ context_device: `${long}-` })).toBe(
      `("context_device" = '${'a'.repeat(64)}') AND (REPLACE(CAST(json_extract("context", '$."device"."pk"') AS TEXT), '-', '') = '${long}')`,
    );
  });

  it('checks the whole value when it fills the column (it could be the start of a longer one)', () => {
    const exact = 'B'.repeat(191);
    expect(sqlite({ brand_name: exact })).toBe(
      `("brand_name" = '${exact}') AND (CAST(json_extract("brand", '$."name"') AS TEXT) = '${exact}')`,
    );
    expect(sqlite({ brand_name: 'B'.repeat(190) })).toBe(`"brand_name" = '${'B'.repeat(190)}'`);
  });

  it('counts characters, not UTF-16 units, as MariaDB and SQLite do', () => {
    const emoji = '😀'.repeat(63);
    expect(sqlite({ context_device: emoji })).toBe(`"context_device" = '${emoji}'`);
    expect(buildListFilter({ context_device: `${emoji}😀x` }, 'sqlite').params[0]).toBe(`${emoji}😀`);
  });

  it('mixes short and long candidates of context_model_pk', () => {
    const long = '1'.repeat(70);
    expect(sqlite({ context_model_pk: `0${long}` })).toBe(
      `(("context_model_pk" = '${'0' + '1'.repeat(63)}') AND (REPLACE(CAST(json_extract("context", '$."model"."pk"') AS TEXT), '-', '') = '0${long}')) OR ` +
        `(("context_model_pk" = '${'1'.repeat(64)}') AND (REPLACE(CAST(json_extract("context", '$."model"."pk"') AS TEXT), '-', '') = '${long}'))`,
    );
  });
});

describe('buildListFilter: errors', () => {
  it('rejects an unknown action in DRF words', () => {
    expect(errorBody(() => buildListFilter({ actions: ['login', 'foo', 'bar'] }, 'sqlite'))).toEqual({
      status: 400,
      body: { actions: ['Select a valid choice. foo is not one of the available choices.'] },
    });
  });

  it('rejects an empty actions value (Django validates each element)', () => {
    expect(errorBody(() => buildListFilter({ actions: '' }, 'sqlite'))).toEqual({
      status: 400,
      body: { actions: ['Select a valid choice.  is not one of the available choices.'] },
    });
  });

  it('is exact about action names (no case folding, no labels)', () => {
    for (const value of ['LOGIN', 'Login', 'login ', 'custom_foo']) {
      expect(errorBody(() => buildListFilter({ actions: value }, 'mysql'))).toEqual({
        status: 400,
        body: { actions: [`Select a valid choice. ${value} is not one of the available choices.`] },
      });
    }
  });

  it('rejects NUL in a text filter, every field at once', () => {
    expect(errorBody(() => buildListFilter({ username: 'a\0b', brand_name: '\0', actions: 'nope' }, 'sqlite'))).toEqual({
      status: 400,
      body: {
        username: ['Null characters are not allowed.'],
        brand_name: ['Null characters are not allowed.'],
        actions: ['Select a valid choice. nope is not one of the available choices.'],
      },
    });
  });

  it('does not reject NUL in search (it is dropped there, as authentik does)', () => {
    expect(sqlite({ search: 'ab\0c' })).toContain(`'%abc%'`);
  });
});

describe('modelPkCandidates', () => {
  it.each([
    ['5', ['5']],
    ['007', ['007', '7']],
    ['+5', ['+5', '5']],
    ['1_000', ['1_000', '1000']],
    ['-5', ['5']],
    ['12345678901234567890123', ['12345678901234567890123']],
    ['a1b2-c3', ['a1b2c3']],
    ['5.0', ['5.0']],
    ['1__0', ['1__0']],
  ])('%s → %j', (value, expected) => {
    expect(modelPkCandidates(value)).toEqual(expected);
  });
});

describe('visibleAt', () => {
  it('is expires > now, bound', () => {
    expect(visibleAt(123, 'sqlite')).toEqual({ sql: '"expires" > ?', params: [123] });
    expect(visibleAt(123, 'mysql')).toEqual({ sql: '`expires` > ?', params: [123] });
  });
});

describe('buildListFilter: filters and search in one AND (MariaDB)', () => {
  const columnOnly = (column: string, value: string) =>
    `\`${column}\` = '${value}' AND CAST(\`${column}\` AS BINARY) = CAST('${value}' AS BINARY)`;
  const onIndex = (column: string, value: string) =>
    `(\`created\`, CAST(\`event_uuid\` AS BINARY(16))) IN (SELECT \`created\`, \`event_uuid\` FROM \`events\` ` +
    `FORCE INDEX (\`idx_events_${column}_created\`) WHERE ${columnOnly(column, value)})`;
  const ACTIONS = "`action` IN ('model_updated') AND CAST(`action` AS BINARY) IN (CAST('model_updated' AS BINARY))";

  it('a generated-column filter alone stays a lookup in its index', () => {
    expect(mysql({ context_model_app: 'authentik_core' })).toBe(columnOnly('context_model_app', 'authentik_core'));
  });

  it('next to a filter on another column, it becomes a semijoin on its index', () => {
    expect(mysql({ actions: 'model_updated', context_model_app: 'authentik_core' })).toBe(
      `(${ACTIONS}) AND (${onIndex('context_model_app', 'authentik_core')})`,
    );
  });

  it('the search terms join the same AND, whichever side the generated column is on', () => {
    expect(mysql({ context_model_app: 'authentik_core', search: 'action = "model_updated"' })).toBe(
      `(${onIndex('context_model_app', 'authentik_core')}) AND ` +
        "(`action` = 'model_updated' AND CAST(`action` AS BINARY) = CAST('model_updated' AS BINARY))",
    );
    expect(mysql({ actions: 'model_updated', search: 'context.model.app = "authentik_core"' })).toBe(
      `(${ACTIONS}) AND (${onIndex('context_model_app', 'authentik_core')})`,
    );
    expect(mysql({ context_model_app: 'authentik_core', search: 'context.model.model_name = "user"' })).toBe(
      `(${columnOnly('context_model_app', 'authentik_core')}) AND (${onIndex('context_model_name', 'user')})`,
    );
  });

  it('a value longer than the column reads the JSON: it stays a plain condition', () => {
    expect(mysql({ actions: 'model_updated', brand_name: 'u'.repeat(200) })).not.toContain('IN (SELECT');
  });

  it('SQLite: the plain AND', () => {
    expect(sqlite({ actions: 'model_updated', context_model_app: 'authentik_core' })).toBe(
      `("action" IN ('model_updated')) AND ("context_model_app" = 'authentik_core')`,
    );
  });
});

describe('buildListSelection: counted from the event counters', () => {
  type Row = { action: string; context_model_app: string; context_model_name: string };
  const row = (action: string, app = '', name = ''): Row => ({ action, context_model_app: app, context_model_name: name });
  const rows = [
    row('login'),
    row('login_failed'),
    row('custom_login_hook'),
    row('model_updated', 'authentik_core', 'user'),
    row('model_updated', 'authentik_core', 'group'),
    row('model_updated', 'authentik_flows', 'flow'),
    row('model_created', 'authentik_core', 'user'),
  ];
  /** The rows the counters would count, or null when the selection must read events. */
  const counted = (query: ListQuery, dialect: 'mysql' | 'sqlite' = 'mysql') => {
    const counters = buildListSelection(query, dialect).counters;
    if (!counters) return null;
    return rows.filter((r) => counters.terms.every((term) => term.accepts(r[term.key]))).map((r) => rows.indexOf(r));
  };

  it('no filter: every event; the filters the counters know keep their rules', () => {
    expect(counted({})).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(counted({ action: 'LOGIN' })).toEqual([0, 1, 2]);
    expect(counted({ actions: ['login', 'model_created'] })).toEqual([0, 6]);
    expect(counted({ context_model_app: 'authentik_core', context_model_name: 'user' })).toEqual([3, 6]);
  });

  it("the search's equalities on action and the model's app / name (MariaDB: their columns decide them)", () => {
    const search = 'action = "model_updated" and context.model.app = "authentik_core"';
    expect(counted({ search })).toEqual([3, 4]);
    expect(counted({ search: 'action in ("login", "Model Created")' })).toEqual([0, 6]);
    expect(counted({ search: 'context.model.model_name = "user"', action: 'model' })).toEqual([3, 6]);
    expect(counted({ search: 'action = "login" and action = "logout"' })).toEqual([]);
  });

  it('anything else reads events', () => {
    for (const query of [
      { search: 'action != "login"' },
      { search: 'action = "login" or action = "logout"' },
      { search: 'action ~ "log"' },
      { search: 'context.model.app = ""' }, // the counters key a missing model app as ''
      { search: 'context.model.app = "5"' }, // could be the number 5
      { search: 'context.model.pk = "5"' },
      { search: 'app = "authentik.core"' },
      { search: 'login' },
      { search: 'action = "login" and created > "2020-01-01"' },
      { action: 'login', client_ip: '10.0.0.1' },
      { username: 'akadmin' },
    ]) {
      expect([query, counted(query)]).toEqual([query, null]);
    }
  });

  it('SQLite: decided the same way', () => {
    expect(counted({ search: 'action = "model_updated" and context.model.app = "authentik_core"' }, 'sqlite')).toEqual([3, 4]);
    expect(counted({ search: 'context.model.app = "5"' }, 'sqlite')).toBeNull();
    expect(counted({ search: 'action = "login"' }, 'sqlite')).toEqual([0]);
  });

  it('tells whether the condition holds semijoins (MariaDB only)', () => {
    expect(buildListSelection({ actions: 'login', context_model_app: 'a' }, 'mysql').semijoins).toBe(true);
    expect(buildListSelection({ context_model_app: 'a' }, 'mysql').semijoins).toBe(false);
    expect(buildListSelection({ actions: 'login', context_model_app: 'a' }, 'sqlite').semijoins).toBe(false);
  });
});

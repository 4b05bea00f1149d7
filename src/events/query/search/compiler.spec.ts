import { resolveDialect } from '../../../database/sql/dialect';
import { jsonColumnExpression } from '../../event.entity';
import { inline, placeholderProblems } from '../testing';
import { QueryLanguageError } from './ast';
import { compileConjuncts, compileQuery } from './compiler';
import { parseQuery } from './parser';

const compile = (text: string, dialect: 'sqlite' | 'mysql' = 'sqlite') => {
  const condition = compileQuery(parseQuery(text), resolveDialect(dialect));
  expect(placeholderProblems(condition)).toEqual([]);
  return inline(condition);
};
const mysql = (text: string) => compile(text, 'mysql');

const UUID = '0f8e4b2c-1d3a-4e5f-8a9b-0c1d2e3f4a5b';
const UUID_HEX = UUID.replace(/-/g, '');

describe('compileQuery: text columns (action, app, client_ip)', () => {
  it.each([
    ['app = "authentik.core"', `"app" = 'authentik.core'`],
    ['app != "authentik.core"', `NOT ("app" = 'authentik.core')`],
    ['app ~ "core"', `"app" LIKE '%core%' ESCAPE '\\'`],
    ['app !~ "core"', `NOT ("app" LIKE '%core%' ESCAPE '\\')`],
    ['app > "b"', `"app" > 'b'`],
    ['app >= "b"', `"app" >= 'b'`],
    ['app < "b"', `"app" < 'b'`],
    ['app <= "b"', `"app" <= 'b'`],
    ['app in ("a", "b", "a")', `"app" IN ('a', 'b')`],
    ['app not in ("a")', `NOT ("app" IN ('a'))`],
    ['app = None', `"app" IS NULL`],
    ['app != None', `NOT ("app" IS NULL)`],
  ])('SQLite: %s', (text, expected) => {
    expect(compile(text)).toBe(expected);
  });

  it.each([
    ['action = "login"', "`action` = 'login' AND CAST(`action` AS BINARY) = CAST('login' AS BINARY)"],
    ['app = "x"', "CAST(`app` AS BINARY) = CAST('x' AS BINARY)"],
    ['app ~ "X"', "LOWER(`app`) LIKE LOWER('%X%') COLLATE utf8mb4_bin ESCAPE '\\\\'"],
    ['app < "b"', "CAST(`app` AS BINARY) < CAST('b' AS BINARY)"],
    [
      'action in ("login", "logout")',
      "`action` IN ('login', 'logout') AND CAST(`action` AS BINARY) IN (CAST('login' AS BINARY), CAST('logout' AS BINARY))",
    ],
  ])('MariaDB: %s', (text, expected) => {
    expect(mysql(text)).toBe(expected);
  });

  it('accepts an action label for its value, as djangoql does for choices', () => {
    expect(compile('action = "Login Failed"')).toBe(`"action" = 'login_failed'`);
    expect(compile('action = "Invite Used"')).toBe(`"action" = 'invitation_used'`);
    expect(compile('action in ("Logout", "login", "custom_foo")')).toBe(`"action" IN ('logout', 'login', 'custom_foo')`);
    expect(compile('action = "something_else"')).toBe(`"action" = 'something_else'`);
    // `~` searches the stored value, not labels.
    expect(compile('action ~ "Failed"')).toBe(`"action" LIKE '%Failed%' ESCAPE '\\'`);
  });

  it('lets NULL client_ip rows match negations, as Django does on a nullable column', () => {
    expect(compile('client_ip != "10.0.0.1"')).toBe(`(NOT ("client_ip" = '10.0.0.1')) OR ("client_ip" IS NULL)`);
    expect(compile('client_ip !~ "10."')).toBe(`(NOT ("client_ip" LIKE '%10.%' ESCAPE '\\')) OR ("client_ip" IS NULL)`);
    expect(compile('client_ip not in ("a")')).toBe(`(NOT ("client_ip" IN ('a'))) OR ("client_ip" IS NULL)`);
    expect(compile('client_ip != None')).toBe(`NOT ("client_ip" IS NULL)`);
    expect(compile('client_ip in ("a", None)')).toBe(`("client_ip" IN ('a')) OR ("client_ip" IS NULL)`);
    expect(compile('client_ip not in ("a", None)')).toBe(`NOT (("client_ip" IN ('a')) OR ("client_ip" IS NULL))`);
    expect(compile('client_ip in (None)')).toBe(`"client_ip" IS NULL`);
  });

  it.each(['app = 5', 'app = True', 'app ~ 5', 'app > None', 'app ~ None', 'app in (1)', 'action.x = "a"'])(
    'rejects %p (wrong value type or path)',
    (text) => {
      expect(() => compile(text)).toThrow(QueryLanguageError);
    },
  );
});

describe('compileQuery: event_uuid', () => {
  it('compares 16 bytes, from a UUID with or without dashes', () => {
    expect(compile(`event_uuid = "${UUID}"`)).toBe(`"event_uuid" = x'${UUID_HEX}'`);
    expect(compile(`event_uuid = "${UUID_HEX.toUpperCase()}"`)).toBe(`"event_uuid" = x'${UUID_HEX}'`);
    expect(compile(`event_uuid = "urn:uuid:${UUID}"`)).toBe(`"event_uuid" = x'${UUID_HEX}'`);
    expect(compile(`event_uuid = "{${UUID}}"`)).toBe(`"event_uuid" = x'${UUID_HEX}'`);
    expect(mysql(`event_uuid = "${UUID}"`)).toBe(`\`event_uuid\` = x'${UUID_HEX}'`);
  });

  it('never fails on a text that is not a UUID: it matches nothing', () => {
    expect(compile('event_uuid = "not-a-uuid"')).toBe('1 = 0');
    expect(compile('event_uuid != "not-a-uuid"')).toBe('1 = 1');
    expect(compile('event_uuid > "zz"')).toBe('1 = 0');
    expect(compile('event_uuid in ("x", "y")')).toBe('1 = 0');
    expect(compile(`event_uuid in ("x", "${UUID}")`)).toBe(`"event_uuid" = x'${UUID_HEX}'`);
  });

  it('supports every operator', () => {
    expect(compile(`event_uuid != "${UUID}"`)).toBe(`NOT ("event_uuid" = x'${UUID_HEX}')`);
    expect(compile(`event_uuid >= "${UUID}"`)).toBe(`"event_uuid" >= x'${UUID_HEX}'`);
    expect(compile(`event_uuid < "${UUID}"`)).toBe(`"event_uuid" < x'${UUID_HEX}'`);
    expect(compile(`event_uuid not in ("${UUID}")`)).toBe(`NOT ("event_uuid" = x'${UUID_HEX}')`);
  });

  it('searches the hex digits with ~ (dashes in the needle dropped)', () => {
    expect(compile('event_uuid ~ "0F8E-4B"')).toBe(`lower(hex("event_uuid")) LIKE '%0F8E4B%' ESCAPE '\\'`);
    expect(compile('event_uuid !~ "abc"')).toBe(`NOT (lower(hex("event_uuid")) LIKE '%abc%' ESCAPE '\\')`);
    expect(mysql('event_uuid ~ "ab"')).toBe("LOWER(LOWER(HEX(`event_uuid`))) LIKE LOWER('%ab%') COLLATE utf8mb4_bin ESCAPE '\\\\'");
  });

  it.each(['event_uuid = 5', 'event_uuid = None', 'event_uuid in (None)', 'event_uuid = True'])('rejects %p', (text) => {
    expect(() => compile(text)).toThrow(QueryLanguageError);
  });
});

describe('compileQuery: created', () => {
  const at = (iso: string) => Date.parse(iso) * 1000;

  it('compares microseconds, from djangoql and ISO 8601 formats (UTC unless told)', () => {
    expect(compile('created > "2026-07-01"')).toBe(`"created" > ${at('2026-07-01T00:00:00Z')}`);
    expect(compile('created >= "2026-07-01 12:30"')).toBe(`"created" >= ${at('2026-07-01T12:30:00Z')}`);
    expect(compile('created < "2026-07-01 12:30:15"')).toBe(`"created" < ${at('2026-07-01T12:30:15Z')}`);
    expect(compile('created <= "2026-07-01T14:00:00+02:00"')).toBe(`"created" <= ${at('2026-07-01T12:00:00Z')}`);
    expect(compile('created = "2026-07-01T12:00:00.000001Z"')).toBe(`"created" = ${at('2026-07-01T12:00:00Z') + 1}`);
    expect(compile('created != "2026-07-01"')).toBe(`NOT ("created" = ${at('2026-07-01T00:00:00Z')})`);
    expect(compile('created in ("2026-07-01", "2026-07-02")')).toBe(
      `("created" = ${at('2026-07-01T00:00:00Z')}) OR ("created" = ${at('2026-07-02T00:00:00Z')})`,
    );
    expect(compile('created not in ("2026-07-01")')).toBe(`NOT ("created" = ${at('2026-07-01T00:00:00Z')})`);
  });

  it.each([
    'created > "yesterday"',
    'created > "2026-02-30"',
    'created > 1751371200',
    'created ~ "2026"',
    'created = None',
    'created.x = 1',
  ])('rejects %p (not a datetime: the text falls back to plain search)', (text) => {
    expect(() => compile(text)).toThrow(QueryLanguageError);
  });
});

describe('compileQuery: JSON paths into user, context, brand', () => {
  it.each([
    [
      'context.binding.pk = "a1b2"',
      `(json_type("context", '$."binding"."pk"') IN ('text')) AND (CAST(json_extract("context", '$."binding"."pk"') AS TEXT) = 'a1b2')`,
    ],
    // A number on a path with a generated column: its index first (see generatedColumnHoldsNumber).
    [
      'user.pk = 5',
      `("user_pk" IN (SELECT ${jsonColumnExpression('sqlite', 'user_pk')} FROM (SELECT '{"pk":5}' AS "user" UNION ALL SELECT '{"pk":5.0}' AS "user"))) AND ` +
        `(json_type("user", '$."pk"') IN ('integer', 'real')) AND (json_extract("user", '$."pk"') = 5)`,
    ],
    ['context.count = 5', `(json_type("context", '$."count"') IN ('integer', 'real')) AND (json_extract("context", '$."count"') = 5)`],
    ['context.dry_run = True', `json_type("context", '$."dry_run"') = 'true'`],
    ['context.dry_run = False', `json_type("context", '$."dry_run"') = 'false'`],
    ['context.x = None', `COALESCE(json_type("context", '$."x"'), 'null') = 'null'`],
    ['context.x != None', `NOT (COALESCE(json_type("context", '$."x"'), 'null') = 'null')`],
    ['context.dry_run != True', `NOT (json_type("context", '$."dry_run"') = 'true')`],
    // A path with an indexed generated column is looked up through that column first.
    [
      'brand.name != "b"',
      `NOT (("brand_name" = 'b') AND (json_type("brand", '$."name"') IN ('text')) AND (CAST(json_extract("brand", '$."name"') AS TEXT) = 'b'))`,
    ],
    ['context.count > 5', `(json_type("context", '$."count"') IN ('integer', 'real')) AND (json_extract("context", '$."count"') > 5)`],
    [
      'context.count >= 1.5',
      `(json_type("context", '$."count"') IN ('integer', 'real')) AND (json_extract("context", '$."count"') >= 1.5)`,
    ],
    ['context.count < -2', `(json_type("context", '$."count"') IN ('integer', 'real')) AND (json_extract("context", '$."count"') < -2)`],
    ['context.count <= 0', `(json_type("context", '$."count"') IN ('integer', 'real')) AND (json_extract("context", '$."count"') <= 0)`],
    ['context.name > "m"', `(json_type("context", '$."name"') IN ('text')) AND (CAST(json_extract("context", '$."name"') AS TEXT) > 'm')`],
    ['user.username ~ "adm"', `json_extract("user", '$."username"') LIKE '%adm%' ESCAPE '\\'`],
    ['user.username !~ "adm"', `NOT (json_extract("user", '$."username"') LIKE '%adm%' ESCAPE '\\')`],
    ['context.code ~ 40', `json_extract("context", '$."code"') LIKE '%40%' ESCAPE '\\'`],
  ])('SQLite: %s', (text, expected) => {
    expect(compile(text)).toBe(expected);
  });

  it.each([
    [
      'context.binding.pk = "a1b2"',
      '(JSON_TYPE(JSON_EXTRACT(`context`, \'$."binding"."pk"\')) IN (\'STRING\')) AND (CAST(JSON_VALUE(`context`, \'$."binding"."pk"\') AS BINARY) = CAST(\'a1b2\' AS BINARY))',
    ],
    [
      'user.pk = 5',
      "(JSON_TYPE(JSON_EXTRACT(`user`, '$.\"pk\"')) IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')) AND (CAST(JSON_VALUE(`user`, '$.\"pk\"') AS DOUBLE) = 5)",
    ],
    [
      'context.dry_run = True',
      "JSON_TYPE(JSON_EXTRACT(`context`, '$.\"dry_run\"')) = 'BOOLEAN' AND JSON_EXTRACT(`context`, '$.\"dry_run\"') = 'true'",
    ],
    ['context.x = None', "COALESCE(JSON_TYPE(JSON_EXTRACT(`context`, '$.\"x\"')), 'NULL') = 'NULL'"],
    [
      'user.username ~ "Adm"',
      "LOWER(JSON_UNQUOTE(JSON_EXTRACT(`user`, '$.\"username\"'))) LIKE LOWER('%Adm%') COLLATE utf8mb4_bin ESCAPE '\\\\'",
    ],
  ])('MariaDB: %s', (text, expected) => {
    expect(mysql(text)).toBe(expected);
  });

  it('groups in-lists by value type: one type check and one IN per type', () => {
    expect(compile('context.v in ("a", 1, "b", 2, True, None, 1)')).toBe(
      `((json_type("context", '$."v"') IN ('text')) AND (CAST(json_extract("context", '$."v"') AS TEXT) IN ('a', 'b'))) OR ` +
        `((json_type("context", '$."v"') IN ('integer', 'real')) AND (json_extract("context", '$."v"') IN (1, 2))) OR ` +
        `(json_type("context", '$."v"') = 'true') OR ` +
        `(COALESCE(json_type("context", '$."v"'), 'null') = 'null')`,
    );
    expect(compile('context.v not in ("a")')).toBe(
      `NOT ((json_type("context", '$."v"') IN ('text')) AND (CAST(json_extract("context", '$."v"') AS TEXT) = 'a'))`,
    );
  });

  it('binds keys that look like SQL or JSON path syntax', () => {
    const condition = compileQuery(parseQuery('context.select.from = "x"'), resolveDialect('sqlite'));
    expect(condition.params).toContain('$."select"."from"');
  });

  it.each([
    'user = "x"',
    'context = 1',
    'context.x > True',
    'context.x < None',
    'context.x ~ None',
    'context.x ~ False',
    'brand.a.b >= False',
  ])('rejects %p', (text) => {
    expect(() => compile(text)).toThrow(QueryLanguageError);
  });
});

describe('compileQuery: string equality answered from a generated column alone', () => {
  const columnOnly = (column: string, value: string) =>
    `\`${column}\` = '${value}' AND CAST(\`${column}\` AS BINARY) = CAST('${value}' AS BINARY)`;
  const fullCheck = (column: string, path: string, value: string) =>
    `(${columnOnly(column, value)}) AND (JSON_TYPE(JSON_EXTRACT(\`context\`, '${path}')) IN ('STRING')) AND ` +
    `(CAST(JSON_VALUE(\`context\`, '${path}') AS BINARY) = CAST('${value}' AS BINARY))`;
  const APP = '$."model"."app"';

  it('MariaDB: `=` on an indexed path is the indexed column only, no JSON read', () => {
    expect(mysql('context.model.app = "authentik_core"')).toBe(columnOnly('context_model_app', 'authentik_core'));
    expect(mysql('user.username = "akadmin"')).toBe(columnOnly('user_username', 'akadmin'));
    expect(mysql('brand.name = ""')).toBe(columnOnly('brand_name', ''));
  });

  it.each([
    ['5', 'a number literal has the same JSON_VALUE text'],
    ['1', 'JSON_VALUE of true'],
    ['0', 'JSON_VALUE of false'],
    ['-x', 'numbers may start with a minus'],
    ['1e2', 'numbers are kept as written'],
  ])('MariaDB: keeps the JSON type check for %p (%s)', (value) => {
    expect(mysql(`context.model.app = "${value}"`)).toBe(fullCheck('context_model_app', APP, value));
  });

  it('MariaDB: keeps the full check for a value the column may have cut (length 100)', () => {
    const long = 'a'.repeat(100);
    expect(mysql(`context.model.app = "${long}"`)).toContain('JSON_TYPE(JSON_EXTRACT(`context`, \'$."model"."app"\'))');
    expect(mysql(`context.model.app = "${'a'.repeat(99)}"`)).toBe(columnOnly('context_model_app', 'a'.repeat(99)));
    // Characters, not UTF-16 units: 99 emoji are 198 units but fit.
    expect(mysql(`context.model.app = "${'🎉'.repeat(99)}"`)).toBe(columnOnly('context_model_app', '🎉'.repeat(99)));
  });

  it('MariaDB: keeps the full check on a column without dashes', () => {
    expect(mysql('context.model.pk = "ab-c"')).toBe(
      "(`context_model_pk` = 'abc' AND CAST(`context_model_pk` AS BINARY) = CAST('abc' AS BINARY)) AND " +
        '(JSON_TYPE(JSON_EXTRACT(`context`, \'$."model"."pk"\')) IN (\'STRING\')) AND ' +
        '(CAST(JSON_VALUE(`context`, \'$."model"."pk"\') AS BINARY) = CAST(\'ab-c\' AS BINARY))',
    );
  });

  it('MariaDB: keeps the full check under NOT, where a NULL column (null, object, array) must count as "not equal"', () => {
    expect(mysql('context.model.app != "authentik_core"')).toBe(`NOT (${fullCheck('context_model_app', APP, 'authentik_core')})`);
    expect(mysql('context.model.app not in ("authentik_core")')).toBe(`NOT (${fullCheck('context_model_app', APP, 'authentik_core')})`);
  });

  it('MariaDB: `in` answers the decidable strings from the column and checks the others', () => {
    expect(mysql('context.model.app in ("a", "5", "b")')).toBe(
      "(`context_model_app` IN ('a', 'b') AND CAST(`context_model_app` AS BINARY) IN (CAST('a' AS BINARY), CAST('b' AS BINARY))) OR " +
        `(${fullCheck('context_model_app', APP, '5')})`,
    );
    expect(mysql('context.model.app in ("a", "b", 5)')).toBe(
      "(`context_model_app` IN ('a', 'b') AND CAST(`context_model_app` AS BINARY) IN (CAST('a' AS BINARY), CAST('b' AS BINARY))) OR " +
        "((JSON_TYPE(JSON_EXTRACT(`context`, '$.\"model\".\"app\"')) IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')) AND " +
        '(CAST(JSON_VALUE(`context`, \'$."model"."app"\') AS DOUBLE) = 5))',
    );
  });

  it('MariaDB: a path without a generated column is unchanged', () => {
    expect(mysql('context.model.name = "x"')).toBe(
      '(JSON_TYPE(JSON_EXTRACT(`context`, \'$."model"."name"\')) IN (\'STRING\')) AND ' +
        '(CAST(JSON_VALUE(`context`, \'$."model"."name"\') AS BINARY) = CAST(\'x\' AS BINARY))',
    );
  });

  it('SQLite: the column decides the strings it proves, like MariaDB, and checks the others in the JSON', () => {
    expect(compile('context.model.app = "authentik_core"')).toBe(`"context_model_app" = 'authentik_core'`);
    expect(compile('context.model.app in ("a", "5")')).toBe(
      `("context_model_app" = 'a') OR (("context_model_app" = '5') AND (json_type("context", '$."model"."app"') IN ('text')) AND ` +
        `(CAST(json_extract("context", '$."model"."app"') AS TEXT) = '5'))`,
    );
  });
});

describe('compileQuery: a top-level AND asks each column-only term of its own index (MariaDB)', () => {
  const ACTION = "(`action` = 'model_updated' AND CAST(`action` AS BINARY) = CAST('model_updated' AS BINARY))";
  const columnOnly = (column: string, value: string) =>
    `\`${column}\` = '${value}' AND CAST(\`${column}\` AS BINARY) = CAST('${value}' AS BINARY)`;
  const onIndex = (column: string, condition: string) =>
    `(\`created\`, CAST(\`event_uuid\` AS BINARY(16))) IN (SELECT \`created\`, \`event_uuid\` FROM \`events\` ` +
    `FORCE INDEX (\`idx_events_${column}_created\`) WHERE ${condition})`;

  it('next to a term that reads more, the column-only term becomes a semijoin on its index', () => {
    expect(mysql('action = "model_updated" and context.model.app = "authentik_core"')).toBe(
      `${ACTION} AND (${onIndex('context_model_app', columnOnly('context_model_app', 'authentik_core'))})`,
    );
    expect(mysql('context.model.app in ("a", "b") and app = "x"')).toBe(
      `(${onIndex(
        'context_model_app',
        "`context_model_app` IN ('a', 'b') AND CAST(`context_model_app` AS BINARY) IN (CAST('a' AS BINARY), CAST('b' AS BINARY))",
      )}) AND (CAST(\`app\` AS BINARY) = CAST('x' AS BINARY))`,
    );
  });

  it('every column-only term of the AND does, also inside parentheses', () => {
    const expected =
      `${ACTION} AND (${onIndex('context_model_app', columnOnly('context_model_app', 'authentik_core'))}) AND ` +
      `(${onIndex('context_model_name', columnOnly('context_model_name', 'user'))})`;
    expect(mysql('action = "model_updated" and context.model.app = "authentik_core" and context.model.model_name = "user"')).toBe(expected);
    expect(mysql('action = "model_updated" and (context.model.app = "authentik_core" and context.model.model_name = "user")')).toBe(
      expected,
    );
  });

  it('alone, or with terms on created / event_uuid only, it stays as it is: its index answers everything', () => {
    expect(mysql('context.model.app = "authentik_core"')).toBe(columnOnly('context_model_app', 'authentik_core'));
    expect(mysql('context.model.app = "authentik_core" and created > "2026-01-01"')).toBe(
      `(${columnOnly('context_model_app', 'authentik_core')}) AND (\`created\` > 1767225600000000)`,
    );
    expect(mysql(`context.model.app = "x" and (event_uuid = "${UUID}" or created < "2026-01-01")`)).toBe(
      `(${columnOnly('context_model_app', 'x')}) AND ((\`event_uuid\` = x'${UUID_HEX}') OR (\`created\` < 1767225600000000))`,
    );
  });

  it('among column-only terms alone, the first stays (its index drives the query) and the others become semijoins', () => {
    expect(mysql('context.model.app = "authentik_core" and context.model.model_name = "user"')).toBe(
      `(${columnOnly('context_model_app', 'authentik_core')}) AND ` +
        `(${onIndex('context_model_name', columnOnly('context_model_name', 'user'))})`,
    );
  });

  it('never inside `or` (MariaDB cannot flatten a semijoin there)', () => {
    expect(mysql('context.model.app = "authentik_core" or action = "login"')).toBe(
      `(${columnOnly('context_model_app', 'authentik_core')}) OR ` +
        "(`action` = 'login' AND CAST(`action` AS BINARY) = CAST('login' AS BINARY))",
    );
    expect(mysql('(action = "model_updated" and context.model.app = "authentik_core") or app = "x"')).not.toContain('IN (SELECT');
  });

  it('never under NOT, nor for a term that reads the JSON', () => {
    // `!=` reads the JSON (a NULL column must count as "not equal"): nothing is column-only here.
    expect(mysql('action = "model_updated" and context.model.app != "authentik_core"')).not.toContain('IN (SELECT');
    expect(mysql('action = "model_updated" and context.model.app not in ("authentik_core")')).not.toContain('IN (SELECT');
    expect(mysql('action = "model_updated" and context.model.app = "5"')).not.toContain('IN (SELECT'); // could be a number
    expect(mysql('action = "model_updated" and context.model.app in ("a", 5)')).not.toContain('IN (SELECT');
    expect(mysql(`action = "model_updated" and context.model.app = "${'a'.repeat(100)}"`)).not.toContain('IN (SELECT');
    expect(mysql('action = "model_updated" and context.model.pk = "abc"')).not.toContain('IN (SELECT'); // dashes dropped
  });

  it('SQLite: a plain AND (its search always reads the JSON)', () => {
    expect(compile('action = "model_updated" and context.model.app = "authentik_core"')).not.toContain('IN (SELECT');
  });
});

describe('compileQuery: logic', () => {
  it('keeps and/or precedence and parentheses in the SQL', () => {
    expect(compile('app = "a" or app = "b" and action = "login"')).toBe(`("app" = 'a') OR (("app" = 'b') AND ("action" = 'login'))`);
    expect(compile('(app = "a" or app = "b") and action = "login"')).toBe(`(("app" = 'a') OR ("app" = 'b')) AND ("action" = 'login')`);
  });

  it('compiles the docs/api-contract.md §3.3.1 example', () => {
    expect(compile('action = "policy_execution" and context.dry_run = True and context.binding.pk = "a1b2"')).toBe(
      `("action" = 'policy_execution') AND (json_type("context", '$."dry_run"') = 'true') AND ` +
        `((json_type("context", '$."binding"."pk"') IN ('text')) AND (CAST(json_extract("context", '$."binding"."pk"') AS TEXT) = 'a1b2'))`,
    );
  });

  it('drops constant parts: an impossible UUID inside or/and', () => {
    expect(compile('event_uuid = "x" or app = "a"')).toBe(`"app" = 'a'`);
    expect(compile('event_uuid = "x" and app = "a"')).toBe('1 = 0');
  });

  it.each(['foo = 1', 'pk = "x"', 'user_username = "a"', 'expires > "2026-01-01"', 'Action = "login"'])(
    'rejects the unknown field in %p',
    (text) => {
      expect(() => compile(text)).toThrow('unknown field');
    },
  );
});

describe('compileConjuncts: the column whose index finds an equality checked in full', () => {
  const foundThrough = (text: string, dialect: 'sqlite' | 'mysql' = 'sqlite') =>
    compileConjuncts(parseQuery(text), resolveDialect(dialect)).map((conjunct) =>
      conjunct.kind === 'indexed' ? `indexed ${conjunct.column}` : conjunct.foundThrough,
    );

  it.each<[string, 'sqlite' | 'mysql', (string | undefined)[]]>([
    ['user.pk = 5', 'sqlite', ['user_pk']],
    ['user.pk in (5, 6.5)', 'sqlite', ['user_pk']],
    ['user.pk = 5', 'mysql', [undefined]],
    ['user.pk = "5"', 'mysql', ['user_pk']],
    ['user.username = "jane" and action = "login"', 'sqlite', ['indexed user_username', undefined]],
    ['user.pk != 5', 'sqlite', [undefined]],
    ['user.pk = None', 'sqlite', [undefined]],
    ['context.count = 5', 'sqlite', [undefined]],
  ])('%s on %s', (text, dialect, expected) => {
    expect(foundThrough(text, dialect)).toEqual(expected);
  });
});

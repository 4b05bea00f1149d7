import { escapeLike, jsonPath, likeContains, resolveDialect } from './dialect';
import { sql } from './sql-condition';
import { inline, placeholderProblems } from './testing';

const mysql = resolveDialect('mysql');
const sqlite = resolveDialect('sqlite');
const col = (name: string) => sql`${mysql.column(name)}`;
const scol = (name: string) => sql`${sqlite.column(name)}`;

describe('identifiers', () => {
  it('quotes with backticks on MariaDB and double quotes on SQLite (`user` is reserved)', () => {
    expect(mysql.quote('user')).toBe('`user`');
    expect(sqlite.quote('user')).toBe('"user"');
  });
  it('doubles the quote character inside a name', () => {
    expect(mysql.quote('a`b')).toBe('`a``b`');
    expect(sqlite.quote('a"b')).toBe('"a""b"');
  });
  it('accepts a dialect or its name', () => {
    expect(resolveDialect(mysql)).toBe(mysql);
    expect(resolveDialect('sqlite').name).toBe('sqlite');
  });
});

describe('jsonPath', () => {
  it.each([
    [[], '$'],
    [['pk'], '$."pk"'],
    [['binding', 'pk'], '$."binding"."pk"'],
    [['a b'], '$."a b"'],
    [['q"k'], '$."q\\"k"'],
    [['back\\slash'], '$."back\\\\slash"'],
    [["it's"], `$."it's"`],
    [['$.x[0]'], '$."$.x[0]"'],
  ])('%j → %s', (segments, expected) => {
    expect(jsonPath(segments)).toBe(expected);
  });
});

describe('LIKE escaping', () => {
  it.each([
    ['plain', 'plain'],
    ['50%', '50\\%'],
    ['a_b', 'a\\_b'],
    ['back\\slash', 'back\\\\slash'],
    ['%_\\', '\\%\\_\\\\'],
    ['quote\'"', 'quote\'"'],
  ])('%s', (value, escaped) => {
    expect(escapeLike(value)).toBe(escaped);
    expect(likeContains(value)).toBe(`%${escaped}%`);
  });
});

describe('text comparisons', () => {
  it('compares bytes on MariaDB, keeping an index-usable = in front when asked', () => {
    expect(inline(mysql.compareText(col('action'), '=', 'login', true))).toBe(
      "`action` = 'login' AND CAST(`action` AS BINARY) = CAST('login' AS BINARY)",
    );
    expect(inline(mysql.compareText(col('app'), '=', 'x'))).toBe("CAST(`app` AS BINARY) = CAST('x' AS BINARY)");
    expect(inline(mysql.compareText(col('app'), '>', 'x', true))).toBe("CAST(`app` AS BINARY) > CAST('x' AS BINARY)");
  });
  it('uses the plain operator on SQLite (binary collation)', () => {
    expect(inline(sqlite.compareText(scol('action'), '=', 'login', true))).toBe(`"action" = 'login'`);
    expect(inline(sqlite.compareText(scol('app'), '<=', 'x'))).toBe(`"app" <= 'x'`);
  });
  it('builds IN lists, and nothing matches an empty list', () => {
    expect(inline(mysql.textIn(col('action'), ['a', 'b'], true))).toBe(
      "`action` IN ('a', 'b') AND CAST(`action` AS BINARY) IN (CAST('a' AS BINARY), CAST('b' AS BINARY))",
    );
    expect(inline(mysql.textIn(col('app'), ['a']))).toBe("CAST(`app` AS BINARY) IN (CAST('a' AS BINARY))");
    expect(inline(sqlite.textIn(scol('action'), ['a', 'b']))).toBe(`"action" IN ('a', 'b')`);
    expect(mysql.textIn(col('a'), []).sql).toBe('1 = 0');
    expect(sqlite.textIn(scol('a'), []).sql).toBe('1 = 0');
  });
});

describe('containsInsensitive', () => {
  it('MariaDB: LOWER on both sides under a binary collation, backslash escape', () => {
    const condition = mysql.containsInsensitive(col('app'), '50%_x');
    expect(condition.sql).toBe("LOWER(`app`) LIKE LOWER(?) COLLATE utf8mb4_bin ESCAPE '\\\\'");
    expect(condition.params).toEqual(['%50\\%\\_x%']);
  });
  it('SQLite: LIKE with an ESCAPE clause', () => {
    const condition = sqlite.containsInsensitive(scol('app'), 'a\\b');
    expect(condition.sql).toBe(`"app" LIKE ? ESCAPE '\\'`);
    expect(condition.params).toEqual(['%a\\\\b%']);
  });
  it('SQLite: instr() for needles past the LIKE pattern limit', () => {
    const needle = '😀'.repeat(12_000);
    expect(sqlite.containsInsensitive(scol('app'), needle)).toEqual({
      sql: `instr(lower("app"), lower(?)) > 0`,
      params: [needle],
    });
  });
  it('binds hostile needles untouched apart from the escapes', () => {
    const hostile = `'); DROP TABLE events; --`;
    for (const d of [mysql, sqlite]) {
      const condition = d.containsInsensitive(sql`${d.column('app')}`, hostile);
      expect(condition.sql).not.toContain('DROP');
      expect(condition.params).toEqual([`%${hostile}%`]);
    }
  });
});

describe('startsWith', () => {
  it('MariaDB: a constant-prefix LIKE (an index range), wildcards escaped', () => {
    expect(inline(mysql.startsWith(col('action'), 'custom_'))).toBe("`action` LIKE 'custom\\_%' ESCAPE '\\\\'");
  });
  it('SQLite: a byte range, since its LIKE cannot use a BINARY index', () => {
    expect(inline(sqlite.startsWith(scol('action'), 'custom_'))).toBe(`"action" >= 'custom_' AND "action" < 'custom\`'`);
    expect(sqlite.startsWith(scol('a'), 'a😀').params).toEqual(['a😀', 'a😁']);
    expect(() => sqlite.startsWith(scol('a'), '')).toThrow();
  });
});

describe('JSON access', () => {
  const path = ['binding', 'pk'];
  it.each([
    [
      'jsonKindIs string',
      (d: typeof mysql) => d.jsonKindIs('context', path, ['string']),
      'JSON_TYPE(JSON_EXTRACT(`context`, \'$."binding"."pk"\')) IN (\'STRING\')',
      `json_type("context", '$."binding"."pk"') IN ('text')`,
    ],
    [
      'jsonKindIs number',
      (d: typeof mysql) => d.jsonKindIs('user', ['pk'], ['number']),
      "JSON_TYPE(JSON_EXTRACT(`user`, '$.\"pk\"')) IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')",
      `json_type("user", '$."pk"') IN ('integer', 'real')`,
    ],
    [
      'jsonKindIs object',
      (d: typeof mysql) => d.jsonKindIs('brand', ['x'], ['object', 'array']),
      "JSON_TYPE(JSON_EXTRACT(`brand`, '$.\"x\"')) IN ('OBJECT', 'ARRAY')",
      `json_type("brand", '$."x"') IN ('object', 'array')`,
    ],
    [
      'jsonKindIs boolean/null',
      (d: typeof mysql) => d.jsonKindIs('brand', ['x'], ['boolean', 'null']),
      "JSON_TYPE(JSON_EXTRACT(`brand`, '$.\"x\"')) IN ('BOOLEAN', 'NULL')",
      `json_type("brand", '$."x"') IN ('true', 'false', 'null')`,
    ],
    [
      'jsonMissingOrNull',
      (d: typeof mysql) => d.jsonMissingOrNull('context', path),
      "COALESCE(JSON_TYPE(JSON_EXTRACT(`context`, '$.\"binding\".\"pk\"')), 'NULL') = 'NULL'",
      `COALESCE(json_type("context", '$."binding"."pk"'), 'null') = 'null'`,
    ],
    [
      'jsonBooleanIs true',
      (d: typeof mysql) => d.jsonBooleanIs('context', ['dry_run'], true),
      "JSON_TYPE(JSON_EXTRACT(`context`, '$.\"dry_run\"')) = 'BOOLEAN' AND JSON_EXTRACT(`context`, '$.\"dry_run\"') = 'true'",
      `json_type("context", '$."dry_run"') = 'true'`,
    ],
    [
      'jsonBooleanIs false',
      (d: typeof mysql) => d.jsonBooleanIs('context', ['dry_run'], false),
      "JSON_TYPE(JSON_EXTRACT(`context`, '$.\"dry_run\"')) = 'BOOLEAN' AND JSON_EXTRACT(`context`, '$.\"dry_run\"') = 'false'",
      `json_type("context", '$."dry_run"') = 'false'`,
    ],
    [
      'jsonScalarText',
      (d: typeof mysql) => d.jsonScalarText('user', ['username']),
      'JSON_VALUE(`user`, \'$."username"\')',
      `CAST(json_extract("user", '$."username"') AS TEXT)`,
    ],
    [
      'jsonNumber',
      (d: typeof mysql) => d.jsonNumber('context', ['count']),
      'CAST(JSON_VALUE(`context`, \'$."count"\') AS DOUBLE)',
      `json_extract("context", '$."count"')`,
    ],
    [
      'jsonDocument',
      (d: typeof mysql) => d.jsonDocument('context', ['app']),
      'JSON_EXTRACT(`context`, \'$."app"\')',
      `json_extract("context", '$."app"')`,
    ],
    [
      'jsonSearchText',
      (d: typeof mysql) => d.jsonSearchText('context', ['app']),
      'JSON_UNQUOTE(JSON_EXTRACT(`context`, \'$."app"\'))',
      `json_extract("context", '$."app"')`,
    ],
    ['hex', (d: typeof mysql) => d.hex('event_uuid'), 'LOWER(HEX(`event_uuid`))', 'lower(hex("event_uuid"))'],
    [
      'floorDivide',
      (d: typeof mysql) => d.floorDivide(sql`${d.column('created')}`, 21_600_000_000),
      '(`created` DIV 21600000000)',
      '("created" / 21600000000)',
    ],
    ['byteOrder', (d: typeof mysql) => d.byteOrder(sql`${d.column('action')}`), 'CAST(`action` AS BINARY)', '"action"'],
  ])('%s', (_name, build, expectedMysql, expectedSqlite) => {
    expect(inline(build(mysql))).toBe(expectedMysql);
    expect(inline(build(sqlite))).toBe(expectedSqlite);
    expect(placeholderProblems(build(mysql))).toEqual([]);
    expect(placeholderProblems(build(sqlite))).toEqual([]);
  });

  it('binds the JSON path, even for hostile keys', () => {
    const condition = mysql.jsonKindIs('context', [`x') OR 1=1 --`], ['string']);
    expect(condition.sql).toBe("JSON_TYPE(JSON_EXTRACT(`context`, ?)) IN ('STRING')");
    expect(condition.params).toEqual([`$."x') OR 1=1 --"`]);
  });

  it('refuses a divisor that is not a positive integer', () => {
    expect(() => mysql.floorDivide(sql`x`, 0)).toThrow();
    expect(() => sqlite.floorDivide(sql`x`, 1.5)).toThrow();
  });
});

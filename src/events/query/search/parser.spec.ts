import { Expression, QueryLanguageError } from './ast';
import { parseQuery, PARSER_LIMITS } from './parser';

const cmp = (path: string, operator: string, value: unknown): Expression => ({
  type: 'compare',
  path: path.split('.'),
  operator: operator as never,
  value:
    value === null
      ? { type: 'null' }
      : typeof value === 'boolean'
        ? { type: 'boolean', value }
        : typeof value === 'number'
          ? { type: 'number', value }
          : { type: 'string', value: value as string },
});

describe('parseQuery', () => {
  it.each(['=', '!=', '~', '!~', '>', '>=', '<', '<='])('parses the comparison operator %s', (op) => {
    expect(parseQuery(`app ${op} "x"`)).toEqual(cmp('app', op, 'x'));
  });

  it('parses dotted paths', () => {
    expect(parseQuery('context.binding.pk = "a1b2"')).toEqual(cmp('context.binding.pk', '=', 'a1b2'));
  });

  it('parses True, False and None, case-insensitively', () => {
    expect(parseQuery('context.dry_run = True')).toEqual(cmp('context.dry_run', '=', true));
    expect(parseQuery('context.dry_run = false')).toEqual(cmp('context.dry_run', '=', false));
    expect(parseQuery('client_ip = None')).toEqual(cmp('client_ip', '=', null));
    expect(parseQuery('client_ip != NONE')).toEqual(cmp('client_ip', '!=', null));
  });

  it('parses numbers', () => {
    expect(parseQuery('context.count >= -1.5e2')).toEqual(cmp('context.count', '>=', -150));
  });

  it('parses in and not in lists, with or without commas', () => {
    expect(parseQuery('action in ("login", "logout")')).toEqual({
      type: 'in',
      path: ['action'],
      negated: false,
      values: [
        { type: 'string', value: 'login' },
        { type: 'string', value: 'logout' },
      ],
    });
    expect(parseQuery('context.n NOT IN (1 2 None)')).toEqual({
      type: 'in',
      path: ['context', 'n'],
      negated: true,
      values: [{ type: 'number', value: 1 }, { type: 'number', value: 2 }, { type: 'null' }],
    });
  });

  it('binds and tighter than or', () => {
    expect(parseQuery('a = 1 or b = 2 and c = 3')).toEqual({
      type: 'or',
      operands: [cmp('a', '=', 1), { type: 'and', operands: [cmp('b', '=', 2), cmp('c', '=', 3)] }],
    });
    expect(parseQuery('a = 1 and b = 2 or c = 3')).toEqual({
      type: 'or',
      operands: [{ type: 'and', operands: [cmp('a', '=', 1), cmp('b', '=', 2)] }, cmp('c', '=', 3)],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseQuery('(a = 1 or b = 2) and c = 3')).toEqual({
      type: 'and',
      operands: [{ type: 'or', operands: [cmp('a', '=', 1), cmp('b', '=', 2)] }, cmp('c', '=', 3)],
    });
    expect(parseQuery('((a = 1))')).toEqual(cmp('a', '=', 1));
  });

  it('keeps long chains flat', () => {
    const parsed = parseQuery('a = 1 and b = 2 and c = 3 or d = 4 or e = 5');
    expect(parsed).toEqual({
      type: 'or',
      operands: [{ type: 'and', operands: [cmp('a', '=', 1), cmp('b', '=', 2), cmp('c', '=', 3)] }, cmp('d', '=', 4), cmp('e', '=', 5)],
    });
  });

  it('reads keywords case-insensitively', () => {
    expect(parseQuery('a = 1 AND b = 2 Or c = 3')).toEqual(parseQuery('a = 1 and b = 2 or c = 3'));
  });

  it('accepts keywords as path segments where a name is expected', () => {
    expect(parseQuery('context.in = 1')).toEqual(cmp('context.in', '=', 1));
    expect(parseQuery('context.and.or = "x"')).toEqual(cmp('context.and.or', '=', 'x'));
  });

  it.each([
    ['', 'expected a field name'],
    ['login', 'expected a comparison operator'],
    ['admin failed', 'expected a comparison operator'],
    ['action =', 'expected a value'],
    ['action = login', 'expected a value'],
    ['= "x"', 'expected a field name'],
    ['a = 1 and', 'expected a field name'],
    ['a = 1 b = 2', 'unexpected text after the query'],
    ['(a = 1', 'expected )'],
    ['a = 1)', 'unexpected text after the query'],
    ['a in "x"', 'expected ('],
    ['a in ()', 'expected a value'],
    ['a in (1', 'expected )'],
    ['a not = 1', 'expected a comparison operator'],
    ['a.= 1', 'expected a field name'],
    ['a..b = 1', 'expected a field name'],
    ['.a = 1', 'expected a field name'],
    ['a = (1)', 'expected a value'],
    ['a == 1', 'expected a value'],
    ['5abc = 1', 'expected a field name'],
    ['a = "x" "y"', 'unexpected text after the query'],
  ])('rejects %p', (text, message) => {
    expect(() => parseQuery(text)).toThrow(QueryLanguageError);
    expect(() => parseQuery(text)).toThrow(message);
  });

  it('bounds nesting depth', () => {
    const ok = `${'('.repeat(PARSER_LIMITS.maxDepth)}a = 1${')'.repeat(PARSER_LIMITS.maxDepth)}`;
    expect(parseQuery(ok)).toEqual(cmp('a', '=', 1));
    const deep = `${'('.repeat(PARSER_LIMITS.maxDepth + 1)}a = 1${')'.repeat(PARSER_LIMITS.maxDepth + 1)}`;
    expect(() => parseQuery(deep)).toThrow('too deeply nested');
    expect(() => parseQuery('('.repeat(100_000))).toThrow(QueryLanguageError);
  });

  it('bounds path length, token count and text length', () => {
    const segments = Array.from({ length: PARSER_LIMITS.maxPathSegments + 1 }, (_, i) => `k${i}`);
    expect(() => parseQuery(`${segments.join('.')} = 1`)).toThrow('path too long');
    expect(() => parseQuery(Array(PARSER_LIMITS.maxTokens).fill('a = 1').join(' or '))).toThrow(QueryLanguageError);
    expect(() => parseQuery(`app = "${'x'.repeat(PARSER_LIMITS.maxLength)}"`)).toThrow('query too long');
  });
});

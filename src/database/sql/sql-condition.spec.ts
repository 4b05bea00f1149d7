import { and, FALSE, join, not, or, raw, sql, TRUE } from './sql-condition';
import { inline, placeholderProblems } from './testing';

describe('sql template', () => {
  it('binds every interpolated value as a parameter', () => {
    const evil = "x' OR '1'='1";
    expect(sql`a = ${evil} AND b = ${5}`).toEqual({ sql: 'a = ? AND b = ?', params: [evil, 5] });
  });

  it('binds null, buffers and numbers as values', () => {
    const uuid = Buffer.alloc(16);
    expect(sql`${null}, ${uuid}, ${1.5}`.params).toEqual([null, uuid, 1.5]);
  });

  it('inlines raw text and nested fragments with their parameters in order', () => {
    const inner = sql`b = ${2}`;
    expect(sql`${raw('"a"')} = ${1} AND (${inner}) AND c = ${3}`).toEqual({
      sql: '"a" = ? AND (b = ?) AND c = ?',
      params: [1, 2, 3],
    });
  });

  it('treats a plain object without sql/params as a value', () => {
    const value = { sql: 1 };
    expect(sql`${value}`).toEqual({ sql: '?', params: [value] });
  });
});

describe('join', () => {
  it('joins text and concatenates parameters', () => {
    expect(join([sql`${1}`, sql`${2}`], ', ')).toEqual({ sql: '?, ?', params: [1, 2] });
    expect(join([], ', ')).toEqual({ sql: '', params: [] });
  });
});

describe('and / or / not', () => {
  const a = sql`a = ${1}`;
  const b = sql`b = ${2}`;
  const c = sql`c = ${3}`;

  it('wraps each part in parentheses', () => {
    expect(and(a, b)).toEqual({ sql: '(a = ?) AND (b = ?)', params: [1, 2] });
    expect(or(a, b, c)).toEqual({ sql: '(a = ?) OR (b = ?) OR (c = ?)', params: [1, 2, 3] });
  });

  it('returns a single part unchanged', () => {
    expect(and(a)).toBe(a);
    expect(or(a)).toBe(a);
  });

  it('has TRUE as the neutral element of and, FALSE of or', () => {
    expect(and()).toBe(TRUE);
    expect(or()).toBe(FALSE);
    expect(and(TRUE, a, TRUE)).toBe(a);
    expect(or(FALSE, a)).toBe(a);
  });

  it('short-circuits on FALSE in and, TRUE in or', () => {
    expect(and(a, FALSE, b)).toBe(FALSE);
    expect(or(a, TRUE, b)).toBe(TRUE);
  });

  it('negates with NOT, and flips the constants', () => {
    expect(not(a)).toEqual({ sql: 'NOT (a = ?)', params: [1] });
    expect(not(TRUE)).toBe(FALSE);
    expect(not(FALSE)).toBe(TRUE);
  });

  it('keeps the constants themselves valid SQL', () => {
    expect(TRUE.sql).toBe('1 = 1');
    expect(FALSE.sql).toBe('1 = 0');
  });

  it('splits long lists in halves so the expression stays shallow (SQLite allows depth 1000)', () => {
    const parts = Array.from({ length: 5000 }, (_, i) => sql`c = ${i}`);
    const combined = and(...parts);
    expect(combined.params).toEqual(parts.map((_, i) => i));
    expect(placeholderProblems(combined)).toEqual([]);
    let depth = 0;
    let max = 0;
    for (const ch of combined.sql) {
      if (ch === '(') max = Math.max(max, ++depth);
      if (ch === ')') depth--;
    }
    expect(max).toBeLessThan(30);
    // Sixteen terms or fewer stay one flat list.
    expect(inline(or(...parts.slice(0, 16)))).toBe(
      parts
        .slice(0, 16)
        .map((_, i) => `(c = ${i})`)
        .join(' OR '),
    );
  });
});

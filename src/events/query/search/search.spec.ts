import fc from 'fast-check';
import { inline, placeholderProblems } from '../testing';
import { plainSearch, searchWords } from './plain-search';
import { interpretSearch } from './search';
import { MAX_SEARCH_TERMS } from './search-limits';
import { ApiException } from '@app/common';
import { resolveDialect } from '../../../database/sql/dialect';

const HAYSTACK_SQLITE = `concat_ws(' ', lower(hex("event_uuid")), "user", "action", "app", "context", "client_ip")`;
const HAYSTACK_MYSQL = "CONCAT_WS(' ', LOWER(HEX(`event_uuid`)), `user`, `action`, `app`, `context`, `client_ip`)";
const word = (pattern: string) => `${HAYSTACK_SQLITE} LIKE '${pattern}' ESCAPE '\\'`;

const TOO_MANY = `Ensure this search has no more than ${MAX_SEARCH_TERMS} words or comparisons.`;

/** The 400 body `interpretSearch` throws for `text`. */
function searchError(text: string): unknown {
  try {
    interpretSearch(text, 'sqlite');
  } catch (error) {
    if (error instanceof ApiException) return error.body;
    throw error;
  }
  throw new Error(`no error for ${text.slice(0, 40)}`);
}

describe('searchWords', () => {
  it('splits on whitespace and commas, dropping empties and repeats', () => {
    expect(searchWords(' admin, login\tfailed,,admin\n ')).toEqual(['admin', 'login', 'failed']);
    expect(searchWords(' , ')).toEqual([]);
  });
});

describe('plainSearch', () => {
  const sqlite = resolveDialect('sqlite');
  const mysql = resolveDialect('mysql');

  it('requires every word somewhere in uuid hex, user, action, app, context or client_ip', () => {
    expect(inline(plainSearch('admin failed', sqlite))).toBe(`(${word('%admin%')}) AND (${word('%failed%')})`);
    expect(inline(plainSearch('admin', mysql))).toBe(`LOWER(${HAYSTACK_MYSQL}) LIKE LOWER('%admin%') COLLATE utf8mb4_bin ESCAPE '\\\\'`);
  });

  it('also matches a dashed UUID (or part of one) against the stored hex', () => {
    expect(inline(plainSearch('0f8e4b2c-1d3a', sqlite))).toBe(
      `(${word('%0f8e4b2c-1d3a%')}) OR (lower(hex("event_uuid")) LIKE '%0f8e4b2c1d3a%' ESCAPE '\\')`,
    );
    expect(inline(plainSearch('user-agent', sqlite))).toBe(word('%user-agent%'));
  });

  it('takes wildcards and escapes literally', () => {
    expect(plainSearch('100% a_b c\\d', sqlite).params).toEqual(['%100\\%%', '%a\\_b%', '%c\\\\d%']);
  });

  it('is no condition for blank text', () => {
    expect(plainSearch('  ,, ', sqlite).sql).toBe('1 = 1');
  });
});

describe('interpretSearch', () => {
  it('uses the query language when the text parses and compiles', () => {
    expect(interpretSearch('action = "login"', 'sqlite')).toEqual({
      mode: 'query',
      condition: { sql: '"action" = ?', params: ['login'] },
    });
  });

  it.each([
    ['login', ['%login%']],
    ['admin failed', ['%admin%', '%failed%']],
    ['action = login', ['%action%', '%=%', '%login%']],
    ['foo = "bar"', ['%foo%', '%=%', '%"bar"%']],
    ['created > "yesterday"', ['%created%', '%>%', '%"yesterday"%']],
    ['app = 5', ['%app%', '%=%', '%5%']],
    ['(action = "login"', ['%(action%', '%=%', '%"login"%']],
    ['action = "login" and', ['%action%', '%=%', '%"login"%', '%and%']],
  ])('falls back to plain search for %p', (text, params) => {
    const result = interpretSearch(text, 'sqlite');
    expect(result.mode).toBe('plain');
    expect(result.condition.params).toEqual(params);
  });

  it('is no condition for empty or blank text', () => {
    expect(interpretSearch('', 'sqlite')).toEqual({ mode: 'plain', condition: { sql: '1 = 1', params: [] } });
    expect(interpretSearch(' \t\n', 'mysql').condition.sql).toBe('1 = 1');
  });

  it('drops NUL characters first, as authentik does', () => {
    expect(interpretSearch('act\0ion = "lo\0gin"', 'sqlite').condition).toEqual({ sql: '"action" = ?', params: ['login'] });
    expect(interpretSearch('ad\0min', 'sqlite').condition.params).toEqual(['%admin%']);
    expect(interpretSearch('\0\0', 'sqlite').condition.sql).toBe('1 = 1');
  });

  describe('hostile text is matched literally and never throws', () => {
    it.each([
      [`'`, [`%'%`]],
      [`"`, [`%"%`]],
      [`\\`, [`%\\\\%`]],
      [`%`, [`%\\%%`]],
      [`_`, [`%\\_%`]],
      [`' OR '1'='1`, [`%'%`, `%OR%`, `%'1'='1%`]],
      [`"; DROP TABLE events; --`, [`%";%`, `%DROP%`, `%TABLE%`, `%events;%`, `%--%`]],
      [`) OR 1=1 --`, [`%)%`, `%OR%`, `%1=1%`, `%--%`]],
      [`?`, [`%?%`]],
      [`??`, [`%??%`]],
    ])('%p', (text, params) => {
      for (const dialect of ['sqlite', 'mysql'] as const) {
        const { mode, condition } = interpretSearch(text, dialect);
        expect(mode).toBe('plain');
        expect(condition.params).toEqual(params);
        expect(placeholderProblems(condition)).toEqual([]);
        expect(condition.sql).not.toMatch(/DROP|OR 1|'1'/);
      }
    });

    it('hostile strings inside a valid query stay parameters', () => {
      const { mode, condition } = interpretSearch('app = "x\\" OR 1=1 --" or context.a = "%_\\\\"', 'mysql');
      expect(mode).toBe('query');
      expect(condition.params).toContain('x" OR 1=1 --');
      expect(condition.params).toContain('%_\\');
      expect(placeholderProblems(condition)).toEqual([]);
    });

    it('10 000 characters of one word', () => {
      const text = `${'%_\\"'.repeat(2500)}`;
      for (const dialect of ['sqlite', 'mysql'] as const) {
        const { condition } = interpretSearch(text, dialect);
        expect(condition.params).toEqual([`%${'\\%\\_\\\\"'.repeat(2500)}%`]);
      }
    });

    it(`${MAX_SEARCH_TERMS} distinct words stay shallow and well formed; one more is a 400`, () => {
      const words = Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => `w${i.toString(36)}`);
      const { condition } = interpretSearch(words.join(' '), 'sqlite');
      expect(placeholderProblems(condition)).toEqual([]);
      let depth = 0;
      let max = 0;
      for (const ch of condition.sql) {
        if (ch === '(') max = Math.max(max, ++depth);
        if (ch === ')') depth--;
      }
      expect(max).toBeLessThan(40);
      expect(searchError(`${words.join(' ')} one-more`)).toEqual({ search: [TOO_MANY] });
      // Repeated words count once.
      expect(interpretSearch(`${words.join(' ')} ${words.join(',')}`, 'sqlite').mode).toBe('plain');
    });

    it(`a query of ${MAX_SEARCH_TERMS} comparisons is a query; one more is a 400, not plain words`, () => {
      const clauses = Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `context.k${i} = ${i}`);
      expect(interpretSearch(clauses.slice(1).join(' or '), 'sqlite').mode).toBe('query');
      expect(interpretSearch(`action in (${clauses.map((_, i) => `"a${i}"`).join(', ')})`, 'sqlite').mode).toBe('query');
      expect(searchError(clauses.join(' or '))).toEqual({ search: [TOO_MANY] });
      expect(searchError(`(${clauses.slice(1).join(' and ')}) or app = "x"`)).toEqual({ search: [TOO_MANY] });
    });

    it('beyond 10 000 characters a query is plain words (and bounded as such)', () => {
      const query = `app = "${'x'.repeat(10_000)}" or action = "login"`;
      expect(interpretSearch(query, 'sqlite').mode).toBe('plain');
    });

    it('100 000 opening parentheses', () => {
      expect(interpretSearch('('.repeat(100_000), 'sqlite').mode).toBe('plain');
    });
  });

  describe('properties (fast-check)', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.fullUnicodeString({ maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            'app',
            'action',
            'context.a.b',
            'user.pk',
            'event_uuid',
            'created',
            '=',
            '!=',
            '~',
            '!~',
            '>',
            '<=',
            'in',
            'not',
            'and',
            'or',
            '(',
            ')',
            '"x"',
            '"a\\"b"',
            '5',
            '-1.5',
            'True',
            'None',
            '%',
            '_',
            '\\',
            "'",
            ',',
            '\0',
          ),
          { maxLength: 40 },
        )
        .map((parts) => parts.join(' ')),
    );

    it('never throws, and placeholders always match parameters', () => {
      fc.assert(
        fc.property(anyText, fc.constantFrom('sqlite' as const, 'mysql' as const), (text, dialect) => {
          const { condition } = interpretSearch(text, dialect);
          expect(placeholderProblems(condition)).toEqual([]);
        }),
        { numRuns: 2000 },
      );
    });

    it('puts no user text into the SQL', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z]{12,20}$/), (marker) => {
          for (const text of [marker, `app = "${marker}"`, `context.a ~ "${marker}"`, `${marker} x`]) {
            expect(interpretSearch(text, 'mysql').condition.sql).not.toContain(marker);
            expect(interpretSearch(text, 'sqlite').condition.sql).not.toContain(marker);
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});

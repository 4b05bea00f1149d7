import { Dialect, resolveDialect, SqlDialect } from '../dialect';
import { SqlCondition, TRUE } from '../sql-condition';
import { QueryLanguageError } from './ast';
import { compileQuery } from './compiler';
import { parseQuery } from './parser';
import { plainSearch } from './plain-search';

export interface SearchInterpretation {
  /** `query` when the text parsed and compiled as the query language, `plain` otherwise. */
  mode: 'query' | 'plain';
  condition: SqlCondition;
}

/**
 * The `search` parameter (SPEC §3.3.1): the query language when the text is one, otherwise a
 * plain word search. Never throws on user text. NUL characters are dropped first, as authentik's
 * QLSearch does (SQLite's LIKE would stop reading a pattern at a NUL).
 */
export function interpretSearch(text: string, dialect: SqlDialect | Dialect): SearchInterpretation {
  const sqlDialect = resolveDialect(dialect);
  const cleaned = text.replace(/\0/g, '');
  if (cleaned.trim() === '') return { mode: 'plain', condition: TRUE };
  try {
    return { mode: 'query', condition: compileQuery(parseQuery(cleaned), sqlDialect) };
  } catch (error) {
    if (!(error instanceof QueryLanguageError)) throw error;
    return { mode: 'plain', condition: plainSearch(cleaned, sqlDialect) };
  }
}

/** The `search` parameter as a condition (TRUE when empty). */
export function buildSearchCondition(text: string, dialect: SqlDialect | Dialect): SqlCondition {
  return interpretSearch(text, dialect).condition;
}

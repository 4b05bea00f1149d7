import { Dialect, resolveDialect, SqlDialect } from '../../../database/sql/dialect';
import { SqlCondition } from '../../../database/sql/sql-condition';
import { Expression, QueryLanguageError } from './ast';
import { compileAlternatives, compileConjuncts } from './compiler';
import { conjunction, Conjunct } from './conjunction';
import { parseQuery } from './parser';
import { plainSearch, searchWords } from './plain-search';
import { countComparisons, MAX_SEARCH_TERMS, tooManySearchTerms } from './search-limits';

export interface SearchInterpretation {
  /** `query` when the text parsed and compiled as the query language, `plain` otherwise. */
  mode: 'query' | 'plain';
  condition: SqlCondition;
}

/**
 * The `search` parameter (docs/api-contract.md §3.3.1): the query language when the text is one, otherwise a
 * plain word search. NUL characters are dropped first, as authentik's QLSearch does (SQLite's
 * LIKE would stop reading a pattern at a NUL). The only error is a 400 `{"search": [...]}` for
 * more than MAX_SEARCH_TERMS words or comparisons (see search-limits.ts).
 */
export function interpretSearch(text: string, dialect: SqlDialect | Dialect): SearchInterpretation {
  const sqlDialect = resolveDialect(dialect);
  const { mode, conjuncts } = searchTerms(text, sqlDialect);
  return { mode, condition: conjunction(sqlDialect, conjuncts) };
}

/** The `search` parameter as a condition (TRUE when empty). */
export function buildSearchCondition(text: string, dialect: SqlDialect | Dialect): SqlCondition {
  return interpretSearch(text, dialect).condition;
}

/**
 * The `search` parameter as the conditions it ANDs, with one top-level `or` of index ranges kept
 * apart as `alternatives` (a row matches the conjuncts and the conjuncts of one alternative),
 * for a list that reads each alternative through its own index (see compileAlternatives).
 */
export function searchSelection(
  text: string,
  dialect: SqlDialect | Dialect,
): { conjuncts: Conjunct[]; alternatives?: Conjunct[][]; plainWords?: boolean } {
  const sqlDialect = resolveDialect(dialect);
  const terms = searchTerms(text, sqlDialect);
  if (terms.mode !== 'query' || !terms.query) return { conjuncts: terms.conjuncts, plainWords: terms.conjuncts.length > 0 };
  return compileAlternatives(terms.query, sqlDialect) ?? { conjuncts: terms.conjuncts };
}

function searchTerms(text: string, dialect: Dialect): { mode: SearchInterpretation['mode']; conjuncts: Conjunct[]; query?: Expression } {
  const cleaned = text.replace(/\0/g, '');
  if (cleaned.trim() === '') return { mode: 'plain', conjuncts: [] };
  try {
    const query = parseQuery(cleaned);
    if (countComparisons(query) > MAX_SEARCH_TERMS) throw tooManySearchTerms();
    return { mode: 'query', conjuncts: compileConjuncts(query, dialect), query };
  } catch (error) {
    if (!(error instanceof QueryLanguageError)) throw error;
  }
  if (searchWords(cleaned).length > MAX_SEARCH_TERMS) throw tooManySearchTerms();
  return { mode: 'plain', conjuncts: [{ kind: 'other', condition: plainSearch(cleaned, dialect) }] };
}

import { fieldError } from '@app/common';
import type { Expression } from './ast';

/**
 * Most words of a plain search, and most comparisons of a query, in one `search`. authentik has
 * no such bound, but every word is a LIKE over each row's whole text: 100 words over 100 000
 * events kept SQLite busy for 34 s. 32 is far more than anyone types; more is a 400, not a
 * silently shortened search.
 */
export const MAX_SEARCH_TERMS = 32;

export const tooManySearchTerms = () =>
  fieldError('search', `Ensure this search has no more than ${MAX_SEARCH_TERMS} words or comparisons.`);

/** The comparisons (`a = 1`, `a in (…)`) of a parsed query: what its cost grows with. */
export function countComparisons(expression: Expression): number {
  if (expression.type === 'compare' || expression.type === 'in') return 1;
  return expression.operands.reduce((sum, operand) => sum + countComparisons(operand), 0);
}

/**
 * A plain word search (text that is not the query language) looks only at the newest this many
 * events (by `created`): each word is a LIKE over each row's whole text, which no index answers,
 * so its cost grows with the rows it reads (on 1M events, every row: 15 s on a loaded 2-core
 * machine). The query language and the filters, which use indexes, reach every event.
 */
export const PLAIN_SEARCH_MAX_ROWS = 10_000;

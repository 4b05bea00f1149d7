import { Dialect } from '../../../database/sql/dialect';
import { and, or, sql, SqlCondition, TRUE } from '../../../database/sql/sql-condition';

/** The columns DRF's SearchFilter looks in for events (`search_fields` in authentik). */
const SEARCHED_COLUMNS = ['user', 'action', 'app', 'context', 'client_ip'] as const;

/** Words of a plain search: split on whitespace and commas, each distinct word once. */
export function searchWords(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((word) => word !== ''))];
}

/**
 * Every word must appear, case-insensitively, in at least one of the event's uuid (hex), user,
 * action, app, context or client_ip. The columns are joined with spaces and each word, which
 * never contains a space, is looked up once in the joined text: the same matches as one LIKE
 * per column, with one bound parameter per word instead of six.
 */
export function plainSearch(text: string, dialect: Dialect): SqlCondition {
  const words = searchWords(text);
  if (words.length === 0) return TRUE;
  const columns = [dialect.hex('event_uuid'), ...SEARCHED_COLUMNS.map((c) => sql`${dialect.column(c)}`)];
  // NULLs (client_ip) are skipped instead of turning the whole text NULL.
  const joined = dialect.joinWithSpaces(columns);
  return and(
    ...words.map((word) => {
      const anywhere = dialect.containsInsensitive(joined, word);
      // authentik matches the uuid's text form, which has dashes; ours is stored as hex.
      const hex = word.replace(/-/g, '');
      const dashedUuidPart = hex !== word && /^[0-9a-f]+$/i.test(hex);
      return dashedUuidPart ? or(anywhere, dialect.containsInsensitive(dialect.hex('event_uuid'), hex)) : anywhere;
    }),
  );
}

import type { SqlCondition } from './sql-condition';

/**
 * Test helpers for the query builders (imported by the specs only).
 *
 * `inline` shows a fragment with its parameters written in place (`"action" = 'login'`), which
 * makes expected SQL readable. It is for assertions only: real queries always bind.
 */
export function inline(fragment: SqlCondition): string {
  let i = 0;
  return fragment.sql.replace(/\?/g, () => show(fragment.params[i++]));
}

function show(value: unknown): string {
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex')}'`;
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

/**
 * A fragment is well formed when its placeholders and parameters pair up one to one. User text
 * never reaches `sql`, so every `?` in it is a placeholder; mysql2 reads `??` as an identifier
 * placeholder, so that pair must never appear either.
 */
export function placeholderProblems(fragment: SqlCondition): string[] {
  const problems: string[] = [];
  const count = (fragment.sql.match(/\?/g) ?? []).length;
  if (count !== fragment.params.length) problems.push(`${count} placeholders for ${fragment.params.length} params`);
  if (fragment.sql.includes('??')) problems.push('`??` in SQL');
  if (fragment.sql.includes('\0')) problems.push('NUL in SQL');
  return problems;
}

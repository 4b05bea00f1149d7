import { fieldError } from './api-errors';

/** SQLite and MariaDB name the column (or its `uq_<table>_<column>` key) in the message. */
function isUniqueViolationOn(error: unknown, column: string): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code;
  if (code !== 'ER_DUP_ENTRY' && code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
  return new RegExp(`\\b(\\w+\\.)?${column}\\b|_${column}'`).test(e.message ?? '');
}

/**
 * Runs a write; a unique-constraint violation on `column` (two requests racing past the
 * service's own uniqueness check) becomes the same 400 the check would have given.
 */
export async function translateUniqueViolation<T>(write: () => Promise<T>, column: string, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolationOn(error, column)) throw fieldError(column, message);
    throw error;
  }
}

import { ApiException } from '@app/common';

/** Test helpers for the query builders (imported by the specs only); the SQL ones live with the template. */
export { inline, placeholderProblems } from '../../database/sql/testing';

/** The status and body of the ApiException `run` throws (fails when it throws none). */
export function errorBody(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiException) return { status: error.getStatus(), body: error.body };
    throw error;
  }
  throw new Error('expected an ApiException');
}

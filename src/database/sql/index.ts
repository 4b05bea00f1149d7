/**
 * The one way SQL is built: the `sql` template (values always bound) and the `Dialect` of the
 * configured database (provided by DatabaseModule), for every statement the application runs.
 */
export { and, FALSE, join, not, or, raw, RawSql, sql, TRUE, values } from './sql-condition';
export type { SqlCondition, SqlExpression } from './sql-condition';
export { affectedRows, affectedRowsAlone } from './affected-rows';
export { Dialect, dialectFor, escapeLike, jsonPath, likeContains, resolveDialect } from './dialect';
export type { ComparisonOperator, JsonKind, JsonSource, SqlDialect } from './dialect';

/**
 * The SQL behind the events list and statistics (docs/api-contract.md §3.3, §3.4), in one place: pure builders,
 * no database access. The repository/service run what these return.
 */
export { and, FALSE, not, or, raw, sql, TRUE } from '../../database/sql/sql-condition';
export type { SqlCondition, SqlExpression } from '../../database/sql/sql-condition';
export { escapeLike, jsonPath, likeContains, resolveDialect } from '../../database/sql/dialect';
export type { Dialect, JsonKind, JsonSource, SqlDialect } from '../../database/sql/dialect';
export { buildListFilter, buildListSelection, countSelected, customActionsIn, modelPkCandidates, visibleAt } from './event-filters';
export type { CounterPart, CounterSelection, ListQuery, ListSelection } from './event-filters';
export { orderBySql, parseOrdering } from './ordering';
export { buildSearchCondition, interpretSearch } from './search/search';
export type { SearchInterpretation } from './search/search';
export { buildAutocomplete, EVENT_MODEL_LABEL } from './autocomplete';
export type { Autocomplete, AutocompleteField } from './autocomplete';
export { statsStatistics, topPerUserStatistics, volumeStatistics, VOLUME_BUCKET_MICROS } from './statistics';
export type { EventStats, EventTopPerUser, EventVolume, StatisticsQuery } from './statistics';
export { parseStatsParams, parseTopPerUserParams, parseVolumeParams } from './statistics-params';

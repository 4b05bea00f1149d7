import { allValues, badRequest, DrfMessage, lastValue } from '@app/common';
import { CUSTOM_ACTION_PREFIX, EVENT_ACTIONS, isEventAction } from '../event-actions';
import { EventJsonColumn } from '../event.entity';
import { Dialect, resolveDialect, SqlDialect } from '../../database/sql/dialect';
import { fitsGeneratedColumn, generatedColumnEquals } from './generated-columns';
import { conjunction, Conjunct, CounterKey, CounterTerm, hasSemijoins } from './search/conjunction';
import { searchSelection } from './search/search';
import { PLAIN_SEARCH_MAX_ROWS } from './search/search-limits';
import { and, FALSE, or, sql, SqlCondition, TRUE } from '../../database/sql/sql-condition';

/** A parsed query string as Fastify hands it over: a repeated key becomes an array. */
export type ListQuery = Readonly<Record<string, unknown>>;

/**
 * The list filters of docs/api-contract.md §3.3 (authentik's `EventsFilter`) plus `search`, ANDed. Unknown
 * parameters are ignored; a repeated parameter counts by its last value, except `actions`. Like
 * django-filter, values are stripped of surrounding whitespace and an empty value is no filter.
 *
 * Visibility (`expires > now`) is NOT part of it: the repository adds it to every read, so one
 * request sees one instant (`visibleAt` is here for the statistics queries).
 *
 * The JSON lookups compare the indexed generated columns (`EVENT_JSON_COLUMNS`), so each filter
 * is an index lookup. Throws a 400 for an invalid `actions` value or a NUL in a filter value.
 */
export function buildListFilter(query: ListQuery, dialectName: SqlDialect | Dialect): SqlCondition {
  const { where, anyOf } = buildListSelection(query, dialectName, { actionBranches: false });
  return anyOf ? and(where, or(...anyOf)) : where;
}

/**
 * The same filters as `buildListFilter`, with the `username` filter's three alternatives kept
 * apart: a row matches `where` and at least one of `anyOf`. Each alternative alone is one index
 * range, but MariaDB can only evaluate their OR by reading every candidate row (and computing
 * its JSON columns); the repository reads them as a UNION of index-only branches instead.
 */
export function buildListSelection(
  query: ListQuery,
  dialectName: SqlDialect | Dialect,
  options: { actionBranches: boolean } = { actionBranches: true },
): ListSelection {
  const dialect = resolveDialect(dialectName);
  const values = readFilterValues(query);
  const f = new FilterBuilder(dialect);
  const search = searchSelection(values.search ?? '', dialect);
  // An OR of index ranges (the `action` filter's actions): SQLite sorted every match for the
  // page, about a second for `action=login` at 1 000 000 events; MariaDB walked
  // idx_events_created and read each row to check its action. As branches of their own each is
  // read in order and only its first rows are merged (see EventsRepository). Not with a search
  // that has branches or a cap of its own.
  const actionBranches =
    options.actionBranches && values.username === undefined && values.action !== undefined && !search.alternatives && !search.plainWords;
  // One AND of the filters and the search's terms, so that each condition on a generated column
  // can be answered from its index whichever of the two it comes from (see `conjunction`).
  const conjuncts = [
    ...f.when(actionBranches ? undefined : values.action, (v) => f.counted(f.other(f.actionContains(v)), 'action', actionContainsRule(v))),
    ...f.when(values.actions, (v) => f.counted(f.other(dialect.textIn(f.column('action'), v, true)), 'action', (a) => v.includes(a))),
    ...f.when(values.client_ip, (v) => f.other(dialect.compareText(f.column('client_ip'), '=', v, true))),
    ...f.when(values.brand_name, (v) => f.generatedIn('brand_name', [v])),
    ...f.when(values.context_model_pk, (v) => f.generatedIn('context_model_pk', modelPkCandidates(v))),
    ...f.when(values.context_model_name, (v) => f.generatedIn('context_model_name', [v])),
    ...f.when(values.context_model_app, (v) => f.generatedIn('context_model_app', [v])),
    ...f.when(values.context_authorized_app, (v) => f.generatedIn('context_authorized_app', [stripDashes(v)])),
    ...f.when(values.context_device, (v) => f.generatedIn('context_device', [stripDashes(v)])),
  ];
  conjuncts.push(...search.conjuncts);
  if (search.alternatives) {
    const user = values.username === undefined ? undefined : f.usernameAlternatives(values.username);
    return unionSelection(dialect, conjuncts, search.alternatives, user);
  }
  const where = conjunction(dialect, conjuncts);
  const semijoins = hasSemijoins(dialect, conjuncts);
  if (search.plainWords) {
    const anyOf = values.username === undefined ? undefined : f.usernameAlternatives(values.username);
    return { where, anyOf, semijoins, newestOnly: PLAIN_SEARCH_MAX_ROWS };
  }
  if (values.username !== undefined) return { where, anyOf: f.usernameAlternatives(values.username), semijoins };
  if (actionBranches) {
    // Read as branches, counted as the one condition it is: the count must not read every match.
    const needle = values.action!;
    const action = f.counted(f.other(f.actionContains(needle)), 'action', actionContainsRule(needle));
    const counted = countedBy([...conjuncts, action]);
    const narrowed = counted.counters
      ? { anyOfGivenCustomActions: (present: readonly string[]) => f.actionAlternatives(needle, present) }
      : {};
    return { where, anyOf: f.actionAlternatives(needle), semijoins, ...counted, ...narrowed };
  }
  return { where, semijoins, ...countedBy(conjuncts) };
}

/** Counted from the counters when they decide every condition (none at all: every event). */
function countedBy(conjuncts: readonly Conjunct[]): Pick<ListSelection, 'counters'> {
  const terms = conjuncts.map((conjunct) => conjunct.counted);
  return terms.every((term) => term !== undefined) ? { counters: { terms } } : {};
}

/**
 * The selection of a search with a top-level `or` of index ranges (see compileAlternatives): one
 * branch per alternative, each the whole AND with that alternative, so that each is read through
 * its own index; with `username`, one per alternative and way of matching the user.
 */
function unionSelection(
  dialect: Dialect,
  conjuncts: readonly Conjunct[],
  alternatives: readonly Conjunct[][],
  usernameAlternatives: SqlCondition[] | undefined,
): ListSelection {
  const branches = alternatives.map((alternative) => [...conjuncts, ...alternative]);
  const conditions = branches.map((branch) => conjunction(dialect, branch));
  return {
    where: TRUE,
    anyOf: usernameAlternatives ? conditions.flatMap((condition) => usernameAlternatives.map((user) => and(condition, user))) : conditions,
    semijoins: branches.some((branch) => hasSemijoins(dialect, branch)),
  };
}

/** A row matches `where` and, when `anyOf` is given, at least one of its conditions. */
export interface ListSelection {
  where: SqlCondition;
  anyOf?: SqlCondition[];
  /** Whether `where` holds semijoins on indexes (see `conjunction`). */
  semijoins: boolean;
  /** Only the newest this many events are selected (a plain word search, see PLAIN_SEARCH_MAX_ROWS). */
  newestOnly?: number;
  /** Set when the event counters count exactly the rows `where` selects (see CounterSelection). */
  counters?: CounterSelection;
  /**
   * With the `action` filter read as branches and counted from the counters: `anyOf` with its
   * `custom_` range replaced by an exact branch for each of the `present` custom actions that
   * contain the text. The range reads every custom action's entries to find those (all of them,
   * however many events a client logs under custom actions); the counters, read for the count
   * anyway, name the few distinct ones that exist.
   */
  anyOfGivenCustomActions?: (present: readonly string[]) => SqlCondition[];
}

/**
 * The most custom actions the `action` filter reads by name: a client that writes thousands of
 * distinct custom actions must not make every such list a UNION of thousands of branches. Past
 * it, the `custom_` range is read as before.
 */
export const MAX_CUSTOM_ACTION_BRANCHES = 16;

/** Events per value of the counters' keys, in parts that add up (see EventsRepository.modelCountParts). */
export type CounterPart = Record<CounterKey, string> & { n: number };

/** The number of events `selection` selects: the parts that every term accepts, added up. */
export function countSelected(parts: readonly CounterPart[], selection: CounterSelection): number {
  return parts.filter((part) => selection.terms.every((term) => term.accepts(part[term.key]))).reduce((sum, part) => sum + part.n, 0);
}

/** The `custom_` actions that visible events have, by the counters' parts. */
export function customActionsIn(parts: readonly CounterPart[]): string[] {
  const events = new Map<string, number>();
  for (const { action, n } of parts) if (action.startsWith(CUSTOM_ACTION_PREFIX)) events.set(action, (events.get(action) ?? 0) + n);
  return [...events].filter(([, n]) => n > 0).map(([action]) => action);
}

/**
 * What a list selects, in the terms of the event counters (`event_counts`, kept by triggers per
 * action, app, `context.model.app` and `context.model.model_name`): an event is selected when
 * every term accepts its key. Set only when each filter and each term of the search is one the
 * counters decide (`action`, `actions`, the model app / name filters with values that fit their
 * column, and the search's equalities of `counterTerm`), so counting needs no event rows.
 */
export interface CounterSelection {
  terms: readonly CounterTerm[];
}

/** The enum values that contain the text, ignoring case (stored enum values are lower case). */
function knownActionsContaining(text: string): string[] {
  return EVENT_ACTIONS.filter((value) => value.includes(text.toLowerCase()));
}

/**
 * The `action` filter's rule (the same as its SQL, `actionContains`): an enum value containing
 * the text, or a `custom_` action containing it, ignoring case.
 */
function actionContainsRule(text: string): (action: string) => boolean {
  const needle = text.toLowerCase();
  return (stored) =>
    (isEventAction(stored) && stored.includes(needle)) ||
    (stored.startsWith(CUSTOM_ACTION_PREFIX) && stored.toLowerCase().includes(needle));
}

/** Events that have not expired at `now` (docs/api-contract.md §5). */
export function visibleAt(now: number, dialectName: SqlDialect | Dialect): SqlCondition {
  const dialect = resolveDialect(dialectName);
  return sql`${dialect.column('expires')} > ${now}`;
}

const TEXT_FILTERS = [
  'action',
  'client_ip',
  'username',
  'brand_name',
  'context_model_pk',
  'context_model_name',
  'context_model_app',
  'context_authorized_app',
  'context_device',
] as const;

type FilterValues = Partial<Record<(typeof TEXT_FILTERS)[number] | 'search', string>> & { actions?: string[] };

const invalidChoice = (value: string) => `Select a valid choice. ${value} is not one of the available choices.`;

/** Validates like django-filter's form: every problem of every field in one 400. */
function readFilterValues(query: ListQuery): FilterValues {
  const values: FilterValues = {};
  const errors: Record<string, string[]> = {};
  for (const name of TEXT_FILTERS) {
    const raw = lastValue(query[name]);
    if (typeof raw !== 'string') continue;
    // Django's CharField rejects NUL (ProhibitNullCharactersValidator).
    if (raw.includes('\0')) errors[name] = [DrfMessage.nullCharacters];
    else if (raw.trim() !== '') values[name] = raw.trim();
  }
  const actions = allValues(query.actions);
  const invalid = actions.find((action) => !isEventAction(action));
  if (invalid !== undefined) errors.actions = [invalidChoice(invalid)];
  else if (actions.length > 0) values.actions = [...new Set(actions)];
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  const search = lastValue(query.search);
  if (typeof search === 'string') values.search = search;
  return values;
}

const stripDashes = (value: string) => value.replace(/-/g, '');

/**
 * authentik stores UUID pks as hex and integer pks as numbers; a client may send either form.
 * The dashes go, and a value Python's `int()` reads also matches that integer (`007` → `7`).
 * Both live as text in the generated column, so this is one IN lookup.
 */
export function modelPkCandidates(value: string): string[] {
  const stripped = stripDashes(value);
  const integer = /^\s*\+?(\d+(?:_\d+)*)\s*$/.exec(stripped);
  const candidates = [stripped];
  if (integer) candidates.push(BigInt(integer[1].replace(/_/g, '')).toString());
  return [...new Set(candidates)];
}

class FilterBuilder {
  constructor(private readonly dialect: Dialect) {}

  column(name: string): SqlCondition {
    return sql`${this.dialect.column(name)}`;
  }

  when<T>(value: T | undefined, build: (value: T) => Conjunct): Conjunct[] {
    return value === undefined ? [] : [build(value)];
  }

  other(condition: SqlCondition): Conjunct {
    return { kind: 'other', condition };
  }

  counted(conjunct: Conjunct, key: CounterKey, accepts: (value: string) => boolean): Conjunct {
    return { ...conjunct, counted: { key, accepts } };
  }

  /** The generated column is one of `values`; its index alone answers that when the column holds them whole. */
  generatedIn(column: EventJsonColumn, values: readonly string[]): Conjunct {
    const condition = this.generatedEquals(column, values);
    if (!values.every((value) => fitsGeneratedColumn(column, value))) return { kind: 'other', condition, foundThrough: column };
    // The filter compares the column itself, as the counters' model keys are.
    const counted = column === 'context_model_app' || column === 'context_model_name';
    return counted
      ? { kind: 'indexed', column, condition, counted: { key: column, accepts: (value) => values.includes(value) } }
      : { kind: 'indexed', column, condition };
  }

  /**
   * `action` contains the text, ignoring case. A substring LIKE reads every row, but the stored
   * actions are a closed set: the API accepts only EVENT_ACTIONS and EventsService stores any
   * other name as `custom_<name>` (docs/api-contract.md §6). So: the enum values that contain the text (an IN
   * list), or a `custom_` action that contains it (a prefix range): both index ranges.
   */
  actionContains(needle: string): SqlCondition {
    return or(this.dialect.textIn(this.column('action'), knownActionsContaining(needle), true), this.customActionRange(needle));
  }

  /**
   * `actionContains` as alternatives: each enum value that contains the text, then the `custom_`
   * range; or, given the custom actions that exist, each of those that contains the text
   * (by the rule the count uses, `actionContainsRule`), unless they are more than
   * MAX_CUSTOM_ACTION_BRANCHES. Never empty: nothing is FALSE.
   */
  actionAlternatives(needle: string, customActions?: readonly string[]): SqlCondition[] {
    const d = this.dialect;
    const action = this.column('action');
    const exactly = (value: string) => d.textIn(action, [value], true);
    const named = customActions?.filter(actionContainsRule(needle));
    const custom = named === undefined || named.length > MAX_CUSTOM_ACTION_BRANCHES ? [this.customActionRange(needle)] : named.map(exactly);
    const alternatives = [...knownActionsContaining(needle).map(exactly), ...custom];
    return alternatives.length > 0 ? alternatives : [FALSE];
  }

  /** A `custom_` action that contains the text, ignoring case: a prefix range of the action index. */
  private customActionRange(needle: string): SqlCondition {
    const action = this.column('action');
    return and(this.dialect.startsWith(action, CUSTOM_ACTION_PREFIX), this.dialect.containsInsensitive(action, needle));
  }

  /**
   * `user.username`, `context.username`, or `context.model` is that user: one condition each.
   * The user's pk comes from a scalar subquery (same database, one round trip); a deleted user
   * simply has none.
   */
  usernameAlternatives(username: string): SqlCondition[] {
    const d = this.dialect;
    const userPk = sql`(SELECT CAST(${d.column('id')} AS CHAR) FROM ${d.column('users')} WHERE ${d.compareText(
      this.column('username'),
      '=',
      username,
      true,
    )})`;
    return [
      this.generatedEquals('user_username', [username]),
      this.generatedEquals('context_username', [username]),
      and(
        this.generatedEquals('context_model_app', ['authentik_core']),
        this.generatedEquals('context_model_name', ['user']),
        sql`${this.column('context_model_pk')} = ${userPk}`,
      ),
    ];
  }

  generatedEquals(column: EventJsonColumn, values: readonly string[]): SqlCondition {
    return generatedColumnEquals(this.dialect, column, values);
  }
}

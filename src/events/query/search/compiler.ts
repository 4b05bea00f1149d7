import { eventActionLabel, EventAction } from '../../event-actions';
import { ComparisonOperator, Dialect, JsonSource } from '../../../database/sql/dialect';
import { EVENT_JSON_COLUMNS, EventJsonColumn } from '../../event.entity';
import { generatedColumnDecidesString, generatedColumnEquals, generatedColumnFor, generatedColumnHoldsNumber } from '../generated-columns';
import { and, FALSE, join, not, or, raw, RawSql, sql, SqlCondition, TRUE } from '../../../database/sql/sql-condition';
import { CompareOperator, Comparison, Expression, Logical, Membership, QueryLanguageError, Value } from './ast';
import { conjunction, Conjunct, CounterTerm } from './conjunction';
import { searchField, SearchField } from './fields';
import { parseSearchDateTime, parseUuid } from './values';

/**
 * Turns a parsed query into SQL for one dialect. Like djangoql, a field the schema does not know
 * or a value of the wrong type is a QueryLanguageError (the caller then falls back to plain
 * search). Every value is a bound parameter.
 *
 * Negations are SQL `NOT`: a row where the positive comparison is unknown, such as a missing
 * JSON key, matches neither `=` nor `!=` (Django's `exclude()` on a JSON key behaves the same).
 * On a nullable column (`client_ip`) NULL rows do match `!=`, as Django adds `IS NULL` there.
 */
export function compileQuery(expression: Expression, dialect: Dialect): SqlCondition {
  return conjunction(dialect, compileConjuncts(expression, dialect));
}

/**
 * The query's top-level AND, one conjunct per term, each with what it reads, so the list can
 * combine them with its filters (see `conjunction`).
 */
export function compileConjuncts(expression: Expression, dialect: Dialect): Conjunct[] {
  if (expression.type === 'and') return expression.operands.flatMap((operand) => compileConjuncts(operand, dialect));
  const condition = compileExpression(expression, dialect);
  const column = indexDecidingColumn(expression);
  const counted = counterTerm(expression);
  const foundThrough = column ? undefined : narrowingColumn(expression, dialect);
  const conjunct: Conjunct = column
    ? { kind: 'indexed', column, condition }
    : { kind: readsKeysOnly(expression) ? 'keys' : 'other', condition, foundThrough };
  return [counted ? { ...conjunct, counted } : conjunct];
}

/** The most alternatives of a top-level `or` that a list reads as a UNION of index ranges. */
export const MAX_UNION_BRANCHES = 8;

/**
 * A top-level `or` of the query as alternatives, each the conjuncts of one operand, when every
 * operand is an index range (see `isIndexRange`): the list then reads each alternative through
 * its own index and combines them with UNION, as it does for `username`. Their OR in one WHERE
 * is no index range: MariaDB and SQLite read every row (or, for one column, every match before
 * sorting). Returns the conjuncts without that `or`, and its alternatives; none when no `or`
 * qualifies.
 */
export function compileAlternatives(
  expression: Expression,
  dialect: Dialect,
): { conjuncts: Conjunct[]; alternatives: Conjunct[][] } | undefined {
  const terms = expression.type === 'and' ? expression.operands : [expression];
  const isUnion = (term: Expression): term is Logical =>
    term.type === 'or' && term.operands.length <= MAX_UNION_BRANCHES && term.operands.every((operand) => isIndexRange(operand));
  const at = terms.findIndex(isUnion);
  if (at < 0) return undefined;
  const either = terms[at] as Logical;
  return {
    conjuncts: terms.filter((_, i) => i !== at).flatMap((term) => compileConjuncts(term, dialect)),
    alternatives: either.operands.map((operand) => compileConjuncts(operand, dialect)),
  };
}

/**
 * A term that an index answers as a range: an equality (`=`, `in`) on `action` or `client_ip`,
 * or one that a generated column's index decides; or an `and` with such a term.
 */
function isIndexRange(expression: Expression): boolean {
  if (expression.type === 'and') return expression.operands.some((operand) => isIndexRange(operand));
  const term = equalityTerm(expression);
  if (term?.field?.kind === 'text') return term.field.indexed && term.values.every((value) => value.type === 'string');
  return indexDecidingColumn(expression) !== undefined;
}

/** A positive `=` or `in` term: its field, the path below the field and its values; undefined for any other term. */
function equalityTerm(expression: Expression): { field: SearchField | undefined; path: string[]; values: Value[] } | undefined {
  if (expression.type !== 'compare' && expression.type !== 'in') return undefined;
  const equality = expression.type === 'in' ? !expression.negated : expression.operator === '=';
  if (!equality) return undefined;
  const values = expression.type === 'compare' ? [expression.value] : expression.values;
  return { field: searchField(expression.path[0]), path: expression.path.slice(1), values };
}

/** The strings among `values`, when all of them are strings. */
function onlyStrings(values: readonly Value[]): string[] | undefined {
  const strings = values.flatMap((value) => (value.type === 'string' ? [value.value] : []));
  return strings.length === values.length ? strings : undefined;
}

/**
 * The event counters' view of an equality term (`action = "model_updated"`, `action in (…)`,
 * `context.model.app = "authentik_core"`), when they decide it exactly, so that a search of
 * such terms is counted without reading events. `action` is a plain column, compared byte for
 * byte on both sides (a label stands for its value, as in the SQL). A model key only where its
 * generated column alone proves the JSON string (generatedColumnDecidesString), and never '':
 * the counters' key of an event without that key.
 */
function counterTerm(expression: Expression): CounterTerm | undefined {
  const term = equalityTerm(expression);
  const strings = term && onlyStrings(term.values);
  if (!term || !strings) return undefined;
  const { field } = term;
  if (field?.kind === 'text' && field.name === 'action') {
    const accepted = new Set(strings.map((text) => choiceValue(field, text)));
    return { key: 'action', accepts: (value) => accepted.has(value) };
  }
  if (field?.kind !== 'json') return undefined;
  const column = generatedColumnFor(field.name, term.path);
  if (column !== 'context_model_app' && column !== 'context_model_name') return undefined;
  if (strings.some((text) => text === '' || !generatedColumnDecidesString(column, text))) return undefined;
  const accepted = new Set(strings);
  return { key: column, accepts: (value) => accepted.has(value) };
}

function compileExpression(expression: Expression, dialect: Dialect): SqlCondition {
  switch (expression.type) {
    case 'and':
      return and(...expression.operands.map((operand) => compileExpression(operand, dialect)));
    case 'or':
      return or(...expression.operands.map((operand) => compileExpression(operand, dialect)));
    case 'compare':
      return compileComparison(expression, dialect);
    case 'in':
      return compileMembership(expression, dialect);
  }
}

/**
 * The generated column whose index alone answers this term: a string `=` or `in` on its path
 * where the column decides every string (see `decidedStrings`).
 */
function indexDecidingColumn(expression: Expression): EventJsonColumn | undefined {
  const term = equalityTerm(expression);
  const strings = term && onlyStrings(term.values);
  if (term?.field?.kind !== 'json' || !strings) return undefined;
  const { column, checked } = decidedStrings(term.field.name, term.path, strings, false);
  return checked.length === 0 ? column : undefined;
}

/**
 * The generated column whose index finds an equality's rows before each is checked in full: the
 * strings it does not decide alone (`user.pk = "5"`, see indexedPrefilter), and numbers where
 * generatedColumnHoldsNumber lists their texts (SQLite).
 */
function narrowingColumn(expression: Expression, dialect: Dialect): EventJsonColumn | undefined {
  const term = equalityTerm(expression);
  if (term?.field?.kind !== 'json') return undefined;
  const { values } = term;
  const column = generatedColumnFor(term.field.name, term.path);
  const numbers = values.flatMap((value) => (value.type === 'number' ? [value.value] : []));
  const found =
    values.every((value) => value.type === 'string' || value.type === 'number') &&
    (numbers.length === 0 || (column !== undefined && generatedColumnHoldsNumber(dialect, column, numbers) !== undefined));
  return found ? column : undefined;
}

/** `created` and `event_uuid` are in every list index, so any index answers such a term. */
function readsKeysOnly(expression: Expression): boolean {
  if (expression.type !== 'compare' && expression.type !== 'in') return expression.operands.every(readsKeysOnly);
  const kind = searchField(expression.path[0])?.kind;
  return kind === 'uuid' || kind === 'datetime';
}

const NEGATED: Partial<Record<CompareOperator, CompareOperator>> = { '!=': '=', '!~': '~' };
type PositiveOperator = Exclude<CompareOperator, '!=' | '!~'>;

function compileComparison(node: Comparison, dialect: Dialect): SqlCondition {
  const target = resolveTarget(node.path);
  const positive = (NEGATED[node.operator] ?? node.operator) as PositiveOperator;
  const negated = positive !== node.operator;
  const condition = positiveCondition(target, positive, [node.value], negated, dialect);
  if (!negated) return condition;
  return negate(target.field, condition, node.value.type === 'null', dialect);
}

function compileMembership(node: Membership, dialect: Dialect): SqlCondition {
  const target = resolveTarget(node.path);
  const condition = positiveCondition(target, 'in', node.values, node.negated, dialect);
  if (!node.negated) return condition;
  return negate(
    target.field,
    condition,
    node.values.some((value) => value.type === 'null'),
    dialect,
  );
}

/** The field a path names, and the key path inside it for `user` / `context` / `brand`. */
interface Target {
  field: SearchField;
  jsonPath: string[];
}

function resolveTarget(path: string[]): Target {
  const field = searchField(path[0]);
  if (!field) throw new QueryLanguageError(`unknown field ${path[0]}`);
  const jsonPath = path.slice(1);
  // JSON documents are searched by a key inside them; other fields have no inner path.
  if ((field.kind === 'json') !== jsonPath.length > 0) throw new QueryLanguageError(`bad path ${path.join('.')}`);
  return { field, jsonPath };
}

function negate(field: SearchField, condition: SqlCondition, comparesWithNone: boolean, dialect: Dialect): SqlCondition {
  if (field.kind === 'text' && field.nullable && !comparesWithNone) {
    return or(not(condition), sql`${dialect.column(field.name)} IS NULL`);
  }
  return not(condition);
}

type Operator = PositiveOperator | 'in';

/** `negated`: the caller wraps the condition in NOT, where unknown and false no longer agree. */
function positiveCondition(
  { field, jsonPath }: Target,
  operator: Operator,
  values: Value[],
  negated: boolean,
  dialect: Dialect,
): SqlCondition {
  switch (field.kind) {
    case 'text':
      return textCondition(field, operator, values, dialect);
    case 'uuid':
      return uuidCondition(operator, values, dialect);
    case 'datetime':
      return datetimeCondition(operator, values, dialect);
    case 'json':
      return jsonCondition(field.name, jsonPath, operator, values, negated, dialect);
  }
}

// --- plain text columns: action, app, client_ip ---------------------------------------------

function textCondition(field: Extract<SearchField, { kind: 'text' }>, operator: Operator, values: Value[], dialect: Dialect): SqlCondition {
  const column = sql`${dialect.column(field.name)}`;
  const isNull = sql`${column} IS NULL`;
  if (operator === 'in') {
    const strings = values.filter((value) => value.type !== 'null').map((value) => choiceValue(field, stringOf(value)));
    const withNull = strings.length < values.length ? [isNull] : [];
    return or(dialect.textIn(column, unique(strings), field.indexed), ...withNull);
  }
  const [value] = values;
  if (value.type === 'null') {
    if (operator !== '=') throw new QueryLanguageError('None only compares with = and !=');
    return isNull;
  }
  const text = stringOf(value);
  if (operator === '~') return dialect.containsInsensitive(column, text);
  return dialect.compareText(column, operator, choiceValue(field, text), field.indexed);
}

/** djangoql's choice fields accept a choice's label for its value (`"Login Failed"`). */
function choiceValue(field: Extract<SearchField, { kind: 'text' }>, text: string): string {
  if (!field.choices || field.choices.includes(text)) return text;
  return field.choices.find((choice) => eventActionLabel(choice as EventAction) === text) ?? text;
}

function stringOf(value: Value): string {
  if (value.type !== 'string') throw new QueryLanguageError('this field compares with strings');
  return value.value;
}

// --- event_uuid -------------------------------------------------------------------------------

function uuidCondition(operator: Operator, values: Value[], dialect: Dialect): SqlCondition {
  const column = sql`${dialect.column('event_uuid')}`;
  if (operator === 'in') {
    if (values.some((value) => value.type === 'null')) throw new QueryLanguageError('event_uuid is never None');
    // A text that is not a UUID can equal no event: it matches nothing rather than failing.
    const uuids = values.map((value) => parseUuid(stringOf(value))).filter((uuid): uuid is Buffer => uuid !== null);
    return uuids.length === 0 ? FALSE : or(...uuids.map((uuid) => sql`${column} = ${uuid}`));
  }
  const [value] = values;
  if (value.type === 'null') throw new QueryLanguageError('event_uuid is never None');
  const text = stringOf(value);
  // Stored as 16 bytes; `~` searches the hex digits, so dashes in the needle are dropped.
  if (operator === '~') return dialect.containsInsensitive(dialect.hex('event_uuid'), text.replace(/-/g, ''));
  const uuid = parseUuid(text);
  return uuid ? sql`${column} ${rawOperator(operator)} ${uuid}` : FALSE;
}

// --- created ----------------------------------------------------------------------------------

function datetimeCondition(operator: Operator, values: Value[], dialect: Dialect): SqlCondition {
  const column = sql`${dialect.column('created')}`;
  const micros = values.map((value) => {
    const parsed = value.type === 'string' ? parseSearchDateTime(value.value) : null;
    if (parsed === null) throw new QueryLanguageError('created compares with datetimes');
    return parsed;
  });
  if (operator === 'in') return or(...micros.map((us) => sql`${column} = ${us}`));
  if (operator === '~') throw new QueryLanguageError('created cannot be searched with ~');
  return sql`${column} ${rawOperator(operator)} ${micros[0]}`;
}

// --- user / context / brand -------------------------------------------------------------------

function jsonCondition(
  source: JsonSource,
  path: string[],
  operator: Operator,
  values: Value[],
  negated: boolean,
  dialect: Dialect,
): SqlCondition {
  if (operator === 'in') return jsonIn(source, path, values, negated, dialect);
  const [value] = values;
  if (operator === '=') return jsonEquals(source, path, value, negated, dialect);
  if (value.type !== 'string' && value.type !== 'number') {
    throw new QueryLanguageError(`${operator} compares with strings or numbers`);
  }
  if (operator === '~') return dialect.containsInsensitive(dialect.jsonSearchText(source, path), String(value.value));
  if (value.type === 'number') {
    return and(dialect.jsonKindIs(source, path, ['number']), numberComparison(dialect, source, path, operator, value.value));
  }
  return and(
    dialect.jsonKindIs(source, path, ['string']),
    dialect.compareText(dialect.jsonScalarText(source, path), operator, value.value),
  );
}

function jsonEquals(source: JsonSource, path: string[], value: Value, negated: boolean, dialect: Dialect): SqlCondition {
  switch (value.type) {
    case 'null':
      return dialect.jsonMissingOrNull(source, path);
    case 'boolean':
      return dialect.jsonBooleanIs(source, path, value.value);
    case 'number':
      return jsonNumberIn(source, path, [value.value], dialect);
    case 'string':
      return jsonStringIn(source, path, [value.value], negated, dialect);
  }
}

/**
 * The JSON value at `path` is one of the (distinct) `strings`. On a path with an indexed
 * generated column (`context.model.app`), a string whose column value alone proves the match
 * is answered from the index, without reading any JSON (generatedColumnDecidesString). Not
 * under NOT: a JSON null, object or array leaves the column NULL, which NOT keeps unknown where
 * the full check says "not equal" (such rows match `!=` and `not in`).
 * The other strings are checked against the JSON: type and text.
 */
function jsonStringIn(source: JsonSource, path: string[], strings: string[], negated: boolean, dialect: Dialect): SqlCondition {
  const { column, decided, checked } = decidedStrings(source, path, strings, negated);
  const text = dialect.jsonScalarText(source, path);
  return or(
    column && decided.length > 0 ? generatedColumnEquals(dialect, column, decided) : FALSE,
    checked.length === 0
      ? FALSE
      : and(
          indexedPrefilter(column, checked, dialect),
          dialect.jsonKindIs(source, path, ['string']),
          checked.length === 1 ? dialect.compareText(text, '=', checked[0]) : dialect.textIn(text, checked),
        ),
  );
}

/** The path's generated column, the strings it decides alone, and the strings to check in the JSON. */
function decidedStrings(source: JsonSource, path: string[], strings: string[], negated: boolean) {
  const column = generatedColumnFor(source, path);
  const decided = column && !negated ? strings.filter((value) => generatedColumnDecidesString(column, value)) : [];
  const decidedSet = new Set(decided);
  return { column, decided, checked: strings.filter((value) => !decidedSet.has(value)) };
}

/**
 * For a path that has an indexed generated column (`column`), the same equality on that column:
 * implied by the exact JSON check that follows, but it lets the database find the rows through
 * the index instead of reading every row's JSON.
 */
function indexedPrefilter(column: EventJsonColumn | undefined, values: string[], dialect: Dialect): SqlCondition {
  if (!column) return TRUE;
  const stored = EVENT_JSON_COLUMNS[column].stripDashes ? values.map((value) => value.replace(/-/g, '')) : values;
  return generatedColumnEquals(dialect, column, unique(stored));
}

/** One type check per kind of value, then a single IN list: long lists stay small in SQL. */
function jsonIn(source: JsonSource, path: string[], values: Value[], negated: boolean, dialect: Dialect): SqlCondition {
  const strings = unique(values.flatMap((value) => (value.type === 'string' ? [value.value] : [])));
  const numbers = unique(values.flatMap((value) => (value.type === 'number' ? [value.value] : [])));
  const others = values.filter((value) => value.type === 'boolean' || value.type === 'null');
  const parts: SqlCondition[] = [];
  if (strings.length > 0) parts.push(jsonStringIn(source, path, strings, negated, dialect));
  if (numbers.length > 0) parts.push(jsonNumberIn(source, path, numbers, dialect));
  for (const value of others) parts.push(jsonEquals(source, path, value, negated, dialect));
  return or(...parts);
}

/**
 * The JSON value at `path` is a number equal to one of `numbers`. On a path with an indexed
 * generated column, where the column's texts for those numbers can be listed (SQLite, see
 * generatedColumnHoldsNumber), the column's index finds the candidates first (`user.pk = 5`).
 */
function jsonNumberIn(source: JsonSource, path: string[], numbers: number[], dialect: Dialect): SqlCondition {
  const column = generatedColumnFor(source, path);
  const list = join(
    numbers.map((n) => sql`${n}`),
    ', ',
  );
  return and(
    (column && generatedColumnHoldsNumber(dialect, column, numbers)) ?? TRUE,
    dialect.jsonKindIs(source, path, ['number']),
    numbers.length === 1 ? sql`${dialect.jsonNumber(source, path)} = ${numbers[0]}` : sql`${dialect.jsonNumber(source, path)} IN (${list})`,
  );
}

function numberComparison(dialect: Dialect, source: JsonSource, path: string[], operator: ComparisonOperator, value: number): SqlCondition {
  return sql`${dialect.jsonNumber(source, path)} ${rawOperator(operator)} ${value}`;
}

// --- helpers ----------------------------------------------------------------------------------

const SQL_OPERATORS: Record<ComparisonOperator, string> = { '=': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Only the five fixed comparison operators ever reach the SQL text. */
function rawOperator(operator: Operator): RawSql {
  const text = SQL_OPERATORS[operator as ComparisonOperator];
  if (!text) throw new QueryLanguageError(`operator ${operator} not allowed here`);
  return raw(text);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

import { eventActionLabel, EventAction } from '../../event-actions';
import { CompareOperator, Comparison, Expression, Membership, QueryLanguageError, Value } from './ast';
import { searchField, SearchField } from './fields';
import { parseSearchDateTime, parseUuid } from './values';

/** One event as the query language sees it (the columns `compiler.ts` reads). */
export interface QueryableEvent {
  eventUuid: string;
  action: string;
  app: string;
  clientIp: string | null;
  user: unknown;
  brand: unknown;
  context: unknown;
  /** Microseconds since the epoch. */
  created: number;
}

/** SQL's three truth values: `null` is unknown (a NULL column, a missing JSON key). */
type Truth = boolean | null;

/**
 * The search language evaluated in memory against one event, with the meaning `compiler.ts`
 * gives it in SQL (an event-matcher policy's `query` checks the one event being delivered, not
 * a table). The same three-valued logic: a comparison with a NULL column or a missing JSON key
 * is unknown, `NOT unknown` stays unknown, and only a definite true matches; `!=` on the
 * nullable `client_ip` matches NULL. Unknown fields and values of the wrong type throw
 * QueryLanguageError, as the compiler does. Text compares byte for byte; `~` ignores case.
 */
export function matchesQuery(expression: Expression, event: QueryableEvent): boolean {
  return evaluate(expression, event) === true;
}

function evaluate(expression: Expression, event: QueryableEvent): Truth {
  switch (expression.type) {
    case 'and':
      return kleene(
        expression.operands.map((operand) => evaluate(operand, event)),
        false,
      );
    case 'or':
      return kleene(
        expression.operands.map((operand) => evaluate(operand, event)),
        true,
      );
    case 'compare':
      return comparison(expression, event);
    case 'in':
      return membership(expression, event);
  }
}

/** AND (`decisive` false) or OR (`decisive` true) of three-valued operands. */
function kleene(values: Truth[], decisive: boolean): Truth {
  if (values.includes(decisive)) return decisive;
  return values.includes(null) ? null : !decisive;
}

const not = (value: Truth): Truth => (value === null ? null : !value);

const NEGATED: Partial<Record<CompareOperator, CompareOperator>> = { '!=': '=', '!~': '~' };

function comparison(node: Comparison, event: QueryableEvent): Truth {
  const field = resolve(node.path);
  const positive = (NEGATED[node.operator] ?? node.operator) as Operator;
  const result = positiveTruth(field, node.path.slice(1), positive, [node.value], event);
  if (positive === node.operator) return result;
  return negate(field, result, node.value.type === 'null', event);
}

function membership(node: Membership, event: QueryableEvent): Truth {
  const field = resolve(node.path);
  const result = positiveTruth(field, node.path.slice(1), 'in', node.values, event);
  if (!node.negated) return result;
  return negate(
    field,
    result,
    node.values.some((value) => value.type === 'null'),
    event,
  );
}

function resolve(path: string[]): SearchField {
  const field = searchField(path[0]);
  if (!field) throw new QueryLanguageError(`unknown field ${path[0]}`);
  if ((field.kind === 'json') !== path.length > 1) throw new QueryLanguageError(`bad path ${path.join('.')}`);
  return field;
}

/** `NOT`, and on a nullable text column `OR column IS NULL` unless None was compared with. */
function negate(field: SearchField, result: Truth, comparesWithNone: boolean, event: QueryableEvent): Truth {
  if (field.kind === 'text' && field.nullable && !comparesWithNone)
    return kleene([not(result), textColumn(field.name, event) === null], true);
  return not(result);
}

type Operator = Exclude<CompareOperator, '!=' | '!~'> | 'in';

function positiveTruth(field: SearchField, jsonPath: string[], operator: Operator, values: Value[], event: QueryableEvent): Truth {
  switch (field.kind) {
    case 'text':
      return textTruth(field, operator, values, textColumn(field.name, event));
    case 'uuid':
      return uuidTruth(operator, values, event.eventUuid);
    case 'datetime':
      return datetimeTruth(operator, values, event.created);
    case 'json':
      return jsonTruth(operator, values, lookUp(event[field.name], jsonPath));
  }
}

function textColumn(name: string, event: QueryableEvent): string | null {
  if (name === 'action') return event.action;
  if (name === 'app') return event.app;
  if (name === 'client_ip') return event.clientIp;
  throw new QueryLanguageError(`unknown field ${name}`);
}

// --- action, app, client_ip -------------------------------------------------------------------

function textTruth(field: Extract<SearchField, { kind: 'text' }>, operator: Operator, values: Value[], column: string | null): Truth {
  if (operator === 'in') {
    const strings = values.filter((value) => value.type !== 'null').map((value) => choiceValue(field, stringOf(value)));
    const withNull = strings.length < values.length;
    if (column === null) return withNull ? true : strings.length ? null : false;
    return strings.includes(column);
  }
  const [value] = values;
  if (value.type === 'null') {
    if (operator !== '=') throw new QueryLanguageError('None only compares with = and !=');
    return column === null;
  }
  const text = stringOf(value);
  if (column === null) return null;
  if (operator === '~') return containsInsensitive(column, text);
  return compareBytes(column, operator, choiceValue(field, text));
}

function choiceValue(field: Extract<SearchField, { kind: 'text' }>, text: string): string {
  if (!field.choices || field.choices.includes(text)) return text;
  return field.choices.find((choice) => eventActionLabel(choice as EventAction) === text) ?? text;
}

function stringOf(value: Value): string {
  if (value.type !== 'string') throw new QueryLanguageError('this field compares with strings');
  return value.value;
}

// --- event_uuid -------------------------------------------------------------------------------

function uuidTruth(operator: Operator, values: Value[], eventUuid: string): Truth {
  const stored = parseUuid(eventUuid);
  if (values.some((value) => value.type === 'null')) throw new QueryLanguageError('event_uuid is never None');
  if (!stored) return false;
  if (operator === 'in') return values.some((value) => parseUuid(stringOf(value))?.equals(stored) ?? false);
  const text = stringOf(values[0]);
  if (operator === '~') return containsInsensitive(stored.toString('hex'), text.replace(/-/g, ''));
  const uuid = parseUuid(text);
  return uuid ? ordered(Buffer.compare(stored, uuid), operator) : false;
}

// --- created ----------------------------------------------------------------------------------

function datetimeTruth(operator: Operator, values: Value[], created: number): Truth {
  const micros = values.map((value) => {
    const parsed = value.type === 'string' ? parseSearchDateTime(value.value) : null;
    if (parsed === null) throw new QueryLanguageError('created compares with datetimes');
    return parsed;
  });
  if (operator === 'in') return micros.includes(created);
  if (operator === '~') throw new QueryLanguageError('created cannot be searched with ~');
  return ordered(Math.sign(created - micros[0]), operator);
}

// --- user / context / brand -------------------------------------------------------------------

/** The JSON value at `path` (object keys only), or undefined when the path is missing. */
function lookUp(document: unknown, path: string[]): unknown {
  let current = document;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function jsonTruth(operator: Operator, values: Value[], found: unknown): Truth {
  if (operator === 'in') {
    return kleene(
      values.map((value) => jsonEquals(value, found)),
      true,
    );
  }
  const [value] = values;
  if (operator === '=') return jsonEquals(value, found);
  if (value.type !== 'string' && value.type !== 'number') throw new QueryLanguageError(`${operator} compares with strings or numbers`);
  if (found === undefined) return null;
  if (operator === '~')
    return found === null ? null : containsInsensitive(typeof found === 'string' ? found : JSON.stringify(found), String(value.value));
  if (value.type === 'number') return typeof found === 'number' ? ordered(Math.sign(found - value.value), operator) : false;
  return typeof found === 'string' ? compareBytes(found, operator, value.value) : false;
}

function jsonEquals(value: Value, found: unknown): Truth {
  if (value.type === 'null') return found === undefined || found === null;
  if (found === undefined) return null;
  switch (value.type) {
    case 'boolean':
      return found === value.value;
    case 'number':
      return typeof found === 'number' && found === value.value;
    case 'string':
      return typeof found === 'string' && found === value.value;
  }
}

// --- helpers ----------------------------------------------------------------------------------

function containsInsensitive(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/** Byte order of the UTF-8 texts, as the databases compare them. */
function compareBytes(left: string, operator: Operator, right: string): boolean {
  return ordered(Buffer.compare(Buffer.from(left), Buffer.from(right)), operator);
}

function ordered(sign: number, operator: Operator): boolean {
  switch (operator) {
    case '=':
      return sign === 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    default:
      throw new QueryLanguageError(`operator ${operator} not allowed here`);
  }
}

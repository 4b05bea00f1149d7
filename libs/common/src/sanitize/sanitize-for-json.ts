import { ITEMS_PER_STEP, runToEnd, Steps } from '../scheduling/event-loop-slices';
import { AS_MODEL_REF, AS_USER_SNAPSHOT, isModelEntity, isUserEntity, modelPk, Uuid } from './model-ref';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Stands in for an object that (directly or not) contains itself. */
export const CIRCULAR_REFERENCE = '[Circular]';
/** Stands in for whatever is nested deeper than `MAX_SANITIZE_DEPTH` objects. */
export const TOO_DEEP = '[Too deep]';
/**
 * Far above the default MAX_JSON_DEPTH (32), and about a third of what Node's default stack holds
 * (~1 450 levels), so sanitising never overflows the stack, wherever it is called from.
 */
export const MAX_SANITIZE_DEPTH = 500;
/** Iterables other than arrays (generators may never end) are read up to this many items. */
export const MAX_ITERABLE_ITEMS = 10_000;

type Sanitize = (value: unknown) => Steps<JsonValue | undefined>;

/**
 * Makes any value JSON-safe for an event (docs/api-contract.md §6.1, authentik's `sanitize_item`), returning new
 * data and never touching the caller's objects:
 * - strings lose NUL characters (in object keys too); non-finite numbers become `null`;
 *   a bigint becomes a number when it fits exactly, else its decimal string;
 * - `Uuid` → 32 hex digits; `Date` → `2026-07-01T12:00:00.123000Z` (invalid date → `null`);
 * - a user entity → its user snapshot; any other entity → `{"app", "model_name", "pk", "name"}`;
 * - an `Error` → its message; `URL` → its text;
 * - arrays, `Map` (as `[key, value]` pairs), `Set` and other iterables → arrays;
 * - plain objects are walked; `undefined` and symbols are left out of objects and written as
 *   `null` in arrays, as `JSON.stringify` does;
 * - functions, classes and instances of other classes → `{"type": <name>, "module": "builtins"
 *   for JavaScript's own classes, else "unknown"}` (JavaScript keeps no module name);
 * - a reference back to an enclosing object → `"[Circular]"` (shared, non-circular references
 *   are copied normally).
 */
export function sanitizeForJson(value: unknown): JsonValue {
  return runToEnd(sanitizeForJsonSteps(value));
}

/**
 * `sanitizeForJson` as steps, for request paths that run it in slices (`runInSlices`) or inside
 * a larger walk: the same result.
 */
export function* sanitizeForJsonSteps(value: unknown): Steps<JsonValue> {
  return (yield* sanitize(value, new Set(), 0)) ?? null;
}

function* sanitize(value: unknown, enclosing: Set<object>, depth: number): Steps<JsonValue | undefined> {
  if (typeof value !== 'object' || value === null) return sanitizeScalar(value);
  const object = value as object;
  if (enclosing.has(object)) return CIRCULAR_REFERENCE;
  if (depth >= MAX_SANITIZE_DEPTH) return TOO_DEEP;
  enclosing.add(object);
  try {
    return yield* sanitizeObject(object, (inner) => sanitize(inner, enclosing, depth + 1));
  } finally {
    enclosing.delete(object);
  }
}

/** Anything but a (non-null) object: no walk, so no generator per leaf of a 70 000-key object. */
function sanitizeScalar(value: unknown): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return withoutNul(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'function':
      return typeDescription(value);
    default: // undefined, symbol
      return value === null ? null : undefined;
  }
}

function* sanitizeObject(object: object, inner: Sanitize): Steps<JsonValue> {
  if (object instanceof Uuid) return object.hex;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : withMicroseconds(object);
  if (isUserEntity(object)) {
    // authentik's get_user: only these keys, whatever else the entity carries.
    const { pk, username, email, on_behalf_of, authenticated_as } = object[AS_USER_SNAPSHOT]();
    return yield* plainObject({ pk, username, email, on_behalf_of, authenticated_as }, inner);
  }
  if (isModelEntity(object)) {
    const { app, model_name, pk, name } = object[AS_MODEL_REF]();
    return yield* plainObject({ app, model_name, pk: modelPk(pk), name }, inner);
  }
  if (object instanceof Error) return withoutNul(String(object.message));
  if (object instanceof URL) return withoutNul(object.href);
  if (Array.isArray(object)) return yield* items(object, inner);
  if (isIterable(object)) return yield* items(firstItems(object), inner);
  if (isPlainObject(object)) return yield* plainObject(object, inner);
  const constructor: unknown = Object.getPrototypeOf(object)?.constructor;
  return typeof constructor === 'function' ? typeDescription(constructor) : { type: 'object', module: 'unknown' };
}

function* items(array: unknown[], inner: Sanitize): Steps<JsonValue[]> {
  const clean: JsonValue[] = [];
  for (let i = 0; i < array.length; i++) {
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    const item = array[i];
    clean.push((typeof item === 'object' && item !== null ? yield* inner(item) : sanitizeScalar(item)) ?? null);
  }
  return clean;
}

function* plainObject(object: object, inner: Sanitize): Steps<{ [key: string]: JsonValue }> {
  const entries: [string, JsonValue][] = [];
  let count = 0;
  for (const [key, value] of Object.entries(object)) {
    if (++count % ITEMS_PER_STEP === 0) yield;
    const clean = typeof value === 'object' && value !== null ? yield* inner(value) : sanitizeScalar(value);
    if (clean !== undefined) entries.push([withoutNul(key), clean]);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
  return Object.fromEntries(entries);
}

function typeDescription(fn: { readonly name: string }): { type: string; module: string } {
  const builtin = fn.name !== '' && (globalThis as Record<string, unknown>)[fn.name] === fn;
  return { type: fn.name || 'anonymous', module: builtin ? 'builtins' : 'unknown' };
}

function withMicroseconds(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000Z`; // toISOString always ends in `.mmmZ`
}

function withoutNul(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '') : text;
}

function isIterable(object: object): object is Iterable<unknown> {
  return typeof (object as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

function firstItems(iterable: Iterable<unknown>): unknown[] {
  const items: unknown[] = [];
  for (const item of iterable) {
    if (items.length === MAX_ITERABLE_ITEMS) break;
    items.push(item);
  }
  return items;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

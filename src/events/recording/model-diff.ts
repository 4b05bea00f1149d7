import { isPlainObject, JsonValue, maskSecretsSteps, runInSlices, runToEnd, sanitizeForJsonSteps, Steps } from '@app/common';

/** A model's fields by name, as a `model_updated` event compares them (authentik's `serialize_simple`). */
export type ModelState = Record<string, unknown>;

export interface FieldChange {
  previous_value: JsonValue;
  new_value: JsonValue;
}

/** `context.diff` of a `model_updated` event: `{"<field>": {"previous_value", "new_value"}}`. */
export type ModelDiff = Record<string, FieldChange>;

/**
 * The changed fields between two states of a model (docs/api-contract.md §6.3), secrets masked. Both states are
 * made JSON-safe first; a field absent from one state counts as `null` there.
 *
 * authentik masks each state before comparing (enterprise/audit/middleware.py), so a change
 * that only touches secrets (a rotated token key, a new `api_key` in `attributes`) vanishes
 * from its diff. Here the unmasked states decide *whether* a field changed, and only the masked
 * states are written: the diff shows that a secret changed, never its value.
 */
export function modelDiff(before: ModelState, after: ModelState): ModelDiff {
  return runToEnd(modelDiffSteps(before, after));
}

/** `modelDiff` in slices, for request paths: a user's `attributes` may hold 70 000 keys. */
export function modelDiffSliced(before: ModelState, after: ModelState): Promise<ModelDiff> {
  return runInSlices(modelDiffSteps(before, after));
}

function* modelDiffSteps(before: ModelState, after: ModelState): Steps<ModelDiff> {
  const raw = { before: yield* jsonState(before), after: yield* jsonState(after) };
  const masked = { before: yield* maskSecretsSteps(raw.before), after: yield* maskSecretsSteps(raw.after) };
  const diff: ModelDiff = {};
  for (const field of new Set([...Object.keys(raw.before), ...Object.keys(raw.after)])) {
    if (sameJson(raw.before[field] ?? null, raw.after[field] ?? null)) continue;
    diff[field] = { previous_value: masked.before[field] ?? null, new_value: masked.after[field] ?? null };
  }
  return diff;
}

function* jsonState(state: ModelState): Steps<Record<string, JsonValue>> {
  return (yield* sanitizeForJsonSteps(state)) as Record<string, JsonValue>;
}

/** Deep equality of JSON values; object key order does not matter (as for Python dicts). */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}

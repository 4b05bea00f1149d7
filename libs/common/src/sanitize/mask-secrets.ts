import { ITEMS_PER_STEP, runToEnd, Steps } from '../scheduling/event-loop-slices';
import { CIRCULAR_REFERENCE, isPlainObject, JsonValue, sanitizeForJson } from './sanitize-for-json';

/** Django's `SafeExceptionReporterFilter.cleansed_substitute`: what a secret is replaced with. */
export const MASKED_VALUE = '********************';

// Django's `SafeExceptionReporterFilter.hidden_settings`, and authentik's one exception to it.
const SECRET_KEY = /API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE/i;
const ALLOWED_KEY = /passing/i;

/** Whether a value stored under `key` is masked (`password`, `api_key`, … but not `passing`). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !ALLOWED_KEY.test(key);
}

/**
 * Masks secrets in JSON data (docs/api-contract.md §6.1, authentik's `cleanse_dict`/`cleanse_item`), returning a
 * copy and never touching the input. Under a secret key:
 * - a scalar (string, number, boolean, `null`) becomes `MASKED_VALUE`;
 * - an object is walked, and only its own secret keys are masked;
 * - an array has each scalar masked, its objects walked, its nested arrays treated the same way.
 * Values under other keys are walked the same way, so secrets are found at any depth. Meant for
 * `sanitizeForJson`'s output or depth-checked input (`exceedsDepth`): it recurses once per level.
 * Objects other than plain objects and arrays count as scalars.
 */
export function maskSecrets<T>(value: T): T {
  return runToEnd(mask(value, false, new Set())) as T;
}

/** `maskSecrets` as steps, for request paths that run it in slices (`runInSlices`): the same copy. */
export function* maskSecretsSteps<T>(value: T): Steps<T> {
  return (yield* mask(value, false, new Set())) as T;
}

/** `?token=abc&q=x` → `{"token": "********************", "q": "x"}`; a repeated key keeps its last value. */
export function maskQueryArgs(search: string): { [key: string]: JsonValue } {
  // Django's QueryDict.items() yields each key's last value; Map.set does the same.
  const args = new Map(new URLSearchParams(search.startsWith('?') ? search.slice(1) : search));
  // Sanitise before masking, so a key such as "tok%00en" is masked as "token".
  return maskSecrets(sanitizeForJson(Object.fromEntries(args)) as { [key: string]: JsonValue });
}

function* mask(value: unknown, secret: boolean, enclosing: Set<object>): Steps<unknown> {
  if (!Array.isArray(value) && !isPlainObject(value)) return secret ? MASKED_VALUE : value;
  if (enclosing.has(value)) return CIRCULAR_REFERENCE;
  enclosing.add(value);
  try {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
        const item = value[i];
        items.push(isLeaf(item) ? maskLeaf(item, secret) : yield* mask(item, secret, enclosing));
      }
      return items;
    }
    // An object resets the question: its own keys decide (authentik's cleanse_dict).
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      if ((entries.length + 1) % ITEMS_PER_STEP === 0) yield;
      const secretKey = isSecretKey(key);
      entries.push([key, isLeaf(item) ? maskLeaf(item, secretKey) : yield* mask(item, secretKey, enclosing)]);
    }
    return Object.fromEntries(entries);
  } finally {
    enclosing.delete(value);
  }
}

// Leaves are handled in the loops, without a generator each: a 70 000-key object makes none.
const isLeaf = (value: unknown): boolean => typeof value !== 'object' || value === null;
const maskLeaf = (value: unknown, secret: boolean): unknown => (secret ? MASKED_VALUE : value);

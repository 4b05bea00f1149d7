/**
 * The JSON Canonicalization Scheme of RFC 8785 (JCS), for values that came from JSON: object
 * keys sorted by their UTF-16 code units at every depth, no whitespace, and strings and numbers
 * exactly as ECMAScript's `JSON.stringify` writes them (RFC 8785 §3.2.2 defines them that way).
 * Any RFC 8785 library (Python `rfc8785`, npm `canonicalize`, Java `json-canonicalization`) gives
 * the same text, which is what lets an auditor recompute a revision hash without our code.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires. Undefined members
    // are left out, as JSON.stringify leaves them out, so a value canonicalises like its JSON text.
    const members = Object.keys(object)
      .sort()
      .filter((key) => object[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  throw new TypeError(`not a JSON value: ${String(value)}`);
}

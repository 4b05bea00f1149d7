/**
 * JSON as a hostile client writes it: number literals JavaScript cannot hold (`1e999`,
 * 30-digit integers), the same key twice, `__proto__` as an ordinary key. JSON.stringify can
 * express none of these, so bodies are built from this small model and written by `toJsonText`.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object as an ordered list of entries: keys may repeat and may be `__proto__`. */
export class JsonEntries {
  constructor(readonly entries: [string, Json][]) {}
}

export type Json = null | boolean | number | string | RawJson | JsonEntries | Json[] | { [key: string]: Json };

export function toJsonText(value: Json): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof JsonEntries) {
    return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${toJsonText(value[key])}`)
      .join(',')}}`;
  }
  // -0, NaN and Infinity have no JSON text of their own; JSON.stringify writes 0 / null.
  return JSON.stringify(value) ?? 'null';
}

/**
 * Whether the text holds a key that the server's parser refuses outright (`__proto__`, or a
 * `constructor` object with a `prototype`); such a body gets a JSON parse error, not field errors.
 * Over-approximates on purpose: the property then accepts either answer.
 */
export function mayHoldPrototypeKeys(text: string): boolean {
  return text.includes('"__proto__"') || (text.includes('"constructor"') && text.includes('"prototype"'));
}

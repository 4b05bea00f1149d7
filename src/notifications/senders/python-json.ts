/**
 * `json.dumps(value)` as Python writes it with its defaults, which is what authentik's webhooks
 * send (`requests.post(json=...)`): `", "` and `": "` separators, keys in insertion order, and
 * `ensure_ascii` — every character outside printable ASCII as `\uXXXX` (UTF-16 code units, so
 * astral characters become surrogate pairs), DEL included.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return asciiString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${asciiString(key)}: ${pythonJsonDumps(item)}`).join(', ')}}`;
  }
  return 'null';
}

function asciiString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

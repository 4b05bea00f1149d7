/** Django REST Framework's field error messages, word for word. */
export const DrfMessage = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  string: 'Not a valid string.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  minLength: (n: number) => `Ensure this field has at least ${n} characters.`,
  maxItems: (n: number) => `Ensure this field has no more than ${n} elements.`,
  choice: (value: unknown) => `"${pythonStr(value)}" is not a valid choice.`,
  dict: 'Value must be a dictionary, and not have any duplicate keys.',
  /** DRF JSONField's `invalid`. */
  json: 'Value must be valid JSON.',
  ip: 'Enter a valid IPv4 or IPv6 address.',
  nullCharacters: 'Null characters are not allowed.',
  surrogate: (codePoint: number) => `Surrogate characters are not allowed: U+${codePoint.toString(16).toUpperCase()}.`,
  datetime: 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  integer: 'A valid integer is required.',
  maxValue: (n: number) => `Ensure this value is less than or equal to ${n}.`,
  minValue: (n: number) => `Ensure this value is greater than or equal to ${n}.`,
  boolean: 'Must be a valid boolean.',
  email: 'Enter a valid email address.',
  listMaxLength: (n: number) => `Ensure this field has no more than ${n} elements.`,
  listEmpty: 'This list may not be empty.',
  list: (value: unknown) => `Expected a list of items but got type "${pythonType(value)}".`,
  uuid: 'Must be a valid UUID.',
  pkDoesNotExist: (pk: unknown) => `Invalid pk "${pythonStr(pk)}" - object does not exist.`,
  pkIncorrectType: (value: unknown) => `Incorrect type. Expected pk value, received ${pythonType(value)}.`,
  unique: (model: string, field: string) => `${model} with this ${field} already exists.`,
  expectedDict: (value: unknown) => `Invalid data. Expected a dictionary, but got ${pythonType(value)}.`,
} as const;

/** Python's `type(x).__name__` for a JSON value, as DRF puts it in its messages. */
export function pythonType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    default:
      return 'dict';
  }
}

/** Python's `str(x)` for a JSON value (lists and dicts as Python prints them: `['a', 1]`). */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr(x)` for a JSON value: `'a'`, `True`, `None`, `[1, 'b']`, `{'k': {}}`. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([key, item]) => `${pythonStringRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
}

const REPR_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Single quotes unless the text holds a `'` and no `"`; control characters escaped. */
function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  const body = text.replace(/[\\\n\r\t\x00-\x1f\x7f]/g, (c) => REPR_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** Django REST Framework's field error messages, word for word. */
export const DrfMessage = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  string: 'Not a valid string.',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  minLength: (n: number) => `Ensure this field has at least ${n} characters.`,
  choice: (value: unknown) => `"${pythonStr(value)}" is not a valid choice.`,
  dict: 'Value must be a dictionary, and not have any duplicate keys.',
  ip: 'Enter a valid IPv4 or IPv6 address.',
  datetime:
    'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
  datetimeGotDate: 'Expected a datetime but got a date.',
  integer: 'A valid integer is required.',
  maxValue: (n: number) => `Ensure this value is less than or equal to ${n}.`,
  minValue: (n: number) => `Ensure this value is greater than or equal to ${n}.`,
  boolean: 'Must be a valid boolean.',
  email: 'Enter a valid email address.',
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

/** Python's `str(x)` for a JSON value. */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

import { ValidateBy } from 'class-validator';
import { UUID_PATTERN } from './drf-fields';
import { DrfMessage, pythonStr } from './drf-messages';

/**
 * DRF's PrimaryKeyRelatedField, split in two: the shape of each value is checked by the DTO
 * (these functions), whether the object exists is checked by the service (`pkDoesNotExist`).
 */

/** An integer primary key (users): an int or a string of digits, like Django's int(). */
export function integerPkProblem(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return null;
  if (typeof value === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(value)) return null;
  return DrfMessage.pkIncorrectType(value);
}

export function toIntegerPk(value: unknown): number {
  return typeof value === 'number' ? value : Number.parseInt(String(value).trim(), 10);
}

/** A UUID primary key (roles, groups): Django's UUIDField message for text that is not one. */
export function uuidPkProblem(value: unknown): string | null {
  if (typeof value === 'string') return UUID_PATTERN.test(value.trim()) ? null : `“${value}” is not a valid UUID.`;
  // An integer or null is a well-formed lookup that matches nothing; the service says so.
  if (value === null || (typeof value === 'number' && Number.isInteger(value))) return null;
  return DrfMessage.pkIncorrectType(value);
}

/** The dashed lower-case form a UUID is stored in, or null for values that can match nothing. */
export function toUuidPk(value: unknown): string | null {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value.trim())) return null;
  const hex = value.trim().replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const pkDoesNotExist = (value: unknown) => DrfMessage.pkDoesNotExist(pythonStr(value));

/** A single integer primary key field (`{"user": 5}`); `null` is refused, absence is fine. */
export function IntegerPkField(): PropertyDecorator {
  const problem = (value: unknown) => (value === undefined ? null : value === null ? DrfMessage.null : integerPkProblem(value));
  return ValidateBy({
    name: 'drfIntegerPk',
    validator: {
      validate: (value: unknown) => problem(value) === null,
      defaultMessage: (args) => problem(args?.value) ?? '',
    },
  });
}

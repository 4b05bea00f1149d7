import { ValidationArguments, registerDecorator } from 'class-validator';
import { parseDateTime } from '../time/datetime';
import { DrfMessage } from './drf-messages';
import { canonicalIp } from './ip-address';

/**
 * Serializer fields in the manner of DRF: each decorator checks one field in DRF's order
 * (required → null → type → blank → length/format) and yields DRF's single message for the
 * first failure. After validation the pipe applies `toInternal` (DRF's `to_internal_value`), so
 * the handler receives trimmed strings and parsed timestamps.
 */
export interface FieldOptions {
  /** Absent key is an error (`This field is required.`). */
  required?: boolean;
  /** `null` is a valid value. */
  nullable?: boolean;
}

type Check = (value: unknown) => string | null;
type ToInternal = (value: unknown) => unknown;

const TO_INTERNAL = Symbol('drf:toInternal');

function defineField(name: string, options: FieldOptions, check: Check, toInternal?: ToInternal): PropertyDecorator {
  const run = (value: unknown): string | null => {
    if (value === undefined) return options.required ? DrfMessage.required : null;
    if (value === null) return options.nullable ? null : DrfMessage.null;
    return check(value);
  };
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      // Run even for undefined, so that a missing required field is reported.
      options: { always: true },
      validator: {
        validate: (value: unknown) => run(value) === null,
        defaultMessage: (args?: ValidationArguments) => run(args?.value) ?? '',
      },
    });
    if (toInternal) {
      // A copy: the map found may be a base class's (a subclass adds fields), which must not change.
      const map = new Map<string, ToInternal>(Reflect.getMetadata(TO_INTERNAL, target) ?? []);
      map.set(propertyName as string, toInternal);
      Reflect.defineMetadata(TO_INTERNAL, map, target);
    }
  };
}

/**
 * Gives `target` the conversions of `source`'s fields, for a DTO class made from another without
 * extending it (a mapped type such as `PatchedType`'s); values then convert as in `source`.
 */
export function inheritFieldConversions(
  source: abstract new (...args: never[]) => unknown,
  target: abstract new (...args: never[]) => unknown,
): void {
  const inherited: Map<string, ToInternal> | undefined = Reflect.getMetadata(TO_INTERNAL, source.prototype);
  if (!inherited) return;
  const own: Map<string, ToInternal> = Reflect.getMetadata(TO_INTERNAL, target.prototype) ?? new Map();
  Reflect.defineMetadata(TO_INTERNAL, new Map([...inherited, ...own]), target.prototype);
}

/** Applies each field's `toInternal` to the values present (not to null). */
export function toInternalValues<T extends object>(dto: T): T {
  const map: Map<string, ToInternal> | undefined = Reflect.getMetadata(TO_INTERNAL, Object.getPrototypeOf(dto));
  if (!map) return dto;
  const record = dto as Record<string, unknown>;
  for (const [key, convert] of map) {
    if (record[key] !== undefined && record[key] !== null) record[key] = convert(record[key]);
  }
  return dto;
}

/** DRF CharField accepts str, int and float (as their text); trims whitespace. */
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export interface CharOptions extends FieldOptions {
  allowBlank?: boolean;
  minLength?: number;
  maxLength?: number;
  /** A regular expression the trimmed value must match, and DRF's message when it does not. */
  pattern?: { regex: RegExp; message: string };
}

function charCheck(options: CharOptions): Check {
  return (value) => {
    const text = asText(value);
    if (text === null) return DrfMessage.string;
    const trimmed = text.trim();
    if (trimmed === '') return options.allowBlank ? null : DrfMessage.blank;
    if (options.maxLength !== undefined && [...trimmed].length > options.maxLength) {
      return DrfMessage.maxLength(options.maxLength);
    }
    if (options.minLength !== undefined && [...trimmed].length < options.minLength) {
      return DrfMessage.minLength(options.minLength);
    }
    if (options.pattern && !options.pattern.regex.test(trimmed)) return options.pattern.message;
    return prohibitedCharacter(trimmed);
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** DRF CharField's last validators: no NUL, no lone UTF-16 surrogate. */
function prohibitedCharacter(text: string): string | null {
  if (text.includes('\0')) return DrfMessage.nullCharacters;
  return loneSurrogate(text);
}

function loneSurrogate(text: string): string | null {
  const surrogate = LONE_SURROGATE.exec(text);
  return surrogate ? DrfMessage.surrogate(surrogate[0].charCodeAt(0)) : null;
}

const trimmedText: ToInternal = (value) => asText(value)!.trim();

export function CharField(options: CharOptions = {}): PropertyDecorator {
  return defineField('drfChar', options, charCheck(options), trimmedText);
}

export function ChoiceField(choices: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  const allowed = new Set(choices);
  return defineField('drfChoice', options, (value) => (typeof value === 'string' && allowed.has(value) ? null : DrfMessage.choice(value)));
}

/**
 * A JSON object (authentik's JSONDictField): not an array, string or null. What it holds is
 * stored and hashed as UTF-8 JSON, so a lone surrogate (a key or a string) is refused as a
 * CharField refuses it, and a number JSON cannot write (`1e400` parses to Infinity, which would
 * be stored as null) as not valid JSON. One linear walk; the values are never copied.
 */
export function DictField(options: FieldOptions = {}): PropertyDecorator {
  return defineField('drfDict', options, (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? unstorableJson(value) : DrfMessage.dict,
  );
}

/**
 * A nested serializer's value (e.g. a notification's `event`): DRF first checks that it is a
 * JSON object. What it holds is not read by the fields that use this (they ignore the value),
 * so only the shape is checked.
 */
export function NestedObjectField(options: FieldOptions = {}): PropertyDecorator {
  return defineField('drfNested', options, (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? null : DrfMessage.expectedDict(value),
  );
}

/** Why a parsed JSON value cannot be stored as UTF-8 JSON text, or null when it can. */
export function unstorableJson(root: unknown): string | null {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      const problem = loneSurrogate(value);
      if (problem) return problem;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return DrfMessage.json;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item); // not push(...value): too many arguments for a long list
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        const problem = loneSurrogate(key);
        if (problem) return problem;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return null;
}

/**
 * DRF IPAddressField (protocol "both"): anything but a string is invalid, blank is an error.
 * IPv4 is trimmed; IPv6 is checked as sent (at most 39 characters, Django's limit) and stored in
 * Python's canonical form, an IPv4-mapped address unpacked to its IPv4 part.
 */
export function IpAddressField(options: FieldOptions = {}): PropertyDecorator {
  return defineField(
    'drfIp',
    options,
    (value) => {
      if (typeof value !== 'string') return DrfMessage.ip;
      if (value.trim() === '') return DrfMessage.blank;
      return canonicalIp(value) === null ? DrfMessage.ip : null;
    },
    (value) => canonicalIp(value as string),
  );
}

/** DRF DateTimeField: ISO 8601; converts to microseconds since the epoch (UTC). */
export function DateTimeField(options: FieldOptions = {}): PropertyDecorator {
  return defineField(
    'drfDateTime',
    options,
    (value) => {
      if (typeof value !== 'string') return DrfMessage.datetime;
      return parseDateTime(value).ok ? null : DrfMessage.datetime;
    },
    (value) => {
      const parsed = parseDateTime(value as string);
      return parsed.ok ? parsed.micros : value;
    },
  );
}

export interface IntegerOptions extends FieldOptions {
  min?: number;
  max?: number;
}

/** DRF IntegerField: accepts integers and integral strings. */
export function IntegerField(options: IntegerOptions = {}): PropertyDecorator {
  const parse = (value: unknown): number | null => {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^\s*[+-]?\d+(\.0*)?\s*$/.test(value) && value.trim().length <= 20) {
      return Number.parseInt(value, 10);
    }
    return null;
  };
  return defineField(
    'drfInteger',
    options,
    (value) => {
      const n = parse(value);
      if (n === null || !Number.isSafeInteger(n)) return DrfMessage.integer;
      if (options.min !== undefined && n < options.min) return DrfMessage.minValue(options.min);
      if (options.max !== undefined && n > options.max) return DrfMessage.maxValue(options.max);
      return null;
    },
    (value) => parse(value),
  );
}

const TRUE_VALUES = new Set(['t', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1', 1, true]);
const FALSE_VALUES = new Set(['f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0', 0, false]);

/** DRF BooleanField, with its textual spellings of true and false. */
export function BooleanField(options: FieldOptions = {}): PropertyDecorator {
  return defineField(
    'drfBoolean',
    options,
    (value) => (TRUE_VALUES.has(value as never) || FALSE_VALUES.has(value as never) ? null : DrfMessage.boolean),
    (value) => TRUE_VALUES.has(value as never),
  );
}

// Django's EmailValidator, simplified: a dot-atom or quoted local part and a domain with a dot.
const EMAIL = /^[^\s@"]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function EmailField(options: CharOptions = {}): PropertyDecorator {
  const asChar = charCheck(options);
  return defineField(
    'drfEmail',
    options,
    (value) => {
      const problem = asChar(value);
      if (problem) return problem;
      const text = asText(value)!.trim();
      return text === '' || EMAIL.test(text) ? null : DrfMessage.email;
    },
    trimmedText,
  );
}

/** A list whose items are each checked by `item` (DRF ListField / ManyRelatedField). */
export function ListField(item: Check, options: FieldOptions = {}): PropertyDecorator {
  return defineField('drfList', options, (value) => {
    if (!Array.isArray(value)) return DrfMessage.list(value);
    for (const element of value) {
      const problem = item(element);
      if (problem) return problem;
    }
    return null;
  });
}

export const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Item check for lists of UUIDs. */
export const uuidItem: Check = (value) => (typeof value === 'string' && UUID_PATTERN.test(value.trim()) ? null : DrfMessage.uuid);

/** DRF UUIDField: a UUID with or without dashes; becomes its canonical lower-case dashed form. */
export function UuidField(options: FieldOptions = {}): PropertyDecorator {
  return defineField('drfUuid', options, uuidItem, (value) => {
    const hex = (value as string).trim().replace(/-/g, '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

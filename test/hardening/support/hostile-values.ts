import fc from 'fast-check';
import { Json, JsonEntries, RawJson } from './json-text';
import type { Schema } from './operations';

/** Long strings (up to ~400 KB of UTF-8): within the body limit, far beyond any column. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('x', 'é', '\u0000', '𝔘', '%'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

const nastyStrings = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  '%',
  '_%\\',
  '%00',
  '${7*7}{{7*7}}',
  '\ud800',
  'x\udfffy',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u202e\ufeff',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '<script>alert(1)</script>',
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 3 },
  { arbitrary: nastyStrings, weight: 3 },
  { arbitrary: hugeString, weight: 1 },
);

/** Numbers JavaScript cannot hold exactly, or at all, written as JSON literals. */
const rawNumbers = ['1e999', '-1e999', '123456789012345678901234567890', '-0', '1E+2', '1e-400', '9223372036854775808'].map(
  (text) => new RawJson(text),
);

export const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<Json>(...rawNumbers, 2 ** 53, -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE, 2_147_483_648, -2_147_483_649),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    ...['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', '\u0000'],
    ...['pk', 'id', 'is_superuser', 'key', 'created', 'event_uuid'],
  ),
);

const hostileScalar: fc.Arbitrary<Json> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Any JSON value, nested a few levels, with hostile keys (repeated, `__proto__`) and scalars. */
export const hostileValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map((entries) => new JsonEntries(entries)),
  ),
})).value;

/** `{"a":{"a":...}}` or `[[...]]` `levels` deep, as text (a recursive value would blow the stack). */
export const deeplyNested = (levels: number, kind: 'object' | 'array'): RawJson =>
  kind === 'object'
    ? new RawJson(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`)
    : new RawJson(`${'['.repeat(levels)}1${']'.repeat(levels)}`);

const notAString = fc.constantFrom<Json>(true, false, {}, { a: 1 }, [], ['x']);
const notAnObject = fc.constantFrom<Json>('text', 1, -2.5, true, [], [{ a: 1 }]);
const notAList = fc.constantFrom<Json>('text', 1, true, {}, { a: 1 });

/**
 * Values DRF refuses for a field of this schema whatever else the body holds, or null when the
 * schema admits no value we can be sure of (e.g. `{}`). Numbers are not "wrong" for a string:
 * DRF's CharField accepts them.
 */
export function invalidValueFor(schema: Schema): fc.Arbitrary<Json> | null {
  const options: fc.Arbitrary<Json>[] = [];
  if (!schema.nullable) options.push(fc.constant(null));
  if (schema.enum) {
    options.push(
      hostileString.filter((s) => !schema.enum!.includes(s)),
      notAString,
    );
  } else if (schema.type === 'string') {
    options.push(notAString);
    if ((schema.minLength ?? 0) >= 1) options.push(fc.constantFrom('', '   '));
    if (schema.maxLength !== undefined) {
      options.push(fc.integer({ min: schema.maxLength + 1, max: schema.maxLength + 5_000 }).map((n) => 'y'.repeat(n)));
    }
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern);
      options.push(hostileString.filter((s) => s.trim() !== '' && !pattern.test(s.trim())));
    }
    const byFormat: Record<string, string[]> = {
      'date-time': ['not a date', '2026-13-01T00:00:00Z', '2026-02-30T12:00:00Z', '2026-07-01T25:00:00Z', '12:00', '0000-01-01T00:00:00Z'],
      email: ['not-an-email', 'a@', '@b.example', 'a b@example.com'],
      uuid: ['zzz', '1234', '00000000-0000-0000-0000-00000000000G'],
    };
    if (schema.format && byFormat[schema.format]) options.push(fc.constantFrom(...byFormat[schema.format]));
  } else if (schema.type === 'integer') {
    options.push(fc.constantFrom<Json>('abc', '', '1e3', '0x10', true, false, {}, [], new RawJson('1e999')));
  } else if (schema.type === 'number') {
    options.push(fc.constantFrom<Json>('abc', '', true, {}, []));
  } else if (schema.type === 'boolean') {
    options.push(fc.constantFrom<Json>('maybe', 'tru', 2, -1, {}, [], 'yes please'));
  } else if (schema.type === 'object') {
    options.push(notAnObject);
  } else if (schema.type === 'array') {
    options.push(notAList);
    const item = schema.items ? invalidValueFor(schema.items) : null;
    if (item) options.push(fc.tuple(fc.array(hostileValue, { maxLength: 2 }), item).map(([before, bad]) => [...before, bad]));
  } else {
    return null;
  }
  return fc.oneof(...options);
}

/** A value that may or may not be valid for the field: plain, plausible, or hostile. */
export function anyValueFor(schema: Schema): fc.Arbitrary<Json> {
  const plausible: Record<string, fc.Arbitrary<Json>> = {
    string: schema.enum ? fc.constantFrom(...(schema.enum as Json[])) : fc.string({ maxLength: 20 }),
    integer: fc.integer({ min: 0, max: 1_000 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    boolean: fc.boolean(),
    object: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
    array: fc.constant([]),
  };
  const dates = fc.constantFrom<Json>('2030-01-01T00:00:00Z', '2026-07-01T12:00:00.123456+02:00');
  const typed = schema.format === 'date-time' ? dates : plausible[schema.type ?? ''];
  return typed ? fc.oneof(typed, hostileValue) : hostileValue;
}

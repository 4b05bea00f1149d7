import { METHODS } from 'node:http';
import fc from 'fast-check';
import { anyValueFor, deeplyNested, hostileKey, hostileString, hostileValue, invalidValueFor } from './hostile-values';
import { Json, JsonEntries, toJsonText } from './json-text';
import type { Schema } from './operations';

/** A JSON body that must be refused, and which fields are certainly wrong in it. */
export interface BadBody {
  text: string;
  /** Fields whose value is invalid whatever else the body holds; each must be named in the 400. */
  invalidFields: string[];
  /** The body is JSON but not an object (`non_field_errors`); for a list body: not a list. */
  notAnObject: boolean;
  /** For an operation taking a list (bulk ingest): how many items the list holds, each one bad. */
  items?: number;
}

/**
 * A body for an operation taking `schema` that no serializer may accept: one to three fields
 * with a wrong value (wrong type, null, blank, too long, bad choice or format), the rest
 * missing, plausible or hostile, plus extra keys (`__proto__`, `constructor`, huge or deep
 * values). The invalid value may follow a valid one under the same key (the last one counts).
 * Falls back to JSON that is not an object when the schema names no field we can spoil.
 */
export function badBody(schema: Schema | undefined): fc.Arbitrary<BadBody> {
  if (schema?.type === 'array') return badList(schema.items);
  const properties = Object.entries(schema?.properties ?? {}).filter(([, s]) => !s.readOnly);
  const spoilable = properties.flatMap(([name, s]) => {
    const invalid = invalidValueFor(s);
    return invalid ? [{ name, schema: s, invalid }] : [];
  });
  const notObject: fc.Arbitrary<BadBody> = fc
    .oneof(fc.array(hostileValue, { maxLength: 3 }), hostileString, fc.integer(), fc.boolean(), fc.constant(null))
    .map((value) => ({ text: toJsonText(value), invalidFields: [], notAnObject: true }));
  if (spoilable.length === 0) return notObject;

  const names = new Set(properties.map(([name]) => name));
  const spoiled = fc.subarray(spoilable, { minLength: 1, maxLength: Math.min(3, spoilable.length) }).chain((fields) =>
    fc.tuple(
      fc.tuple(...fields.map((f) => fc.tuple(fc.constant(f.name), f.invalid, fc.option(anyValueFor(f.schema), { freq: 4 })))),
      fc.tuple(
        ...properties
          .filter(([name]) => !fields.some((f) => f.name === name))
          .map(([name, s]) => fc.option(anyValueFor(s), { freq: 2 }).map((value): [string, Json | null] => [name, value])),
      ),
      fc.array(
        fc.tuple(
          hostileKey.filter((key) => !names.has(key)),
          fc.oneof(hostileValue, deepValue),
        ),
        { maxLength: 3 },
      ),
    ),
  );
  const spoiledBody = spoiled
    .chain(([invalid, others, extras]) => {
      const entries: Entry[] = [];
      for (const [key, value] of others) if (value !== null) entries.push({ key, value });
      const lasts: Entry[] = [];
      for (const [key, bad, earlier] of invalid) {
        if (earlier !== null) entries.push({ key, value: earlier });
        lasts.push({ key, value: bad });
      }
      for (const [key, value] of extras) entries.push({ key, value });
      return fc.shuffledSubarray([...entries, ...lasts], { minLength: entries.length + lasts.length }).map((shuffled) => ({
        entries: keepLastWins(shuffled, lasts),
        invalidFields: invalid.map(([name]) => name),
      }));
    })
    .map(({ entries, invalidFields }) => ({
      text: toJsonText(new JsonEntries(entries.map(({ key, value }) => [key, value]))),
      invalidFields,
      notAnObject: false,
    }));
  return fc.oneof({ arbitrary: spoiledBody, weight: 9 }, { arbitrary: notObject, weight: 1 });
}

/**
 * A body for an operation taking a list of `item`s (DRF `many=True`): JSON that is not a list,
 * or a list of one to three items that are each refused as a single body would be.
 */
function badList(item: Schema | undefined): fc.Arbitrary<BadBody> {
  const notList: fc.Arbitrary<BadBody> = fc
    .oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(hostileKey, hostileValue, { maxKeys: 3 }))
    .map((value) => ({ text: toJsonText(value), invalidFields: [], notAnObject: true }));
  const badItems: fc.Arbitrary<BadBody> = fc.array(badBody(item), { minLength: 1, maxLength: 3 }).map((bodies) => ({
    text: `[${bodies.map((body) => body.text).join(',')}]`,
    invalidFields: [],
    notAnObject: false,
    items: bodies.length,
  }));
  return fc.oneof({ arbitrary: badItems, weight: 4 }, { arbitrary: notList, weight: 1 });
}

interface Entry {
  key: string;
  value: Json;
}

/** Moves each of `lasts` behind every other entry with its key: with a repeated key, the last one counts. */
function keepLastWins(entries: Entry[], lasts: Entry[]): Entry[] {
  const result = entries.filter((entry) => !lasts.includes(entry));
  for (const last of lasts) {
    const index = result.map(({ key }) => key).lastIndexOf(last.key);
    result.splice(index === -1 ? Math.floor(result.length / 2) : index + 1, 0, last);
  }
  return result;
}

/** Nesting just over and far over any sane depth limit, or harmlessly shallow. */
const deepValue: fc.Arbitrary<Json> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 30, max: 40 }), fc.integer({ min: 1_000, max: 50_000 })),
    fc.constantFrom<'object' | 'array'>('object', 'array'),
  )
  .map(([levels, kind]) => deeplyNested(levels, kind));

/** Content types the JSON parser must not take, and ones that are JSON with odd parameters. */
export const foreignContentTypes = fc.constantFrom(
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  'application/vnd.api+json',
  'application/json-patch+json',
  '*/*',
  'application/*',
  'json',
  '',
  'application/json, text/plain',
  '"application/json"',
  'text/html; charset=\u00e9',
);

export const jsonContentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-8; q=1',
  'APPLICATION/JSON',
  'application/json;',
  'application/json ; charset=UTF-8',
);

/** Byte sequences that are not UTF-8: lone continuation bytes, truncated and overlong sequences, surrogates. */
export const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc3],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
);

/** JSON texts that do not parse, or parse to something that is not an object. */
export const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{"a":1,}',
    "{'a': 1}",
    '{"a": NaN}',
    '{"a": Infinity}',
    '{"a": undefined}',
    '{"a": 1} {"b": 2}',
    '{"a": 1 // comment\n}',
    '{"a": "\u0000"}',
    '{"a": "\\x41"}',
    '{"a": "\\ud800"',
    '{"a": 01}',
    '{"a": .5}',
    '{a: 1}',
    '{"a" 1}',
    '[',
    ']',
    'nul',
    '\u0000{}',
    '{}\u0000',
  ),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !parses(s)),
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Path segments that name no object: not a UUID, not an integer, bad or dangling
 * percent-escapes, dot segments, NUL, non-UTF-8 bytes (characters U+0080–U+00FF go out as single
 * bytes), and segments past the router's length limit. Never a plain integer or a UUID that
 * could exist: a DELETE sent to one must not succeed.
 */
export const malformedSegment = fc.oneof(
  fc.constantFrom(
    '%',
    '%zz',
    '%2',
    '%ff',
    '%c3',
    '%ff%fe',
    '%00',
    '%2F',
    '%2f..%2f',
    '%5c',
    '..',
    '.',
    '%2e%2e',
    '%2e',
    '...',
    '-1',
    '1.5',
    '1e3',
    '0x1',
    '+1',
    '99999999999999999999',
    '9223372036854775808',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '00000000-0000-0000-0000-00000000000G',
    '{00000000-0000-0000-0000-000000000000}',
    '00000000-0000-0000-0000-0000000000000',
    '\u00ff\u00fe',
    '\u00c3',
    '%E2%80%AE',
    '%F0%9F%92%A9',
    ';',
    '%3B',
    '%3F',
    '%23',
    '*',
    '~',
  ),
  fc.integer({ min: 190, max: 4_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 60, max: 1_500 }).map((n) => '%41'.repeat(n)),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }).map((s) => encodeURIComponent(s) + '%'),
);

/**
 * Methods besides the ones the API answers to: every method Node's parser knows (WebDAV, TRACE,
 * PURGE...) and tokens it does not know at all. CONNECT is left out: its answer is not a request
 * on the connection (it is tested on its own).
 */
export const knownOddMethods = METHODS.filter((m) => !['CONNECT', 'GET', 'HEAD'].includes(m));
export const unknownMethodTokens = fc.constantFrom('FOO', 'BREW', 'WHEN', 'X-CUSTOM', 'GETS', 'POSTX', 'PATCHY', 'DEL', 'M-POST');

/** Authorization headers that identify nobody, in every shape; `null` sends none. */
export const badAuthorization = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    '',
    'Bearer',
    'Bearer ',
    'Bearer  ',
    'bearer',
    'Basic YWRtaW46YWRtaW4=',
    'Token abc',
    'Digest x',
    'Bearer a b',
    'Bearer \u00ff',
    'NTLM TlRMTVNTUAAB',
  ),
  fc
    .string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 })
    .filter((s) => /^[\t\x20-\x7e]*$/.test(s))
    .map((s) => `Bearer ${s}`),
  fc.integer({ min: 1_000, max: 8_000 }).map((n) => `Bearer ${'k'.repeat(n)}`),
  fc
    .string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 })
    .filter((s) => /^[\x21-\x7e]+$/.test(s) && !/^bearer$/i.test(s))
    .map((s) => `${s} x`),
);

import fc from 'fast-check';
import { jsonTextDepth } from '@app/common/http/json-body';
import { startTestApp, TestApp } from '../support/test-app';
import {
  badAuthorization,
  badBody,
  BadBody,
  foreignContentTypes,
  invalidUtf8,
  jsonContentTypes,
  knownOddMethods,
  malformedJson,
  malformedSegment,
  unknownMethodTokens,
} from './support/bad-requests';
import { databaseChecksum } from './support/db-checksum';
import { createFuzzTargets, FuzzTargets } from './support/fuzz-target';
import { anyValueFor, deeplyNested, hostileKey, hostileString } from './support/hostile-values';
import { JsonEntries, mayHoldPrototypeKeys, toJsonText } from './support/json-text';
import { fillPath, loadOperations, methodsByTemplate, Operation } from './support/operations';
import { describeExchange, RawHttpClient, RawRequest, RawResponse } from './support/raw-http';
import { isDetailBody, undocumentedAnswer } from './support/spec-answers';

/** Replay a failure with FUZZ_SEED=<the seed printed in the failure>. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_826);
const RUNS = { body: 900, rawBody: 600, path: 500, method: 250, auth: 250, query: 500 };

const AUTH_DETAILS = ['Authentication credentials were not provided.', 'Token invalid/expired', 'Unsupported authentication type'];
const JSON_PARSE_ERROR = /^JSON parse error - ./;
/** Node refuses a request line plus headers over 16 KiB (431) before the app sees it. */
const NODE_HEADER_LIMIT = 16 * 1024;

/**
 * Thousands of generated bad requests at every operation of the live OpenAPI document: each is
 * answered with a documented 4xx and a docs/api-contract.md §1 body, never a 5xx, and the requests that must
 * fail leave the database exactly as it was.
 */
describe(`fuzzing every operation with bad requests (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let http: RawHttpClient;
  let operations: Operation[];
  let targets: FuzzTargets;
  let checksum: string;
  const sentPerProperty: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestApp();
    http = new RawHttpClient(t.baseUrl);
    operations = await loadOperations(t.admin);
    targets = await createFuzzTargets(t);
    checksum = await databaseChecksum(t.dataSource);
  });
  afterAll(async () => {
    const total = Object.values(sentPerProperty).reduce((a, b) => a + b, 0);
    // The count is part of the suite's output on purpose (issue 8).
    console.log(`fuzz (${process.env.TEST_DB ?? 'sqlite'}, seed ${SEED}): ${total} requests sent ${JSON.stringify(sentPerProperty)}`);
    http?.close();
    await t?.close();
  });

  const adminAuth = (): [string, string] => ['Authorization', `Bearer ${t.adminKey}`];
  const withBody = () => operations.filter((op) => op.body);

  /** Runs one property and counts its requests; the failure names the seed to replay. */
  async function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, check: (value: T) => Promise<void>): Promise<void> {
    const before = http.sent;
    try {
      await fc.assert(fc.asyncProperty(arbitrary, check), { seed: SEED, numRuns });
    } finally {
      sentPerProperty[name] = http.sent - before;
    }
  }

  function expectDocumented(request: RawRequest, response: RawResponse, statuses: readonly number[], why?: string | null): void {
    const problem = undocumentedAnswer(response, statuses, request.method) ?? why ?? null;
    if (problem) throw new Error(`${problem}\n${describeExchange(request, response)}`);
  }

  async function expectDatabaseUnchanged(): Promise<void> {
    expect(await databaseChecksum(t.dataSource)).toBe(checksum);
  }

  /** The answer a body must get: 413 over the limit, a parse error for hostile keys or depth, else field errors. */
  function bodyAnswerProblem(op: Operation, body: BadBody, response: RawResponse): string | null {
    const { text } = body;
    const detail = isDetailBody(response.body) ? response.body.detail : undefined;
    // A list body (bulk ingest) has its route's own size limit and one more level for the list.
    const list = op.body?.type === 'array';
    const bodyLimit = list ? t.config.bulk.bodyLimitBytes : t.config.bodyLimitBytes;
    if (Buffer.byteLength(text) > bodyLimit) {
      return detail === 'Request body too large.' && response.status === 413 ? null : 'expected 413 for a body over the limit';
    }
    if (response.status !== 400) return `expected 400, got ${response.status}`;
    if (jsonTextDepth(text) > t.config.maxJsonDepth + (list ? 1 : 0))
      return detail && JSON_PARSE_ERROR.test(detail) ? null : 'expected a JSON parse error for the depth';
    if (detail !== undefined) {
      return mayHoldPrototypeKeys(text) && JSON_PARSE_ERROR.test(detail) ? null : `unexpected detail ${detail}`;
    }
    if (list) return listAnswerProblem(body, response.body);
    const errors = response.body as Record<string, unknown>;
    if (body.notAnObject) {
      const messages = errors.non_field_errors as string[] | undefined;
      return Object.keys(errors).length === 1 && /^Invalid data\. Expected a dictionary, but got \w+\.$/.test(messages?.[0] ?? '')
        ? null
        : 'expected non_field_errors for a body that is not an object';
    }
    // DRF names every bad field at once; some services check a field only once the others are
    // valid (see the report on `assign`), so the 400 must name some field of the body, not all.
    return Object.keys(errors).some((key) => key === 'non_field_errors' || key in (op.body?.properties ?? {}))
      ? null
      : `none of the invalid field(s) ${body.invalidFields.join(', ')} named`;
  }

  /** DRF `many=True`: not a list under `non_field_errors`, else one entry per item, some naming a problem. */
  function listAnswerProblem(body: BadBody, errors: unknown): string | null {
    if (body.notAnObject) {
      const messages = (errors as Record<string, string[] | undefined>)?.non_field_errors;
      return /^Expected a list of items but got type "\w+"\.$/.test(messages?.[0] ?? '')
        ? null
        : 'expected non_field_errors for a body that is not a list';
    }
    if (!Array.isArray(errors) || errors.length !== body.items) return `expected one entry per item (${body.items})`;
    const entries = errors as unknown[];
    const objects = entries.every((entry) => entry !== null && typeof entry === 'object' && !Array.isArray(entry));
    return objects && entries.some((entry) => Object.keys(entry as object).length > 0) ? null : 'expected an error for some item';
  }

  it('bodies with wrong types, missing, extra, huge, deep and prototype keys: 400 (413 over the limit), nothing written', async () => {
    const arbitrary = fc
      .constantFrom(...withBody())
      .chain((op) => fc.tuple(fc.constant(op), badBody(op.body), jsonContentTypes, fc.boolean()));
    await fuzz('bodies', arbitrary, RUNS.body, async ([op, body, contentType, lowerCaseHeader]) => {
      const request: RawRequest = {
        method: op.method,
        path: fillPath(op, targets.pathValues(op)),
        headers: [adminAuth(), [lowerCaseHeader ? 'content-type' : 'Content-Type', contentType]],
        body: body.text,
      };
      const response = await http.send(request);
      const statuses = targets.resolves(op) ? [400, 413] : [400, 404, 413];
      const why = response.status === 404 ? null : bodyAnswerProblem(op, body, response);
      expectDocumented(request, response, statuses, why);
    });
    await expectDatabaseUnchanged();
  });

  it('bodies that are not JSON, not UTF-8, hold NUL bytes, nest too deep, or come with odd or repeated content types: 400/415, nothing written', async () => {
    const spoiled = (op: Operation) =>
      fc.oneof(
        malformedJson.map((text) => Buffer.from(text)),
        fc.tuple(badBody(op.body), invalidUtf8, fc.nat()).map(([body, bytes, at]) => splice(body.text, bytes, at)),
        fc
          .tuple(badBody(op.body), fc.constantFrom([0x00], [0x00, 0x00], [0x7b, 0x00]), fc.nat())
          .map(([body, bytes, at]) => splice(body.text, bytes, at)),
        fc
          .tuple(fc.integer({ min: t.config.maxJsonDepth + 1, max: 100_000 }), fc.constantFrom<'object' | 'array'>('object', 'array'))
          .map(([levels, kind]) => Buffer.from(toJsonText(new JsonEntries([['context', deeplyNested(levels, kind)]])))),
      );
    const contentTypes = fc.oneof(
      jsonContentTypes.map((type) => [type]),
      foreignContentTypes.map((type) => [type]),
      fc.constant([] as string[]),
      fc.tuple(fc.oneof(jsonContentTypes, foreignContentTypes), fc.oneof(jsonContentTypes, foreignContentTypes)).map(([a, b]) => [a, b]),
    );
    const arbitrary = fc.constantFrom(...withBody()).chain((op) => fc.tuple(fc.constant(op), spoiled(op), contentTypes));
    await fuzz('raw bodies', arbitrary, RUNS.rawBody, async ([op, body, types]) => {
      const request: RawRequest = {
        method: op.method,
        path: fillPath(op, targets.pathValues(op)),
        headers: [adminAuth(), ...types.map((type): [string, string] => ['Content-Type', type])],
        body,
      };
      const response = await http.send(request);
      // Node keeps the first of repeated Content-Type headers.
      const mediaType = (types[0] ?? '').split(';')[0].trim();
      const isJson = mediaType.toLowerCase() === 'application/json';
      let why: string | null = null;
      if (response.status === 413) {
        why = body.length > t.config.bodyLimitBytes ? null : '413 under the body limit';
      } else if (!isJson) {
        const expected = `Unsupported media type "${mediaType}" in request.`;
        why =
          response.status === 415 && isDetailBody(response.body) && response.body.detail === expected ? null : `expected 415 ${expected}`;
      } else {
        why =
          response.status === 400 && isDetailBody(response.body) && JSON_PARSE_ERROR.test(response.body.detail)
            ? null
            : 'expected a JSON parse error';
      }
      expectDocumented(request, response, targets.resolves(op) ? [400, 413, 415] : [400, 404, 413, 415], why);
    });
    await expectDatabaseUnchanged();
  });

  it('malformed paths (bad ids, %, .., NUL, non-UTF-8, over-long segments) under every operation: 404 (or 400/405), nothing written', async () => {
    const withParam = operations.filter((op) => op.pathParams.length > 0);
    const withoutParam = operations.filter((op) => op.pathParams.length === 0 && op.method !== 'DELETE');
    const intoParam = fc
      .constantFrom(...withParam)
      .chain((op) =>
        fc
          .tuple(fc.constant(op), fc.constantFrom(...op.pathParams.map((p) => p.name)), malformedSegment)
          .map(([o, name, segment]) => ({ op: o, path: fillPath(o, { ...targets.pathValues(o), [name]: segment }) })),
      );
    // Operations without an id: spoil one of their static segments, or add a segment of rubbish.
    const intoStaticSegment = fc.constantFrom(...withoutParam).chain((op) =>
      fc.tuple(fc.constant(op), malformedSegment, fc.nat(), fc.boolean()).map(([o, segment, at, insert]) => {
        const segments = fillPath(o, {}).split('/').filter(Boolean);
        const index = 2 + (at % (segments.length - 1)); // never the `api/v3` prefix itself
        if (insert || index >= segments.length) segments.splice(index, 0, segment);
        else segments[index] = segment;
        return { op: o, path: `/${segments.join('/')}/` };
      }),
    );
    const arbitrary = fc
      .tuple(fc.oneof(intoParam, intoStaticSegment), fc.boolean())
      .chain(([target, trailingSlash]) =>
        badBody(target.op.body).map((body) => ({ ...target, path: trailingSlash ? target.path : target.path.replace(/\/$/, ''), body })),
      );
    await fuzz('paths', arbitrary, RUNS.path, async ({ op, path, body }) => {
      const request: RawRequest = {
        method: op.method,
        path,
        headers: op.body ? [adminAuth(), ['Content-Type', 'application/json']] : [adminAuth()],
        // A bad body too, so that a path that resolves after all still cannot write.
        body: op.body ? body.text : undefined,
      };
      const response = await http.send(request);
      const tooLong = Buffer.byteLength(path, 'latin1') > NODE_HEADER_LIMIT - 512;
      expectDocumented(request, response, tooLong ? [400, 404, 405, 413, 431] : [400, 404, 405, 413]);
    });
    await expectDatabaseUnchanged();
  });

  it('odd methods (WebDAV, TRACE, PURGE, QUERY, OPTIONS, unknown tokens) on every path, with or without a body: 405', async () => {
    const allowed = methodsByTemplate(operations);
    const refused = (op: Operation) => (m: string) =>
      !allowed.get(op.template)!.has(m) && !(m === 'HEAD' && allowed.get(op.template)!.has('GET'));
    const arbitrary = fc
      .constantFrom(...operations)
      .chain((op) =>
        fc.tuple(
          fc.constant(op),
          fc.oneof(
            { arbitrary: fc.constantFrom(...knownOddMethods, 'HEAD').filter(refused(op)), weight: 4 },
            { arbitrary: unknownMethodTokens, weight: 1 },
          ),
          fc.option(fc.constantFrom('{"a": 1}', '{', 'plain text'), { freq: 2 }),
        ),
      );
    await fuzz('methods', arbitrary, RUNS.method, async ([op, method, body]) => {
      const request: RawRequest = {
        method,
        path: fillPath(op, targets.pathValues(op)),
        headers: body === null ? [adminAuth()] : [adminAuth(), ['Content-Type', 'application/json']],
        body: body ?? undefined,
      };
      const response = await http.send(request);
      // A token Node's parser does not know never reaches the app: 400 from the connection handler.
      const known = knownOddMethods.includes(method) || method === 'HEAD';
      const expected = known ? `Method "${method}" not allowed.` : 'Bad request.';
      const detail = isDetailBody(response.body) ? response.body.detail : undefined;
      // The method is checked before the body is parsed, as in DRF: a malformed body changes nothing.
      expectDocumented(request, response, known ? [405] : [400], method === 'HEAD' || detail === expected ? null : `expected ${expected}`);
    });
    await expectDatabaseUnchanged();
  });

  it('bad credentials of every shape on every operation, with valid-looking bodies: 403 with an authentication detail, nothing written', async () => {
    const arbitrary = fc.constantFrom(...operations).chain((op) =>
      fc.tuple(
        fc.constant(op),
        fc.oneof(
          badAuthorization.map((a) => (a === null ? [] : [a])),
          // Sent twice: Node keeps the first, neither may let anyone in.
          fc.tuple(badAuthorization, badAuthorization).map((pair) => pair.filter((a): a is string => a !== null)),
        ),
        plausibleBody(op, t.config),
      ),
    );
    await fuzz('credentials', arbitrary, RUNS.auth, async ([op, authorizations, body]) => {
      const request: RawRequest = {
        method: op.method,
        path: fillPath(op, targets.pathValues(op)),
        headers: [
          ...authorizations.map((a): [string, string] => ['Authorization', a]),
          ...(body === undefined ? [] : [['Content-Type', 'application/json'] as [string, string]]),
        ],
        body,
      };
      const response = await http.send(request);
      const detail = isDetailBody(response.body) ? response.body.detail : '';
      expectDocumented(request, response, [403], AUTH_DETAILS.includes(detail) ? null : `unexpected detail ${detail}`);
    });
    await expectDatabaseUnchanged();
  });

  it('the checksum sees a write (so an unchanged one means something)', async () => {
    const created = await t.admin.post('/api/v3/events/events/', { action: 'login', app: 'fuzz.checksum' });
    expect(created.status).toBe(201);
    expect(await databaseChecksum(t.dataSource)).not.toBe(checksum);
  });

  it('reads with hostile query strings (wrong types, duplicates, bad %-escapes, NUL, huge): 2xx or a documented 4xx', async () => {
    const reads = operations.filter((op) => op.method === 'GET');
    const pair = (op: Operation) =>
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...op.queryParams.map((p) => p.name), 'page', 'page_size', 'ordering', 'search', 'format'),
          hostileKey,
          fc.constantFrom('__proto__[x]', 'a[]', 'constructor.prototype'),
        ),
        fc.oneof(
          hostileString.map((s) => percentEncode(s.slice(0, 2_000))),
          fc.constantFrom(
            '%zz',
            '%',
            '%f',
            '%ff',
            '%c3',
            '%00',
            '%ed%a0%80',
            '1e400',
            '-1',
            '0',
            '99999999999999999999',
            'true',
            'maybe',
            '',
            '%2C%2C',
            ',-,',
          ),
          fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'q'.repeat(n)),
        ),
      );
    const arbitrary = fc.constantFrom(...reads).chain((op) =>
      fc.tuple(
        fc.constant(op),
        fc.array(pair(op), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        // Now and then past Node's 16 KiB for the request line and headers.
        fc.option(fc.integer({ min: 17_000, max: 40_000 }), { freq: 20 }),
      ),
    );
    await fuzz('queries', arbitrary, RUNS.query, async ([op, pairs, head, huge]) => {
      const query = pairs.map(([key, value]) => `${encodeURIComponent(key)}=${value}`).join('&') + (huge ? `&x=${'h'.repeat(huge)}` : '');
      const request: RawRequest = {
        method: head ? 'HEAD' : 'GET',
        path: `${fillPath(op, targets.pathValues(op))}?${query}`,
        headers: [adminAuth()],
      };
      const response = await http.send(request);
      if (response.status >= 200 && response.status < 300) return;
      const tooLong = Buffer.byteLength(request.path) > NODE_HEADER_LIMIT - 512;
      expectDocumented(request, response, tooLong ? [400, 404, 431] : [400, 404]);
    });
  });
});

/** Every byte of the UTF-8 form as %XX (lone surrogates, which encodeURIComponent refuses, become U+FFFD). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** `text` with `bytes` put in at position `at` (modulo its length). */
function splice(text: string, bytes: number[], at: number): Buffer {
  const raw = Buffer.from(text);
  const index = at % (raw.length + 1);
  return Buffer.concat([raw.subarray(0, index), Buffer.from(bytes), raw.subarray(index)]);
}

/** A JSON object that may well be valid for `op` (or no body, when it takes none), within the app's limits. */
function plausibleBody(op: Operation, limits: { bodyLimitBytes: number; maxJsonDepth: number }): fc.Arbitrary<string | undefined> {
  if (!op.body) return fc.constant(undefined);
  const properties = Object.entries(op.body.properties ?? {});
  return (
    fc
      .tuple(...properties.map(([name, schema]) => fc.option(anyValueFor(schema)).map((value) => [name, value] as const)))
      .map((entries) => toJsonText(new JsonEntries(entries.filter(([, v]) => v !== null).map(([k, v]) => [k, v!]))))
      // Bodies are read before authentication: keep to JSON the parser takes, the point is the credentials.
      .filter(
        (text) =>
          Buffer.byteLength(text) <= limits.bodyLimitBytes && jsonTextDepth(text) <= limits.maxJsonDepth && !mayHoldPrototypeKeys(text),
      )
  );
}

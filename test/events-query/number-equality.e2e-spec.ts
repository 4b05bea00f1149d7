import { randomUUID } from 'node:crypto';
import { nowMicros } from '@app/common';
import { resolveDialect } from '../../src/events/query';
import { startTestApp, TestApp } from '../support/test-app';
import { HOUR } from './query-fixtures';

/**
 * A number's equality in the search language (`user.pk = 1000`) matches the number however the
 * stored JSON writes it, and nothing else. On SQLite the generated column's index finds the
 * candidates first (generatedColumnHoldsNumber), so rows written by hand, not by this app's
 * JSON.stringify, are here too: each must still be found.
 */
describe(`search: a number's equality finds every way it is written (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  const names = new Map<string, string>();

  // name → [user document, context document], as stored text.
  const DOCUMENTS: Record<string, [string, string]> = {
    int: ['{"pk": 1000}', '{"model": {"pk": -5}}'],
    real: ['{"pk": 1000.0}', '{"model": {"pk": -5.0}}'],
    exponent: ['{"pk": 1e3}', '{"model": {"pk": -0.5e1}}'],
    upper_exponent: ['{"pk": 10E2}', '{"model": {"pk": "-5"}}'],
    trailing_zeros: ['{"pk": 1000.000}', '{"model": {"pk": 5}}'],
    string: ['{"pk": "1000"}', '{"model": {"pk": "5"}}'],
    other: ['{"pk": 1001}', '{"model": {"pk": 1.5}}'],
    half: ['{"pk": 1.5}', '{"model": {"pk": 15e-1}}'],
    zero: ['{"pk": 0}', '{"model": {"pk": 0.0}}'],
    negative_zero: ['{"pk": -0.0}', '{"model": {"pk": -0}}'],
    missing: ['{}', '{"model": {}}'],
    object: ['{"pk": {"n": 1000}}', '{"model": {"pk": [5]}}'],
  };

  beforeAll(async () => {
    t = await startTestApp();
    const d = resolveDialect(t.dialect);
    const columns = ['event_uuid', 'user', 'action', 'app', 'context', 'created', 'expires', 'brand'];
    let created = nowMicros() - HOUR;
    for (const [name, [user, context]] of Object.entries(DOCUMENTS)) {
      const uuid = randomUUID();
      names.set(uuid, name);
      await t.dataSource.query(
        `INSERT INTO ${d.quote('events')} (${columns.map((c) => d.quote(c)).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [Buffer.from(uuid.replace(/-/g, ''), 'hex'), user, 'login', 'authentik.core', context, created++, created + 1e12, '{}'],
      );
    }
  });
  afterAll(async () => t?.close());

  async function matching(search: string): Promise<string[]> {
    const res = await t.admin.get(`/api/v3/events/events/?page_size=100&search=${encodeURIComponent(search)}`);
    expect(res.status).toBe(200);
    const found = (res.body.results as { pk: string }[]).map((event) => names.get(event.pk)).filter(Boolean) as string[];
    expect(res.body.pagination.count).toBe(found.length);
    return found.sort();
  }

  it.each<[string, string[]]>([
    ['user.pk = 1000', ['exponent', 'int', 'real', 'trailing_zeros', 'upper_exponent']],
    ['user.pk = 1000.0', ['exponent', 'int', 'real', 'trailing_zeros', 'upper_exponent']],
    ['user.pk = 1.5', ['half']],
    ['user.pk = 0', ['negative_zero', 'zero']],
    ['user.pk = -0', ['negative_zero', 'zero']],
    ['user.pk in (1000, 1.5, 7)', ['exponent', 'half', 'int', 'real', 'trailing_zeros', 'upper_exponent']],
    ['user.pk = 1000 or user.pk = 1001', ['exponent', 'int', 'other', 'real', 'trailing_zeros', 'upper_exponent']],
    ['user.pk = 1000 and action = "login"', ['exponent', 'int', 'real', 'trailing_zeros', 'upper_exponent']],
    // Not a number, or another one; a missing key matches neither `=` nor `!=`.
    ['user.pk != 1000', ['half', 'negative_zero', 'object', 'other', 'string', 'zero']],
    ['user.pk not in (1000, 0)', ['half', 'object', 'other', 'string']],
    ['user.pk = "1000"', ['string']],
    // context.model.pk's column drops dashes: -5 and 5 share its text, the check tells them apart.
    ['context.model.pk = -5', ['exponent', 'int', 'real']],
    ['context.model.pk = 5', ['trailing_zeros']],
    ['context.model.pk = 1.5', ['half', 'other']],
    ['context.model.pk = 0', ['negative_zero', 'zero']],
  ])('%s', async (search, expected) => {
    expect(await matching(search)).toEqual(expected);
  });
});

import { createUserWithToken, UserFixture } from './support/fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { expectAnswer, expectForbidden } from './identity/identity-expectations';

const ROLES = '/api/v3/rbac/roles/';
const USERS = '/api/v3/core/users/';

/** docs/api-contract.md §1's error table, every row the identity routes can reach. */
describe(`docs/api-contract.md §1 errors through the identity routes (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let plain: UserFixture;
  const roleNames = async () => (await t.admin.get(ROLES)).body.results.map((role: { name: string }) => role.name);

  beforeAll(async () => {
    t = await startTestApp();
    plain = await createUserWithToken(t);
  });
  afterAll(async () => t?.close());

  it('field validation: 400 with one list of DRF messages per field', async () => {
    expectAnswer(await t.admin.post(USERS, { username: 'x'.repeat(151), email: 'nope' }), 400, {
      username: ['Ensure this field has no more than 150 characters.'],
      name: ['This field is required.'],
      email: ['Enter a valid email address.'],
    });
  });

  it('a JSON body that is not an object: 400 naming the Python type, nothing created', async () => {
    const cases: [string, string][] = [
      ['[{"name": "a"}]', 'list'],
      ['"a role"', 'str'],
      ['42', 'int'],
      ['4.5', 'float'],
      ['true', 'bool'],
      ['null', 'NoneType'],
    ];
    for (const [raw, type] of cases) {
      const res = await t.admin.post(ROLES, undefined, { rawBody: raw, headers: { 'Content-Type': 'application/json' } });
      expectAnswer(res, 400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${type}.`] });
    }
    expect(await roleNames()).toEqual([]);
  });

  it('malformed JSON: 400 JSON parse error, nothing created', async () => {
    const res = await t.admin.post(ROLES, undefined, { rawBody: '{"name": "x",', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body)).toEqual(['detail']);
    expect(res.body.detail).toMatch(/^JSON parse error - ./);
    expect(await roleNames()).toEqual([]);
  });

  it('403: no credentials, bad token, other scheme, no permission; never a WWW-Authenticate header', async () => {
    expectForbidden(await t.anonymous.get(ROLES), 'Authentication credentials were not provided.');
    expectForbidden(await t.anonymous.get(ROLES, { token: 'no-such-key' }), 'Token invalid/expired');
    expectForbidden(
      await t.anonymous.get(ROLES, { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } }),
      'Unsupported authentication type',
    );
    expectForbidden(await plain.client.get(ROLES));
    // Authentication comes before validation: a bad body from a stranger is still a 403.
    expectForbidden(await t.anonymous.post(ROLES, { name: 5 }), 'Authentication credentials were not provided.');
  });

  it('404: missing object, malformed path id, page out of range', async () => {
    expectAnswer(await t.admin.get(`${USERS}424242/`), 404, { detail: 'No User matches the given query.' });
    expectAnswer(await t.admin.get('/api/v3/core/tokens/nope/'), 404, { detail: 'No Token matches the given query.' });
    expectAnswer(await t.admin.get(`${ROLES}6f1c1a52-8f3d-4b8e-a1a0-1b2c3d4e5f60/`), 404, { detail: 'No Role matches the given query.' });
    expectAnswer(await t.admin.get(`${USERS}12abc/`), 404, { detail: 'Not found.' });
    expectAnswer(await t.admin.get(`${ROLES}12abc/`), 404, { detail: 'Not found.' });
    expectAnswer(await t.admin.get(`${USERS}?page=9`), 404, { detail: 'Invalid page.' });
    expectAnswer(await t.admin.get(`${USERS}?page=zero`), 404, { detail: 'Invalid page.' });
  });

  it('405: a method the path does not answer', async () => {
    expectAnswer(await t.admin.put(`${USERS}me/`, { name: 'x' }), 405, { detail: 'Method "PUT" not allowed.' });
    expectAnswer(await t.admin.post(`${USERS}1/`, {}), 405, { detail: 'Method "POST" not allowed.' });
    expectAnswer(await t.admin.delete(USERS), 405, { detail: 'Method "DELETE" not allowed.' });
    expectAnswer(await t.admin.put('/api/v3/core/tokens/x/view_key/', {}), 405, { detail: 'Method "PUT" not allowed.' });
    expectAnswer(await t.admin.get(`${ROLES}6f1c1a52-8f3d-4b8e-a1a0-1b2c3d4e5f60/add_user/`), 405, { detail: 'Method "GET" not allowed.' });
  });

  it('415: a body that is not JSON', async () => {
    const res = await t.admin.post(ROLES, undefined, { rawBody: 'name=x', headers: { 'Content-Type': 'text/plain' } });
    expectAnswer(res, 415, { detail: 'Unsupported media type "text/plain" in request.' });
    const form = await t.admin.post(ROLES, undefined, {
      rawBody: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectAnswer(form, 415, { detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.' });
    expect(await roleNames()).toEqual([]);
  });

  it('a path without its trailing slash gets the same answer', async () => {
    const slash = await t.admin.get(`${USERS}me/`);
    const bare = await t.admin.get(`${USERS}me`);
    expectAnswer(bare, slash.status, slash.body);
    expectAnswer(await t.admin.post('/api/v3/rbac/roles', { name: 'no-slash' }), 201, expect.objectContaining({ name: 'no-slash' }));
    expectAnswer(await t.admin.get(`${USERS}424242`), 404, { detail: 'No User matches the given query.' });
    expectForbidden(await t.anonymous.get('/api/v3/core/users'), 'Authentication credentials were not provided.');
  });
});

describe(`413 for a body over MAX_BODY_BYTES (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_BODY_BYTES: '2048' });
  });
  afterAll(async () => t?.close());

  it('refuses the body and creates nothing; a body under the limit is fine', async () => {
    expectAnswer(await t.admin.post(ROLES, { name: 'n'.repeat(3000) }), 413, { detail: 'Request body too large.' });
    expectAnswer(await t.admin.post(USERS, { username: 'big', name: 'x', attributes: { blob: 'b'.repeat(4000) } }), 413, {
      detail: 'Request body too large.',
    });
    expect((await t.admin.get(`${USERS}?username=big`)).body.results).toEqual([]);
    expect((await t.admin.post(ROLES, { name: 'small' })).status).toBe(201);
  });
});

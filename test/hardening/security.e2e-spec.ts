import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, ApiResponse } from '../support/api-client';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { createScratchDatabase, ScratchDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { ServiceProcess } from '../faults/support/service-process';
import { tablesHolding } from './support/stored-text';

const TOKENS = '/api/v3/core/tokens/';
const EVENTS = '/api/v3/events/events/';
const TOKEN_PERMISSIONS = ['view', 'add', 'change', 'delete'].map((verb) => `authentik_core.${verb}_token`);
const NO_TOKEN = { detail: 'No Token matches the given query.' };

/** Every page of a paginated list, as text (to search it) and as results. */
async function allPages(client: ApiClient, path: string): Promise<{ text: string; results: any[] }> {
  let text = '';
  const results: any[] = [];
  for (let page = 1; page > 0;) {
    const res = await client.get(`${path}${path.includes('?') ? '&' : '?'}page_size=100&page=${page}`);
    expect(res.status).toBe(200);
    text += res.text;
    results.push(...res.body.results);
    page = res.body.pagination.next;
  }
  return { text, results };
}

/**
 * Who sees which token, where keys may surface (events, error bodies, the OpenAPI document, the
 * database, the application log) and the security headers of every kind of answer.
 */
describe(`security (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let bobExtraKey: string;
  /** Every answer that is not the owner's own view_key/: none may hold a key. */
  const answers: ApiResponse[] = [];
  const keep = async (pending: Promise<ApiResponse>) => {
    const res = await pending;
    answers.push(res);
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp();
    alice = await createUserWithToken(t, { username: 'alice', permissions: TOKEN_PERMISSIONS });
    bob = await createUserWithToken(t, { username: 'bob', permissions: TOKEN_PERMISSIONS });
    const extra = await t.admin.post(TOKENS, { identifier: 'bob-extra', user: bob.pk, intent: 'api', expiring: false });
    expect(extra.status).toBe(201);
    bobExtraKey = (await t.admin.get(`${TOKENS}bob-extra/view_key/`)).body.key;
    expect(bobExtraKey).toEqual(expect.any(String));
  });
  afterAll(async () => t?.close());

  const keys = () => [t.adminKey, alice.key, bob.key, bobExtraKey];
  const bobsIdentifiers = () => [bob.tokenIdentifier, 'bob-extra'];

  it("a user's token never lists, reads, reveals, changes or deletes another user's token: 404", async () => {
    const before = await t.admin.get(`${TOKENS}bob-extra/`);
    for (const query of ['', '?identifier=bob-extra', '?search=bob', '?user__username=bob', '?ordering=-identifier']) {
      const { results } = await allPages(alice.client, `${TOKENS}${query}`);
      expect({ query, owners: [...new Set(results.map((token) => token.user))] }).toEqual({
        query,
        owners: query === '' ? [alice.pk] : expect.not.arrayContaining([bob.pk]),
      });
    }
    for (const identifier of bobsIdentifiers()) {
      const path = `${TOKENS}${identifier}/`;
      const attempts = [
        alice.client.get(path),
        alice.client.get(`${path}view_key/`),
        alice.client.put(path, { identifier: 'stolen', intent: 'api', user: alice.pk }),
        alice.client.patch(path, { description: 'mine now', expiring: true }),
        alice.client.delete(path),
      ];
      for (const res of await Promise.all(attempts.map(keep))) {
        expect({ identifier, status: res.status, body: res.body }).toEqual({ identifier, status: 404, body: NO_TOKEN });
      }
    }
    // Bob's tokens are as they were, and still work.
    expect((await t.admin.get(`${TOKENS}bob-extra/`)).body).toEqual(before.body);
    expect((await bob.client.get('/api/v3/core/users/me/')).status).toBe(200);
    expect((await t.anonymous.get('/api/v3/core/users/me/', { token: bobExtraKey })).status).toBe(200);
  });

  it("creating a token for someone else does not give them (or their caller) the other's token", async () => {
    const res = await keep(alice.client.post(TOKENS, { identifier: 'alice-for-bob', user: bob.pk, intent: 'api' }));
    if (res.status === 201) {
      // authentik makes a non-superuser the owner of whatever token they create.
      expect(res.body.user).toBe(alice.pk);
    } else {
      expect([400, 403]).toContain(res.status);
    }
    const bobs = await allPages(bob.client, TOKENS);
    expect(bobs.results.map((token) => token.identifier)).not.toContain('alice-for-bob');
  });

  it('a user without token permissions sees no token of anyone else either', async () => {
    const carol = await createUserWithToken(t, { username: 'carol' });
    const list = await keep(carol.client.get(TOKENS));
    if (list.status === 200) expect(list.body.results.every((token: { user: number }) => token.user === carol.pk)).toBe(true);
    else expect(list.status).toBe(403);
    for (const identifier of bobsIdentifiers()) {
      for (const res of await Promise.all(
        [carol.client.get(`${TOKENS}${identifier}/`), carol.client.get(`${TOKENS}${identifier}/view_key/`)].map(keep),
      )) {
        expect([403, 404]).toContain(res.status);
      }
    }
  });

  it('no key in any error body, however the key was sent', async () => {
    for (const key of keys()) {
      await keep(t.anonymous.get(EVENTS, { token: `${key}x` }));
      await keep(t.anonymous.get(EVENTS, { headers: { Authorization: `Token ${key}` } }));
      await keep(t.admin.get(`${TOKENS}${key}/`));
      await keep(t.admin.get(`${TOKENS}${key}/view_key/`));
      await keep(t.admin.get(`${EVENTS}${key}/`));
      await keep(t.admin.patch(`${TOKENS}bob-extra/`, { expires: key }));
      await keep(t.admin.post(TOKENS, { identifier: 'bob-extra', user: bob.pk }));
      await keep(t.admin.get(`${EVENTS}?page=${key}`));
      await keep(bob.client.post('/api/v3/rbac/roles/', { name: key }));
    }
    const errors = answers.filter((res) => res.status >= 400);
    expect(errors.length).toBeGreaterThan(30);
    for (const res of answers) {
      for (const key of keys())
        expect({ status: res.status, leaked: res.text.includes(key) }).toEqual({ status: res.status, leaked: false });
    }
  });

  it('no key in any event (not even the secret_view and model events about tokens), nor stored in plain text anywhere', async () => {
    const { text, results } = await allPages(t.admin, EVENTS);
    const actions = new Set(results.map((event) => event.action));
    // The events most likely to carry a key are there, and hold none.
    expect([...actions]).toEqual(expect.arrayContaining(['model_created', 'secret_view']));
    for (const key of keys()) expect(text.includes(key)).toBe(false);
    for (const event of results.slice(0, 50)) {
      const history = await t.admin.get(`${EVENTS}${event.pk}/history/`);
      if (history.status === 200) for (const key of keys()) expect(history.text.includes(key)).toBe(false);
    }
    expect(await tablesHolding(t.dataSource, keys())).toEqual([]);
  });

  it('no key in the OpenAPI document (JSON and YAML) or the Swagger UI page', async () => {
    for (const path of ['/api/v3/schema/?format=json', '/api/v3/schema/', '/api/v3/']) {
      const res = await t.anonymous.get(path);
      expect(res.status).toBe(200);
      for (const key of keys()) expect({ path, leaked: res.text.includes(key) }).toEqual({ path, leaked: false });
    }
  });

  it('security headers on every kind of answer; a CSP on Swagger UI; never X-Powered-By or WWW-Authenticate', async () => {
    const samples: [string, Promise<ApiResponse>][] = [
      ['200 JSON', t.admin.get(EVENTS)],
      ['201', t.admin.post(EVENTS, { action: 'login', app: 'security.headers' })],
      ['400', t.admin.post(EVENTS, { action: 'nope' })],
      ['400 parse', t.admin.post(EVENTS, undefined, { rawBody: '{', headers: { 'Content-Type': 'application/json' } })],
      ['403 no credentials', t.anonymous.get(EVENTS)],
      ['403 bad token', t.anonymous.get(EVENTS, { token: 'wrong' })],
      ['403 Basic', t.anonymous.get(EVENTS, { headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' } })],
      ['403 permission', bob.client.get(EVENTS)],
      ['404', t.admin.get('/api/v3/nothing/')],
      ['405', t.admin.delete(EVENTS)],
      ['415', t.admin.post(EVENTS, undefined, { rawBody: 'x', headers: { 'Content-Type': 'text/plain' } })],
      ['schema YAML', t.anonymous.get('/api/v3/schema/')],
      ['schema JSON', t.anonymous.get('/api/v3/schema/?format=json')],
      ['Swagger UI', t.anonymous.get('/api/v3/')],
      ['Swagger UI asset', t.anonymous.get('/api/v3/swagger-ui-bundle.js')],
      ['health', t.anonymous.get('/-/health/live/')],
    ];
    for (const [name, pending] of samples) {
      const res = await pending;
      const headers = Object.fromEntries(res.headers.entries());
      const seen = {
        name,
        nosniff: headers['x-content-type-options'],
        frame: headers['x-frame-options'],
        poweredBy: headers['x-powered-by'],
        challenge: headers['www-authenticate'],
      };
      expect(seen).toEqual({
        name,
        nosniff: 'nosniff',
        frame: expect.stringMatching(/^(DENY|SAMEORIGIN)$/),
        poweredBy: undefined,
        challenge: undefined,
      });
    }
    const ui = await t.anonymous.get('/api/v3/');
    expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = ui.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/frame-ancestors '(self|none)'/);
  });
});

describe(`security: the application log (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let database: ScratchDatabase;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase();
  });
  afterAll(async () => {
    service?.kill();
    await database?.drop();
  });

  it('holds no key (generated admin key, API token keys) and no instance secret at LOG_LEVEL=info, the real process', async () => {
    // No bootstrap key and no secret: the first start generates both, the path of the key file is logged.
    service = await ServiceProcess.start({
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      AUTHENTIK_BOOTSTRAP_TOKEN: '',
      AUTHENTIK_SECRET_KEY: '',
      LOG_LEVEL: 'info',
      PURGE_ENABLED: 'false',
    });
    const adminKey = readFileSync(join(database.dataDir, 'admin-token'), 'utf8').trim();
    const secretKey = readFileSync(join(database.dataDir, 'secret_key'), 'utf8').trim();
    const admin = new ApiClient(service.baseUrl, adminKey);

    const user = await admin.post('/api/v3/core/users/', { username: 'logged', name: 'Logged' });
    expect(user.status).toBe(201);
    expect((await admin.post(TOKENS, { identifier: 'logged-api', user: user.body.pk, intent: 'api' })).status).toBe(201);
    const key = (await admin.get(`${TOKENS}logged-api/view_key/`)).body.key as string;
    const client = admin.withKey(key);
    // Every place a request carries a key: the header, the query string, a failed attempt. (A key
    // pasted into a path is logged with the path, like any path: the caller put it in the URL.)
    await client.get('/api/v3/core/users/me/');
    await client.get(`${EVENTS}?token=${key}&api_key=${adminKey}`);
    await new ApiClient(service.baseUrl, `${key}-wrong`).get(EVENTS);
    await new ApiClient(service.baseUrl).get(EVENTS, { headers: { Authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` } });
    await admin.patch(`${TOKENS}logged-api/`, { description: `rotated ${Date.now()}` });
    await admin.delete(`${TOKENS}logged-api/`);

    service.signal('SIGTERM');
    await service.waitForExit(30_000);
    const log = service.log;
    expect(log).toContain('request completed');
    expect(log).toContain(join(database.dataDir, 'admin-token'));
    for (const [name, secret] of Object.entries({ adminKey, key, secretKey }))
      expect({ name, leaked: log.includes(secret) }).toEqual({ name, leaked: false });
  });
});

import { ApiClient, ApiResponse } from '../support/api-client';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const KEYS = 70_000;
/** The bound for a health answer while a hostile body is handled. */
const HEALTH_BOUND_MS = 1_000;

/** `{"k0": 0, "k1": 1, ...}`: ~900 KB of JSON text, well inside the 1 MiB body limit. */
function keyMass(count = KEYS): Record<string, number> {
  const object: Record<string, number> = {};
  for (let i = 0; i < count; i++) object[`k${i}`] = i;
  return object;
}

/**
 * Sends `request` while another client polls the liveness check, and returns the answer with the
 * longest wait for a health answer meanwhile: from the previous answer (or the start) to the next,
 * so a stall while the poller pauses between polls is counted too. Test and service share one
 * event loop, so a blocked loop delays the service's answers and this measurement alike.
 */
async function whileHealthPolled(
  t: TestApp,
  request: () => Promise<ApiResponse>,
): Promise<{ res: ApiResponse; slowestHealthMs: number; polls: number }> {
  let done = false;
  let slowestHealthMs = 0;
  let polls = 0;
  let last = performance.now();
  const poll = async () => {
    const health = await t.anonymous.get('/-/health/live/');
    expect(health.status).toBe(200);
    const now = performance.now();
    slowestHealthMs = Math.max(slowestHealthMs, now - last);
    last = now;
    polls++;
  };
  const poller = (async () => {
    while (!done) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let res: ApiResponse;
  try {
    res = await request();
  } finally {
    done = true;
    await poller;
  }
  await poll(); // the stall may have ended with the request itself
  return { res, slowestHealthMs, polls };
}

/**
 * Issue 13 item 1: a body of ~900 KB holding 70 000 keys, at the top level or inside a free-form
 * field, must not stall the service (class-transformer once de-duplicated keys in O(n²) and
 * blocked every request for ~37 s). Free-form JSON is never walked key by key by the validation.
 */
describe(`bodies with 70 000 keys (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let nobody: UserFixture;
  let writer: UserFixture;
  beforeAll(async () => {
    t = await startTestApp();
    nobody = await createUserWithToken(t);
    writer = await createUserWithToken(t, {
      permissions: [
        'authentik_events.add_event',
        'authentik_core.change_user',
        'authentik_rbac.add_role',
        'authentik_core.add_group',
        'authentik_core.change_group',
      ],
    });
    // The first large body compiles the parser's and the pipe's paths; the measurements are of a warm service.
    expect((await nobody.client.post('/api/v3/core/tokens/', { ...keyMass(), identifier: '' })).status).toBe(400);
  });
  /** The slowest health answer during each request: part of the suite's output on purpose. */
  const slowest: string[] = [];
  afterAll(async () => {
    console.log(`slowest health answers while 70 000 keys were handled (${process.env.TEST_DB ?? 'sqlite'}):\n${slowest.join('\n')}`);
    await t?.close();
  });

  /**
   * The request gets its proper answer, and every health answer meanwhile came within the issue's
   * 1 s. Storing 70 000 keys (an event's context, a user's attributes, whose model_updated event
   * holds them twice) runs the recording's passes (copy, sanitise, mask, canonical JSON, hash) in
   * slices that let other requests in. On SQLite a user's model_updated diff and its event are
   * computed before the update's transaction opens (auditedUpdateAhead), since nothing may pause
   * inside it.
   */
  const send = async (client: ApiClient, method: string, path: string, body: unknown, status: number) => {
    // Serialised before and parsed after the measurement: the client's own work on the one event
    // loop would count as a stall of the service.
    const rawBody = JSON.stringify(body);
    expect(rawBody.length).toBeGreaterThan(800_000);
    const measured = await whileHealthPolled(t, () =>
      client.request(method, path, { rawBody, headers: { 'Content-Type': 'application/json' }, parse: false }),
    );
    const res = { ...measured.res, body: JSON.parse(measured.res.text) };
    slowest.push(`${method} ${path}: ${Math.round(measured.slowestHealthMs)} ms`);
    expect(res.status).toBe(status);
    expect(measured.slowestHealthMs).toBeLessThan(HEALTH_BOUND_MS);
    expect(measured.polls).toBeGreaterThan(0);
    return res;
  };

  it('70 000 unknown top-level keys to POST /core/tokens/ by a token without permissions: ignored like DRF, 201', async () => {
    const res = await send(nobody.client, 'POST', '/api/v3/core/tokens/', { identifier: 'mass-top', intent: 'api', ...keyMass() }, 201);
    expect(res.body.identifier).toBe('mass-top');
    expect(Object.keys(res.body)).not.toContain('k0');
  });

  it('70 000 unknown keys next to an invalid field: the field error alone, 400', async () => {
    const res = await send(nobody.client, 'POST', '/api/v3/core/tokens/', { ...keyMass(), identifier: 'not a slug' }, 400);
    expect(Object.keys(res.body)).toEqual(['identifier']);
  });

  it('70 000 keys to POST /events/events/ without add_event: 403', async () => {
    const res = await send(nobody.client, 'POST', '/api/v3/events/events/', { action: 'custom_x', app: 'x', context: keyMass() }, 403);
    expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
  });

  it('70 000 keys inside context with add_event: stored as sent, 201', async () => {
    const res = await send(writer.client, 'POST', '/api/v3/events/events/', { action: 'login', app: 'x', context: keyMass() }, 201);
    const stored = await t.admin.get(`/api/v3/events/events/${res.body.pk}/`);
    expect(Object.keys(stored.body.context)).toHaveLength(KEYS);
    expect(stored.body.context.k69999).toBe(69_999);
  });

  it('70 000 keys at the top level of an event: ignored, 201', async () => {
    const res = await send(writer.client, 'POST', '/api/v3/events/events/', { ...keyMass(), action: 'login', app: 'y' }, 201);
    expect(res.body.app).toBe('y');
    expect(res.body).not.toHaveProperty('k0');
  });

  it("70 000 keys in a user's attributes (a change_user holder): stored, 200", async () => {
    const user = await send(writer.client, 'PATCH', `/api/v3/core/users/${nobody.pk}/`, { attributes: keyMass() }, 200);
    expect(Object.keys(user.body.attributes)).toHaveLength(KEYS);
    // Its model_updated holds the whole diff: 70 000 keys after, none before.
    const events = await t.admin.get(`/api/v3/events/events/?action=model_updated&context_model_pk=${nobody.pk}&context_model_name=user`);
    const diff = events.body.results[0].context.diff;
    expect([Object.keys(diff.attributes.new_value).length, diff.attributes.previous_value]).toEqual([KEYS, {}]);
  });

  it('70 000 keys at the top level of a role: ignored, 201', async () => {
    const role = await send(writer.client, 'POST', '/api/v3/rbac/roles/', { name: 'mass-role', ...keyMass() }, 201);
    expect(role.body.name).toBe('mass-role');
    expect(role.body).not.toHaveProperty('k0');
  });

  it("70 000 keys in a group's attributes (a change_group holder): stored, 200, one model_updated holding them", async () => {
    const group = await writer.client.post('/api/v3/core/groups/', { name: 'mass-group' });
    expect(group.status).toBe(201);
    const updated = await send(writer.client, 'PATCH', `/api/v3/core/groups/${group.body.pk}/`, { attributes: keyMass() }, 200);
    expect(Object.keys(updated.body.attributes)).toHaveLength(KEYS);
    const events = await t.admin.get(`/api/v3/events/events/?action=model_updated&context_model_name=group`);
    const diff = events.body.results[0].context.diff;
    expect([Object.keys(diff.attributes.new_value).length, diff.attributes.previous_value]).toEqual([KEYS, {}]);
  });
});

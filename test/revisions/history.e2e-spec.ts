import { EventsService } from '../../src/events/events.service';
import { createEvent, eventPath, EVENTS, FULL_BODY, VIEW, CHANGE, DELETE, ADD } from '../events/event-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  adminActor,
  countRevisions,
  expectValidChain,
  hex,
  historyPath,
  micros,
  STATE_FIELDS,
  stateOfEvent,
  ZERO_HASH,
} from './revision-fixtures';

/* docs/api-contract.md §7: every create, PATCH, PUT and DELETE appends a hash-chained revision; history lists them. */
describe(`event revision history (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let admin: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminActor(t);
  });
  afterAll(() => t.close());

  it('records the creation with the whole initial state, then each PATCH, PUT and DELETE', async () => {
    const created = await createEvent(t, { client_ip: '192.0.2.1', context: { a: 1 } });
    let history = await t.admin.get(historyPath(created.pk));
    expect(history.status).toBe(200);
    expect(history.body).toEqual([
      {
        event: hex(created.pk),
        seq: 1,
        kind: 'create',
        actor: admin,
        recorded: micros(created.created),
        fields: STATE_FIELDS,
        before: null,
        after: stateOfEvent(created),
        prev_hash: ZERO_HASH,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);

    const patched = await t.admin.patch(eventPath(created.pk), { client_ip: '198.51.100.7', context: { a: 2, b: [true] } });
    expect(patched.status).toBe(200);
    const replaced = await t.admin.put(eventPath(created.pk), { action: 'logout', app: 'authentik.flows', expires: FULL_BODY.expires });
    expect(replaced.status).toBe(200);
    const before = Date.now() * 1000;
    expect((await t.admin.delete(eventPath(created.pk))).status).toBe(204);

    history = await t.admin.get(historyPath(created.pk));
    expect(history.status).toBe(200);
    const [, update, put, deletion] = history.body;
    expect(history.body).toHaveLength(4);
    expect(update).toEqual({
      event: hex(created.pk),
      seq: 2,
      kind: 'update',
      actor: admin,
      recorded: expect.any(Number),
      fields: ['context', 'client_ip'],
      before: { context: { a: 1 }, client_ip: '192.0.2.1' },
      after: { context: { a: 2, b: [true] }, client_ip: '198.51.100.7' },
      prev_hash: history.body[0].hash,
      hash: expect.any(String),
    });
    expect(put).toMatchObject({
      seq: 3,
      kind: 'update',
      fields: ['action', 'app', 'expires'],
      before: { action: 'login', app: 'authentik.core', expires: micros(created.expires) },
      after: { action: 'logout', app: 'authentik.flows', expires: micros(FULL_BODY.expires) },
    });
    expect(deletion).toMatchObject({
      seq: 4,
      kind: 'delete',
      actor: admin,
      fields: STATE_FIELDS,
      before: stateOfEvent(replaced.body),
      after: null,
    });
    expect(deletion.recorded).toBeGreaterThanOrEqual(before - 5_000_000);
    expect(update.recorded).toBeGreaterThanOrEqual(history.body[0].recorded);
    expect(put.recorded).toBeGreaterThanOrEqual(update.recorded);
    expectValidChain(history.body);
    // The deleted event is gone from the API, its history is not.
    expect((await t.admin.get(eventPath(created.pk))).status).toBe(404);
  });

  it('names the acting user, and the system ({}) for events recorded in the process', async () => {
    const editor = await createUserWithToken(t, { permissions: [ADD, CHANGE, VIEW] });
    const created = (await editor.client.post(EVENTS, { action: 'login', app: 'authentik.core' })).body;
    await editor.client.patch(eventPath(created.pk), { app: 'authentik.stages' });
    const history = (await t.admin.get(historyPath(created.pk))).body;
    const editorActor = { pk: editor.pk, username: editor.username, email: `${editor.username}@example.com` };
    expect(history.map((r: any) => [r.kind, r.actor])).toEqual([
      ['create', editorActor],
      ['update', editorActor],
    ]);

    const recorded = await t.app.get(EventsService).record('system_task_execution', { context: { task: 'x' } });
    const systemHistory = (await t.admin.get(historyPath(recorded.pk))).body;
    expect(systemHistory).toHaveLength(1);
    expect(systemHistory[0]).toMatchObject({ kind: 'create', actor: {}, seq: 1 });
    expect(systemHistory[0].after).toMatchObject({ action: 'system_task_execution', context: { task: 'x' } });
    expectValidChain(systemHistory);
  });

  it('appends nothing for an empty PATCH, a refused PATCH or an event that is not there', async () => {
    const created = await createEvent(t);
    const revisionsBefore = await countRevisions(t);
    expect((await t.admin.patch(eventPath(created.pk), {})).status).toBe(200);
    expect((await t.admin.patch(eventPath(created.pk), { client_ip: 'nope', app: 'x' })).status).toBe(400);
    const nobody = await createUserWithToken(t, { permissions: [VIEW] });
    expect((await nobody.client.patch(eventPath(created.pk), { app: 'x' })).status).toBe(403);
    expect((await nobody.client.delete(eventPath(created.pk))).status).toBe(403);
    expect((await t.admin.patch(eventPath('00000000-0000-4000-8000-000000000001'), { app: 'x' })).status).toBe(404);
    expect(await countRevisions(t)).toBe(revisionsBefore);
    expect((await t.admin.get(historyPath(created.pk))).body).toHaveLength(1);
  });

  it('loses no revision when 20 PATCHes of one event run at once', async () => {
    const created = await createEvent(t, { context: {} });
    const bodies = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0 ? { client_ip: `10.0.0.${i}` } : i % 3 === 1 ? { context: { n: i } } : { app: `app-${i}` },
    );
    const answers = await Promise.all(bodies.map((body) => t.admin.patch(eventPath(created.pk), body)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));

    const history = (await t.admin.get(historyPath(created.pk))).body as Record<string, any>[];
    expect(history).toHaveLength(21);
    expectValidChain(history);
    // Each revision's `before` is the state the previous ones left: nothing was written in between.
    const state: Record<string, unknown> = { ...history[0].after };
    for (const revision of history.slice(1)) {
      for (const field of revision.fields) expect(revision.before[field]).toEqual(state[field]);
      Object.assign(state, revision.after);
    }
    expect(
      history
        .slice(1)
        .map((r) => r.after)
        .sort(byJson),
    ).toEqual(bodies.sort(byJson));
    const current = (await t.admin.get(eventPath(created.pk))).body;
    expect(stateOfEvent(current)).toEqual(state);
  });

  it('answers 404 for an event that never existed, and needs view_event', async () => {
    expect(await t.admin.get(historyPath('00000000-0000-4000-8000-0000000000ff'))).toMatchObject({
      status: 404,
      body: { detail: 'No Event matches the given query.' },
    });
    expect(await t.admin.get(historyPath('not-a-uuid'))).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
    const created = await createEvent(t);
    const outsider = await createUserWithToken(t, { permissions: [ADD, CHANGE, DELETE] });
    expect(await outsider.client.get(historyPath(created.pk))).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    expect(await t.anonymous.get(historyPath(created.pk))).toMatchObject({
      status: 403,
      body: { detail: 'Authentication credentials were not provided.' },
    });
    const viewer = await createUserWithToken(t, { permissions: [VIEW] });
    expect((await viewer.client.get(historyPath(created.pk))).status).toBe(200);
  });

  it('has no route that changes or deletes a revision', async () => {
    const created = await createEvent(t);
    const path = historyPath(created.pk);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const answer = await t.admin.request(method, path, method === 'DELETE' ? {} : { body: { seq: 1, after: {} } });
      expect({ method, status: answer.status, body: answer.body }).toEqual({
        method,
        status: 405,
        body: { detail: `Method "${method}" not allowed.` },
      });
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const answer = await t.admin.request(method, `${path}1/`, method === 'DELETE' ? {} : { body: {} });
      expect(answer.status).toBe(404);
    }
    expect((await t.admin.get(path)).body).toHaveLength(1);
  });
});

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

import { DataSource } from 'typeorm';
import { Uuid } from '@app/common';
import { deepFreeze } from '@app/common/testing/deep-freeze';
import { EventsService } from '../../src/events/events.service';
import { EventRecorder } from '../../src/events/recording';
import { DEFAULT_BRAND, eventPath } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { expectedEvent, MASK } from './recording-fixtures';

/**
 * Recording from inside the process (docs/api-contract.md §6): `EventsService.record` and the per-module
 * `EventRecorder`, read back through the API.
 */
describe(`recording through EventsService (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let events: EventsService;
  beforeAll(async () => {
    t = await startTestApp();
    events = t.app.get(EventsService);
  });
  afterAll(async () => t?.close());

  const stored = async (pk: string) => (await t.admin.get(eventPath(pk))).body;

  it('stores an action outside the enum as custom_<name>', async () => {
    const { pk: uuid } = await events.record('foo');
    expect(await stored(uuid)).toEqual(
      expectedEvent({ user: {}, action: 'custom_foo', app: 'authentik.events', context: {}, client_ip: null }),
    );
  });

  it.each([
    ['login', 'login'],
    ['model_updated', 'model_updated'],
    ['custom_bar', 'custom_bar'],
    ['custom_', 'custom_'],
  ])('stores %p as %p', async (action, expected) => {
    expect((await stored((await events.record(action)).pk)).action).toBe(expected);
  });

  it('makes the context JSON-safe, masks its secrets, and leaves the caller objects alone', async () => {
    const context = deepFreeze({
      at: new Date('2026-07-01T12:00:00.000Z'),
      role: new Uuid('0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b'),
      seen: new Set(['a']),
      failure: new Error('smtp timeout'),
      note: 'nul\u0000byte',
      request_headers: { authorization: 'Bearer abc', accept: 'json' },
      passwords: ['p1', { hint: 'h' }],
      passing: 'kept',
    });
    const { pk: uuid } = await events.record('email_sent', { app: 'authentik.stages.email', context });
    expect((await stored(uuid)).context).toEqual({
      at: '2026-07-01T12:00:00.000000Z',
      role: '0b5e1a2c3d4e4f508a6b7c8d9e0f1a2b',
      seen: ['a'],
      failure: 'smtp timeout',
      note: 'nulbyte',
      request_headers: { authorization: MASK, accept: 'json' },
      passwords: [MASK, { hint: 'h' }],
      passing: 'kept',
    });
    expect(context.request_headers.authorization).toBe('Bearer abc');
  });

  it('takes the acting user as a snapshot, and a brand when one is given', async () => {
    const user = { pk: 12, username: 'jane', email: 'jane@example.com', password: 'not stored' };
    const brand = { app: 'authentik_brands', model_name: 'brand', pk: 'b0c1', name: 'Brand example.com' };
    const event = await stored((await events.record('login', { app: 'authentik.flows', user, brand })).pk);
    expect(event.user).toEqual({ pk: 12, username: 'jane', email: 'jane@example.com' });
    expect(event.brand).toEqual(brand);
    expect((await stored((await events.record('login')).pk)).brand).toEqual(DEFAULT_BRAND);
  });

  it("an EventRecorder writes its module's name as app (the identity module's: authentik.events.middleware)", async () => {
    // One recorder per module that imports EventsModule.forFeature(app).
    const recorders = t.app.get(EventRecorder, { each: true });
    const recorder = recorders.find((candidate) => candidate.app === 'authentik.events.middleware')!;
    expect(recorder).toBeDefined();
    expect((await stored((await recorder.record('password_set')).pk)).app).toBe('authentik.events.middleware');
    expect((await stored((await recorder.record('password_set', { app: 'authentik.other' })).pk)).app).toBe('authentik.other');
  });

  it("with the caller's transaction, the event commits or rolls back with it", async () => {
    const dataSource = t.app.get(DataSource);
    let kept = '';
    await dataSource.transaction(async (manager) => {
      kept = (await events.record('committed', { manager })).pk;
    });
    let dropped = '';
    await expect(
      dataSource.transaction(async (manager) => {
        dropped = (await events.record('rolled_back', { manager })).pk;
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await t.admin.get(eventPath(kept))).status).toBe(200);
    expect((await t.admin.get(eventPath(dropped))).status).toBe(404);
    expect(dropped).not.toBe('');
  });
});

import { Configuration, CoreApi, EventActions, EventsApi, IntentEnum, ReportsApi, ResponseError, UserTypeEnum } from '@goauthentik/api';
import { startTestApp, TestApp } from './support/test-app';

/*
 * authentik's official TypeScript client (@goauthentik/api, pinned to the contract's version)
 * against the running service: every events operation and the core users and tokens we implement,
 * a few calls each (and the export's polling). It proves what the schema comparison (openapi.e2e-spec.ts) only implies: the
 * client's requests are understood and our answers deserialise into its models (dates become
 * Dates, snake_case becomes camelCase, errors become ResponseErrors with DRF's body).
 */

const BRAND = { name: 'official-client' };
const APP = { pk: 'c11e', name: 'Client App' };

/** The status and DRF body of a call the client rejected; fails if the call succeeded. */
async function rejection(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ResponseError)) throw new Error(`expected a ResponseError, got ${String(error)}`);
  const text = await error.response.text();
  return { status: error.response.status, body: text ? JSON.parse(text) : undefined };
}

describe(`the official authentik client (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let configuration: Configuration;
  let events: EventsApi;
  let core: CoreApi;

  beforeAll(async () => {
    t = await startTestApp();
    configuration = new Configuration({ basePath: `${t.baseUrl}/api/v3`, accessToken: t.adminKey });
    events = new EventsApi(configuration);
    core = new CoreApi(configuration);
  });
  afterAll(async () => t?.close());

  describe('EventsApi', () => {
    let loginPk: string;

    it('eventsEventsCreate stores the event and answers it as an Event with Dates', async () => {
      const expires = new Date('2030-01-01T12:00:00.123Z');
      const event = await events.eventsEventsCreate({
        eventRequest: {
          action: EventActions.Login,
          app: 'authentik.core',
          user: { pk: 1, username: 'alice' },
          context: { authorized_application: APP },
          clientIp: '192.0.2.10',
          expires,
          brand: BRAND,
        },
      });
      expect(event).toEqual({
        pk: expect.any(String),
        user: { pk: 1, username: 'alice' },
        action: 'login',
        app: 'authentik.core',
        context: { authorized_application: APP },
        clientIp: '192.0.2.10',
        created: expect.any(Date),
        expires,
        brand: BRAND,
      });
      expect(Math.abs(event.created.getTime() - Date.now())).toBeLessThan(10 * 60_000);
      loginPk = event.pk;
      const bob = { app: 'authentik.core', user: { pk: 2, username: 'bob' }, brand: BRAND };
      await events.eventsEventsCreate({
        eventRequest: { ...bob, action: EventActions.Login, context: { authorized_application: APP } },
      });
      await events.eventsEventsCreate({ eventRequest: { ...bob, action: EventActions.LoginFailed } });
    });

    it("eventsEventsCreate: a bad action is a ResponseError with DRF's 400 body", async () => {
      const answer = await rejection(
        events.eventsEventsCreate({ eventRequest: { action: 'no_such_action' as typeof EventActions.Login, app: 'x' } }),
      );
      expect(answer).toEqual({ status: 400, body: { action: ['"no_such_action" is not a valid choice.'] } });
    });

    it('eventsEventsRetrieve answers the event', async () => {
      const event = await events.eventsEventsRetrieve({ eventUuid: loginPk });
      expect(event).toMatchObject({ pk: loginPk, action: 'login', clientIp: '192.0.2.10', brand: BRAND });
      expect(event.created).toBeInstanceOf(Date);
    });

    it("eventsEventsList pages and filters with the client's parameter names", async () => {
      const all = await events.eventsEventsList({ brandName: BRAND.name, ordering: 'created' });
      expect(all.pagination).toMatchObject({ count: 3, current: 1, totalPages: 1 });
      expect(all.results.map((event) => event.action)).toEqual(['login', 'login', 'login_failed']);
      expect(all.results[0].pk).toBe(loginPk);

      const filtered = await events.eventsEventsList({
        actions: [EventActions.LoginFailed, EventActions.Logout],
        username: 'bob',
      });
      expect(filtered.results.map((event) => event.action)).toEqual(['login_failed']);

      const paged = await events.eventsEventsList({ brandName: BRAND.name, ordering: '-created', page: 2, pageSize: 2 });
      expect(paged.pagination).toMatchObject({ count: 3, current: 2, totalPages: 2, previous: 1 });
      expect(paged.results.map((event) => event.pk)).toEqual([loginPk]);

      const searched = await events.eventsEventsList({ search: 'client_ip = "192.0.2.10"' });
      expect(searched.results.map((event) => event.pk)).toEqual([loginPk]);
    });

    it('eventsEventsActionsList answers the action choices as TypeCreate', async () => {
      const actions = await events.eventsEventsActionsList();
      expect(actions.map((action) => action.component)).toContain('login');
      expect(actions.find((action) => action.component === 'login')).toMatchObject({
        name: expect.any(String),
        modelName: expect.any(String),
      });
    });

    it('eventsEventsTopPerUserList counts the authorized application per user', async () => {
      const top = await events.eventsEventsTopPerUserList({ action: 'login', topN: 5 });
      expect(top).toEqual([{ application: APP, countedEvents: 2, uniqueUsers: 2 }]);
    });

    it('eventsEventsVolumeList answers buckets with Dates', async () => {
      const volume = await events.eventsEventsVolumeList({ brandName: BRAND.name, historyDays: 1 });
      // Summed per action: the events may straddle a bucket boundary.
      const count = (action: string) => volume.filter((bucket) => bucket.action === action).reduce((sum, bucket) => sum + bucket.count, 0);
      expect(count('login')).toBe(2);
      expect(count('login_failed')).toBe(1);
      for (const bucket of volume) expect(bucket.time).toBeInstanceOf(Date);
    });

    it('eventsEventsStatsRetrieve sends count_steps and answers EventStats', async () => {
      const stats = await events.eventsEventsStatsRetrieve({ countSteps: ['days=1', 'hours=1'], brandName: BRAND.name });
      expect(stats).toEqual({ uniqueUsers: 2, countStep: { days1: 3, hours1: 3 } });
    });

    it('eventsEventsExportCreate starts an export answered as DataExport; reportsExportsRetrieve sees it complete', async () => {
      const started = await events.eventsEventsExportCreate({ actions: [EventActions.Login], ordering: '-created' });
      expect(started).toMatchObject({
        id: expect.any(String),
        requestedBy: { username: 'akadmin' },
        queryParams: { actions: 'login', ordering: '-created' },
        completed: false,
      });
      expect(started.requestedOn).toBeInstanceOf(Date);
      const reports = new ReportsApi(configuration);
      let done = await reports.reportsExportsRetrieve({ id: started.id });
      for (let attempt = 0; !done.completed && attempt < 400; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        done = await reports.reportsExportsRetrieve({ id: started.id });
      }
      expect(done).toEqual({ ...started, completed: true, fileUrl: `/api/v3/reports/exports/${started.id}/download/` });
    });

    it('eventsEventsUpdate and eventsEventsPartialUpdate change the event', async () => {
      const put = await events.eventsEventsUpdate({
        eventUuid: loginPk,
        eventRequest: { action: EventActions.Logout, app: 'authentik.flows', user: { pk: 1 }, brand: BRAND },
      });
      expect(put).toMatchObject({ pk: loginPk, action: 'logout', app: 'authentik.flows' });
      expect(put.user).toEqual({ pk: 1 });
      const patched = await events.eventsEventsPartialUpdate({
        eventUuid: loginPk,
        patchedEventRequest: { context: { note: 'patched' } },
      });
      expect(patched).toMatchObject({ pk: loginPk, action: 'logout', app: 'authentik.flows', context: { note: 'patched' } });
      expect(await events.eventsEventsRetrieve({ eventUuid: loginPk })).toEqual(patched);
    });

    it('eventsEventsDestroy removes the event; retrieving it then is a 404 ResponseError', async () => {
      await events.eventsEventsDestroy({ eventUuid: loginPk });
      expect(await rejection(events.eventsEventsRetrieve({ eventUuid: loginPk }))).toEqual({
        status: 404,
        body: { detail: 'No Event matches the given query.' },
      });
    });

    it('without a token every call is a 403 ResponseError', async () => {
      const anonymous = new EventsApi(new Configuration({ basePath: `${t.baseUrl}/api/v3` }));
      expect(await rejection(anonymous.eventsEventsList())).toEqual({
        status: 403,
        body: { detail: 'Authentication credentials were not provided.' },
      });
    });
  });

  describe('CoreApi users and tokens', () => {
    let userPk: number;

    it('coreUsersMeRetrieve answers the superuser as SessionUser', async () => {
      const me = await core.coreUsersMeRetrieve();
      expect(me.user).toMatchObject({ username: 'akadmin', isSuperuser: true, isActive: true });
    });

    it('coreUsersCreate, coreUsersList and coreUsersRetrieve', async () => {
      const created = await core.coreUsersCreate({
        userRequest: {
          username: 'carol',
          name: 'Carol',
          email: 'carol@example.com',
          path: 'users/client',
          type: UserTypeEnum.Internal,
          attributes: { team: 'blue' },
        },
      });
      expect(created).toMatchObject({
        username: 'carol',
        isSuperuser: false,
        path: 'users/client',
        type: 'internal',
        attributes: { team: 'blue' },
      });
      expect(created.dateJoined).toBeInstanceOf(Date);
      userPk = created.pk;

      const listed = await core.coreUsersList({ username: 'carol' });
      expect(listed.results.map((user) => user.pk)).toEqual([userPk]);
      expect(listed.pagination.count).toBe(1);
      expect(await core.coreUsersRetrieve({ id: userPk })).toEqual(created);
    });

    it('coreUsersCreate: a taken username is a 400 ResponseError', async () => {
      const answer = await rejection(core.coreUsersCreate({ userRequest: { username: 'carol', name: 'Other' } }));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ username: [expect.any(String)] });
    });

    it('coreUsersUpdate and coreUsersPartialUpdate', async () => {
      const put = await core.coreUsersUpdate({
        id: userPk,
        userRequest: { username: 'carol', name: 'Carol C.', path: 'users/client' },
      });
      expect(put).toMatchObject({ pk: userPk, name: 'Carol C.' });
      const patched = await core.coreUsersPartialUpdate({ id: userPk, patchedUserRequest: { email: 'cc@example.com' } });
      expect(patched).toMatchObject({ pk: userPk, name: 'Carol C.', email: 'cc@example.com' });
    });

    it('coreTokensCreate and coreTokensViewKeyRetrieve: the key works with the client', async () => {
      const token = await core.coreTokensCreate({
        tokenRequest: { identifier: 'carol-client', user: userPk, intent: IntentEnum.Api, expiring: false, description: 'client' },
      });
      expect(token).toMatchObject({
        identifier: 'carol-client',
        user: userPk,
        intent: 'api',
        expiring: false,
        userObj: { pk: userPk },
      });
      const { key } = await core.coreTokensViewKeyRetrieve({ identifier: 'carol-client' });
      const asCarol = new CoreApi(new Configuration({ basePath: `${t.baseUrl}/api/v3`, accessToken: key }));
      expect((await asCarol.coreUsersMeRetrieve()).user).toMatchObject({ pk: userPk, username: 'carol' });
    });

    it('coreTokensList, coreTokensRetrieve, coreTokensUpdate, coreTokensPartialUpdate', async () => {
      const listed = await core.coreTokensList({ userUsername: 'carol' });
      expect(listed.results.map((token) => token.identifier)).toEqual(['carol-client']);
      expect(await core.coreTokensRetrieve({ identifier: 'carol-client' })).toEqual(listed.results[0]);
      const expires = new Date('2031-02-03T04:05:06.000Z');
      const put = await core.coreTokensUpdate({
        identifier: 'carol-client',
        tokenRequest: { identifier: 'carol-client', user: userPk, expiring: true, expires, description: 'put' },
      });
      expect(put).toMatchObject({ expiring: true, expires, description: 'put' });
      const patched = await core.coreTokensPartialUpdate({
        identifier: 'carol-client',
        patchedTokenRequest: { description: 'patched' },
      });
      expect(patched).toMatchObject({ expires, description: 'patched' });
    });

    it('coreTokensDestroy and coreUsersDestroy; both are 404 ResponseErrors afterwards', async () => {
      await core.coreTokensDestroy({ identifier: 'carol-client' });
      expect((await rejection(core.coreTokensRetrieve({ identifier: 'carol-client' }))).status).toBe(404);
      await core.coreUsersDestroy({ id: userPk });
      expect((await rejection(core.coreUsersRetrieve({ id: userPk }))).status).toBe(404);
    });
  });
});

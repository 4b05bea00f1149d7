import { loadAuthentikSchema } from '../support/authentik-reference';
import { createUserWithToken, UserFixture } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS, STATS, TOP_PER_USER, VIEW, VOLUME } from './api-query-fixtures';

/**
 * The statistics paths are static routes next to `/{event_uuid}/`: they must never be taken for
 * an event id. And the query parameters of the list and the statistics are documented exactly as
 * the reference does (test/openapi.e2e-spec.ts compares types; this also compares descriptions,
 * `explode` and `style`).
 */
describe(`events statistics routes and parameter docs (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let viewer: UserFixture;
  let outsider: UserFixture;

  beforeAll(async () => {
    t = await startTestApp();
    viewer = await createUserWithToken(t, { permissions: [VIEW] });
    outsider = await createUserWithToken(t, { permissions: [] });
  });
  afterAll(async () => t?.close());

  describe('route order', () => {
    it.each([VOLUME, VOLUME.slice(0, -1), TOP_PER_USER, TOP_PER_USER.slice(0, -1)])(
      'GET %s answers the statistic, not the retrieve',
      async (path) => {
        const res = await viewer.client.get(path);
        expect(res.status).toBe(200);
        expect(res.body).toEqual([]);
      },
    );

    it('GET /stats/ answers the statistic (its own 400), not the retrieve (404)', async () => {
      const res = await viewer.client.get(STATS);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ count_steps: ['This field is required.'] });
      const ok = await viewer.client.get(`${STATS.slice(0, -1)}?count_steps=days=1`);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ unique_users: 0, count_step: { days1: 0 } });
    });

    it('top_per_user without view_event is [] where the retrieve would be a 403', async () => {
      const res = await outsider.client.get(TOP_PER_USER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it('an event id still reaches the retrieve', async () => {
      const res = await viewer.client.get(`${EVENTS}0f8e1d2c-3b4a-4968-8766-554433221100/`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'No Event matches the given query.' });
    });
  });

  describe('OpenAPI query parameters', () => {
    type Json = any;
    let reference: Json;
    let ours: Json;

    beforeAll(async () => {
      reference = loadAuthentikSchema();
      const res = await t.anonymous.get('/api/v3/schema/?format=json');
      expect(res.status).toBe(200);
      ours = res.body;
    });

    /** The operation's query parameters by name, `$ref`s to parameters resolved, as written. */
    function queryParameters(document: Json, path: string): Record<string, Json> {
      const parameters: Json[] = document.paths[path].get.parameters ?? [];
      const resolved = parameters.map((parameter) =>
        parameter.$ref ? document.components.parameters[parameter.$ref.split('/').pop()] : parameter,
      );
      return Object.fromEntries(
        resolved
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => [
            parameter.name,
            {
              required: parameter.required === true,
              description: parameter.description,
              explode: parameter.explode,
              style: parameter.style,
              schema: parameter.schema,
            },
          ]),
      );
    }

    it.each(['/events/events/', '/events/events/top_per_user/', '/events/events/volume/', '/events/events/stats/'])(
      '%s documents every query parameter as the reference does',
      (path) => {
        expect(queryParameters(ours, path)).toEqual(queryParameters(reference, path));
      },
    );
  });
});

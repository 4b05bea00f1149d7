import { EventsService } from '../../src/events/events.service';
import { createEvent, EVENTS, eventPath, expireEvent, micros } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { listAllResults } from '../support/list-all';

const DAY = 86_400_000_000;
const HOUR = 3_600_000_000;
const NO_MATCH = { detail: 'No Event matches the given query.' };

/** `expires` = created + EVENT_RETENTION, for API-created and recorded events alike (docs/api-contract.md §5). */
describe(`retention of new events (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  const lifetime = (event: Record<string, any>) => micros(event.expires) - micros(event.created);

  async function recorded(t: TestApp): Promise<Record<string, any>> {
    const { pk: uuid } = await t.app.get(EventsService).record('retention_probe');
    return (await t.admin.get(eventPath(uuid))).body;
  }

  describe('by default', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => t?.close());

    it('an event created through the API without expires lives 365 days', async () => {
      expect(lifetime(await createEvent(t))).toBe(365 * DAY);
    });

    it('a recorded event lives 365 days', async () => {
      expect(lifetime(await recorded(t))).toBe(365 * DAY);
    });

    it('an API-given expires is kept', async () => {
      expect((await createEvent(t, { expires: '2031-02-03T04:05:06.123456Z' })).expires).toBe('2031-02-03T04:05:06.123456Z');
    });

    describe('an expired event is gone from every endpoint', () => {
      it.each([
        ['created through the API', async (t: TestApp) => (await createEvent(t)).pk as string],
        ['recorded', async (t: TestApp) => (await t.app.get(EventsService).record('expiring_probe')).pk],
      ])('%s', async (_how, make) => {
        const pk = await make(t);
        expect((await t.admin.get(eventPath(pk))).status).toBe(200);
        await expireEvent(t, pk);

        expect((await listAllResults(t.admin, EVENTS)).map((event) => event.pk)).not.toContain(pk);
        for (const res of [
          await t.admin.get(eventPath(pk)),
          await t.admin.patch(eventPath(pk), { app: 'changed' }),
          await t.admin.put(eventPath(pk), { action: 'login', app: 'changed' }),
          await t.admin.delete(eventPath(pk)),
        ]) {
          expect([res.status, res.body]).toEqual([404, NO_MATCH]);
        }
      });
    });
  });

  describe('with EVENT_RETENTION=hours=1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ EVENT_RETENTION: 'hours=1' });
    });
    afterAll(async () => t?.close());

    it('an event created through the API lives one hour', async () => {
      expect(lifetime(await createEvent(t))).toBe(HOUR);
    });

    it('a recorded event lives one hour', async () => {
      expect(lifetime(await recorded(t))).toBe(HOUR);
    });

    it('so do the model events', async () => {
      await t.admin.post('/api/v3/rbac/roles/', { name: 'short-lived' });
      const [event] = (await t.admin.get(`${EVENTS}?page_size=1`)).body.results;
      expect(event.action).toBe('model_created');
      expect(lifetime(event)).toBe(HOUR);
    });
  });
});

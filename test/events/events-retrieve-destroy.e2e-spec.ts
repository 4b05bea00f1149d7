import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { ADD, CHANGE, createEvent, DELETE, EVENT_KEYS, eventPath, expireEvent, FULL_BODY, storedRow, VIEW } from './event-fixtures';

const NO_MATCH = { detail: 'No Event matches the given query.' };

/** GET and DELETE /events/events/{event_uuid}/: events_events_retrieve and _destroy (docs/api-contract.md §3.2). */
describe(`events_events_retrieve and events_events_destroy (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  describe('retrieve', () => {
    it('answers the event exactly as it was created', async () => {
      const created = await createEvent(t, FULL_BODY);
      const res = await t.admin.get(eventPath(created.pk));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toEqual(created);
      expect(Object.keys(res.body)).toEqual(EVENT_KEYS);
    });

    it('answers the same without the trailing slash, without dashes and in upper case', async () => {
      const created = await createEvent(t);
      for (const path of [
        eventPath(created.pk).slice(0, -1),
        eventPath(created.pk.replace(/-/g, '')),
        eventPath(created.pk.toUpperCase()),
      ]) {
        const res = await t.admin.get(path);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(created);
      }
    });

    it('404 for an unknown uuid', async () => {
      const res = await t.admin.get(eventPath('6f1e3c1a-0000-4000-8000-000000000000'));
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NO_MATCH);
    });

    it.each(['not-a-uuid', '42', '6f1e3c1a-0000-4000-8000'])('404 Not found. for the malformed id %s', async (id) => {
      const res = await t.admin.get(eventPath(id));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not found.' });
    });

    it('404 for an expired event', async () => {
      const created = await createEvent(t);
      await expireEvent(t, created.pk);
      const res = await t.admin.get(eventPath(created.pk));
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NO_MATCH);
    });

    it('403 without credentials', async () => {
      const created = await createEvent(t);
      const res = await t.anonymous.get(eventPath(created.pk));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it('403 without view_event', async () => {
      const created = await createEvent(t);
      const writer = await createUserWithToken(t, { permissions: [ADD, CHANGE, DELETE] });
      const res = await writer.client.get(eventPath(created.pk));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    });

    it('200 with view_event granted through a role', async () => {
      const created = await createEvent(t);
      const viewer = await createUserWithToken(t, { permissions: [VIEW] });
      const res = await viewer.client.get(eventPath(created.pk));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created);
    });
  });

  describe('destroy', () => {
    it('answers 204 without a body and the event is gone', async () => {
      const created = await createEvent(t);
      const res = await t.admin.delete(eventPath(created.pk));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await storedRow(t, created.pk)).toBeUndefined();
      expect((await t.admin.get(eventPath(created.pk))).status).toBe(404);
    });

    it('404 the second time', async () => {
      const created = await createEvent(t);
      expect((await t.admin.delete(eventPath(created.pk))).status).toBe(204);
      const res = await t.admin.delete(eventPath(created.pk));
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NO_MATCH);
    });

    it('404 for an unknown uuid and Not found. for a malformed one', async () => {
      const unknown = await t.admin.delete(eventPath('6f1e3c1a-0000-4000-8000-000000000000'));
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual(NO_MATCH);
      const malformed = await t.admin.delete(eventPath('zzz'));
      expect(malformed.status).toBe(404);
      expect(malformed.body).toEqual({ detail: 'Not found.' });
    });

    it('404 for an expired event (left for the purge job)', async () => {
      const created = await createEvent(t);
      await expireEvent(t, created.pk);
      const res = await t.admin.delete(eventPath(created.pk));
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NO_MATCH);
    });

    it('deletes only the event addressed', async () => {
      const [a, b] = [await createEvent(t), await createEvent(t)];
      expect((await t.admin.delete(eventPath(a.pk))).status).toBe(204);
      expect((await t.admin.get(eventPath(b.pk))).body).toEqual(b);
    });

    it('403 without credentials, deleting nothing', async () => {
      const created = await createEvent(t);
      const res = await t.anonymous.delete(eventPath(created.pk));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect((await t.admin.get(eventPath(created.pk))).status).toBe(200);
    });

    it('403 without delete_event, deleting nothing', async () => {
      const created = await createEvent(t);
      const editor = await createUserWithToken(t, { permissions: [VIEW, CHANGE] });
      const res = await editor.client.delete(eventPath(created.pk));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' });
      expect((await t.admin.get(eventPath(created.pk))).status).toBe(200);
    });

    it('204 with delete_event granted through a role', async () => {
      const created = await createEvent(t);
      const deleter = await createUserWithToken(t, { permissions: [DELETE] });
      expect((await deleter.client.delete(eventPath(created.pk))).status).toBe(204);
      expect((await t.admin.get(eventPath(created.pk))).status).toBe(404);
    });
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createEvent, EVENT_KEYS, VIEW } from '../events/event-fixtures';
import { createUserWithToken } from '../support/fixtures';
import { ApiClient } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { csvRow, streamPage } from '../stream/stream-fixtures';

const EXPORT = '/api/v3/events/events/export/';
const EXPORTS = '/api/v3/reports/exports/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const CONTENT_TYPE = {
  id: 1,
  app_label: 'authentik_events',
  model: 'event',
  verbose_name_plural: 'Events',
  fully_qualified_model: 'authentik_events.event',
};

/** Polls the export until it is completed (the file is written in the background). */
async function completed(client: ApiClient, id: string): Promise<Record<string, any>> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const answer = await client.get(`${EXPORTS}${id}/`);
    expect(answer.status).toBe(200);
    if (answer.body.completed) return answer.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`export ${id} did not complete`);
}

/* events_events_export_create (SPEC §3.5) and the /reports/exports/ routes to poll and download. */
describe(`data exports (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exports the filtered events in the background: 201, poll until completed, download the CSV, export_ready', async () => {
    const me = (await t.admin.get('/api/v3/core/users/me/')).body.user;
    const logouts = [await createEvent(t, { action: 'logout', context: { note: 'a, "b"\nc' } }), await createEvent(t, { action: 'logout' })];
    await createEvent(t, { action: 'login' });

    const answer = await t.admin.post(`${EXPORT}?actions=logout&ordering=-created`);
    expect(answer.status).toBe(201);
    const id = answer.body.id;
    expect(id).toMatch(UUID);
    expect(answer.headers.get('location')).toBe(`${EXPORTS}${id}/`);
    expect(answer.body).toEqual({
      id,
      requested_by: {
        pk: me.pk,
        username: 'akadmin',
        name: me.name,
        is_active: true,
        last_login: null,
        email: me.email,
        attributes: expect.any(Object),
        uid: me.uid,
      },
      requested_on: expect.stringMatching(DATETIME),
      content_type: CONTENT_TYPE,
      query_params: { actions: 'logout', ordering: '-created' },
      file_url: '',
      completed: false,
    });

    const done = await completed(t.admin, id);
    expect(done).toEqual({ ...answer.body, completed: true, file_url: `${EXPORTS}${id}/download/` });
    expect(existsSync(join(t.config.dataDir, 'exports', `${id}.csv`))).toBe(true);

    const file = await t.admin.get(done.file_url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="events_${id}.csv"`);
    expect(parse(file.text)).toEqual([
      EVENT_KEYS,
      ...logouts.map(csvRow),
    ]);

    const ready = (await streamPage(t.admin, { actions: 'export_ready' })).events;
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({
      action: 'export_ready',
      app: 'authentik.enterprise.reports',
      user: { pk: me.pk, username: 'akadmin', email: me.email },
      context: {
        message: 'Event export generated successfully',
        export: { app: 'authentik_reports', model_name: 'dataexport', pk: id.replace(/-/g, ''), name: `DataExport object (${id})` },
      },
    });
  });

  it('keeps an export to its requester (and superusers); lists them newest first', async () => {
    const alice = await createUserWithToken(t, { permissions: [VIEW] });
    const bob = await createUserWithToken(t, { permissions: [VIEW] });
    const mine = (await alice.client.post(`${EXPORT}?username=nobody`)).body;
    await completed(alice.client, mine.id);
    expect(mine.requested_by).toMatchObject({ pk: alice.pk, username: alice.username });

    const denied = { status: 404, body: { detail: 'No DataExport matches the given query.' } };
    expect(await bob.client.get(`${EXPORTS}${mine.id}/`)).toMatchObject(denied);
    expect(await bob.client.get(`${EXPORTS}${mine.id}/download/`)).toMatchObject(denied);
    expect((await t.admin.get(`${EXPORTS}${mine.id}/`)).status).toBe(200);
    expect((await t.admin.get(`${EXPORTS}${mine.id}/download/`)).text).toBe(`${EVENT_KEYS.join(',')}\r\n`);

    const second = (await alice.client.post(EXPORT)).body;
    await completed(alice.client, second.id);
    const list = await alice.client.get(EXPORTS);
    expect(list.status).toBe(200);
    expect(list.body.pagination).toMatchObject({ count: 2, current: 1, total_pages: 1 });
    expect(list.body.results.map((e: any) => e.id)).toEqual([second.id, mine.id]);
    expect((await bob.client.get(EXPORTS)).body.results).toEqual([]);
    expect((await t.admin.get(EXPORTS)).body.pagination.count).toBeGreaterThanOrEqual(3);
    expect(await t.admin.get(`${EXPORTS}not-a-uuid/`)).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
  });

  it('needs view_event, checks the filters before storing anything, and has no file before completion', async () => {
    const outsider = await createUserWithToken(t, { permissions: ['authentik_events.add_event'] });
    expect(await outsider.client.post(EXPORT)).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    const before = (await t.admin.get(EXPORTS)).body.pagination.count;
    expect(await t.admin.post(`${EXPORT}?actions=nope`)).toMatchObject({
      status: 400,
      body: { actions: ['Select a valid choice. nope is not one of the available choices.'] },
    });
    expect((await t.admin.get(EXPORTS)).body.pagination.count).toBe(before);

    // An export still being produced (written here as a row that was never completed).
    const id = '00000000-0000-4000-8000-00000000e4e4';
    const q = (name: string) => (t.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
    await t.dataSource.query(
      `INSERT INTO ${q('data_exports')} (${['id', 'requested_by', 'requested_on', 'content_type', 'query_params', 'completed'].map(q).join(', ')})
       VALUES (?, NULL, ?, 'authentik_events.event', '{}', 0)`,
      [id, Date.now() * 1000],
    );
    expect((await t.admin.get(`${EXPORTS}${id}/`)).body).toMatchObject({ completed: false, file_url: '', requested_by: null });
    expect(await t.admin.get(`${EXPORTS}${id}/download/`)).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ExportCleanup } from '../../src/exports/export-cleanup';
import { EventStreamService } from '../../src/events/stream/event-stream.service';
import { micros } from '../revisions/revision-fixtures';
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

/* events_events_export_create (docs/api-contract.md §3.5) and the /reports/exports/ routes to poll and download. */
describe(`data exports (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exports the filtered events in the background: 201, poll until completed, download the CSV, export_ready', async () => {
    const me = (await t.admin.get('/api/v3/core/users/me/')).body.user;
    const logouts = [
      await createEvent(t, { action: 'logout', context: { note: 'a, "b"\nc' } }),
      await createEvent(t, { action: 'logout' }),
    ];
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
    expect(parse(file.text)).toEqual([EVENT_KEYS, ...logouts.map(csvRow)]);

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

/* Issue 13 items 6 and 10: running exports are bounded, old ones deleted, and query_params masked. */
describe(`data exports: limits, retention and masking (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  const HOUR = 3_600_000_000;
  const MASKED = '********************';

  beforeAll(async () => {
    t = await startTestApp({ EXPORT_MAX_RUNNING_PER_USER: '1', EXPORT_MAX_RUNNING: '2', EXPORT_RETENTION: 'hours=1' });
  });
  afterAll(() => t.close());

  /** Test hook: exports wait at their start until released, so "running" lasts as long as the test needs. */
  function holdExports(): () => void {
    const stream = t.app.get(EventStreamService);
    const open = stream.open.bind(stream);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(stream, 'open').mockImplementation(async (...args) => {
      await gate;
      return open(...args);
    });
    return () => {
      release();
      spy.mockRestore();
    };
  }

  const exportFile = (id: string) => join(t.config.dataDir, 'exports', `${id}.csv`);

  it('runs one export per user and two in all; the rest get 429 with Retry-After and nothing is stored', async () => {
    const [alice, bob, carol] = [
      await createUserWithToken(t, { permissions: [VIEW] }),
      await createUserWithToken(t, { permissions: [VIEW] }),
      await createUserWithToken(t, { permissions: [VIEW] }),
    ];
    await createEvent(t, { action: 'logout' });
    const release = holdExports();
    let running: string[] = [];
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => alice.client.post(EXPORT)));
      const accepted = answers.filter((answer) => answer.status === 201);
      const refused = answers.filter((answer) => answer.status === 429);
      expect([accepted.length, refused.length]).toEqual([1, 19]);
      for (const answer of refused) {
        expect(answer.body).toEqual({
          detail: 'You already have 1 export running (at most 1 at a time). Try again once one has completed.',
        });
        expect(answer.headers.get('retry-after')).toBe('30');
      }
      expect((await alice.client.get(EXPORTS)).body.pagination.count).toBe(1);

      const second = await bob.client.post(EXPORT);
      expect(second.status).toBe(201);
      expect(await carol.client.post(EXPORT)).toMatchObject({
        status: 429,
        body: { detail: 'Too many exports are running (at most 2 at a time). Try again once one has completed.' },
      });
      expect((await carol.client.get(EXPORTS)).body.pagination.count).toBe(0);
      running = [accepted[0].body.id, second.body.id];
    } finally {
      release();
    }
    await completed(alice.client, running[0]);
    await completed(bob.client, running[1]);
    // Their places are free again.
    const again = await alice.client.post(EXPORT);
    expect(again.status).toBe(201);
    await completed(alice.client, again.body.id);
    expect((await carol.client.post(EXPORT)).status).toBe(201);
  });

  it('deletes exports, file and row, EXPORT_RETENTION after they were requested', async () => {
    const older = (await t.admin.post(EXPORT)).body;
    await completed(t.admin, older.id);
    const newer = (await t.admin.post(EXPORT)).body;
    await completed(t.admin, newer.id);
    expect(existsSync(exportFile(older.id))).toBe(true);

    // One hour after `newer` was requested, less a microsecond: `older` has expired, `newer` not yet.
    const deleted = await t.app.get(ExportCleanup).deleteExpired(micros(newer.requested_on) - 1 + HOUR);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(existsSync(exportFile(older.id))).toBe(false);
    expect(await t.admin.get(`${EXPORTS}${older.id}/`)).toMatchObject({
      status: 404,
      body: { detail: 'No DataExport matches the given query.' },
    });
    expect((await t.admin.get(`${EXPORTS}${older.id}/download/`)).status).toBe(404);
    expect(existsSync(exportFile(newer.id))).toBe(true);
    expect((await t.admin.get(`${EXPORTS}${newer.id}/download/`)).status).toBe(200);

    expect(await t.app.get(ExportCleanup).deleteExpired(micros(newer.requested_on) + HOUR)).toBe(1);
    expect(existsSync(exportFile(newer.id))).toBe(false);
    expect((await t.admin.get(EXPORTS)).body.pagination.count).toBe(0);
  });

  it('masks secrets in the stored and shown query_params, and still filters by what was given', async () => {
    const app = 'aaaa0000-0000-4000-8000-00000000a1a1';
    const authorized = await createEvent(t, {
      action: 'authorize_application',
      context: { authorized_application: { pk: app.replace(/-/g, ''), name: 'A' } },
    });
    await createEvent(t, { action: 'authorize_application', context: {} });

    const answer = await t.admin.post(`${EXPORT}?actions=authorize_application&context_authorized_app=${app}&token=s3cr3t-t0ken`);
    expect(answer.status).toBe(201);
    const shown = { actions: 'authorize_application', context_authorized_app: MASKED, token: MASKED };
    expect(answer.body.query_params).toEqual(shown);
    const done = await completed(t.admin, answer.body.id);
    expect(done.query_params).toEqual(shown);
    const q = (name: string) => (t.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
    const [row] = await t.dataSource.query(`SELECT ${q('query_params')} AS p FROM ${q('data_exports')} WHERE ${q('id')} = ?`, [
      answer.body.id,
    ]);
    expect(row.p).not.toContain('s3cr3t');
    expect(row.p).not.toContain('aaaa0000');

    const rows = parse((await t.admin.get(done.file_url)).text);
    expect(rows.slice(1).map((r: string[]) => r[0])).toEqual([authorized.pk]);
  });
});

import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { EventWriter } from '../../src/events/revisions/event-writer';
import { MysqlEventWriter } from '../../src/events/revisions/mysql-event-writer';
import { MYSQL_SQL_MODE } from '../../src/database/session-mysql2';
import { createEvent, EVENTS, eventPath } from '../events/event-fixtures';
import { qs } from '../events-api-query/api-query-fixtures';
import { PrivateMariaDb } from '../faults/support/private-mariadb';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_DB } from '../support/test-database';

/**
 * Issue 13 item 5: values stay values whatever the server's sql_mode. mysql2 escapes values
 * client-side with backslashes; on a server whose default mode is NO_BACKSLASH_ESCAPES (and
 * ANSI_QUOTES) the service must still read, write and filter exactly. A MariaDB server of the
 * test's own, so the shared one keeps its settings.
 */
const describeOnMariaDb = TEST_DB === 'mariadb' ? describe : describe.skip;

const SERVER_MODE = 'NO_BACKSLASH_ESCAPES,ANSI_QUOTES';

/** The stored text of each event: its app, `user.username` and `context.note`. */
const STORED: Record<string, string> = {
  plain: 'plain.text',
  apostrophe: "it's",
  backslash: 'back\\slash',
  backslash_quote: "a\\'b",
  comments: '-- # /* */',
};
const ALL = Object.keys(STORED).sort();

/** Each would match every row, or end the statement, if it reached the SQL text. None is stored. */
const INJECTIONS = [
  "' OR 1=1) #",
  "x\\' OR 1=1 -- ",
  "\\') OR ('1'='1",
  "') OR 1=1 /*",
  '" OR "1"="1',
  "\\'; DROP TABLE events; #",
  "'; DROP TABLE events; --",
];

const modes = (text: string) => text.split(',').filter(Boolean).sort();

describeOnMariaDb(`sql_mode: a server started with --sql-mode=${SERVER_MODE}`, () => {
  let server: PrivateMariaDb | undefined;
  let t: TestApp;
  const nameOf: Record<string, string> = {};

  beforeAll(async () => {
    server = await PrivateMariaDb.create([`--sql-mode=${SERVER_MODE}`]);
    await server.start();
    t = await startTestApp({}, { database: await server.createDatabase('eventlog') });
    // Through the API: the event writer's own pool writes them.
    for (const [name, text] of Object.entries(STORED)) {
      const event = await createEvent(t, { app: text, user: { pk: 1, username: text }, context: { note: text } });
      nameOf[event.pk] = name;
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await server?.destroy();
  }, 60_000);

  async function names(params: Record<string, string>): Promise<string[]> {
    const res = await t.admin.get(`${EVENTS}${qs({ page_size: '100', ...params })}`);
    if (res.status !== 200) throw new Error(`list answered ${res.status} ${res.text}`);
    expect(res.body.pagination.count).toBe(res.body.results.length);
    return res.body.results.map((event: { pk: string; action: string }) => nameOf[event.pk] ?? `?${event.action}`).sort();
  }

  it("every connection the app opens uses the service's sql_mode, not the server's", async () => {
    const runners = [1, 2, 3].map(() => t.dataSource.createQueryRunner());
    try {
      // Held at once, so each is a connection of its own.
      const rows = await Promise.all(
        runners.map((r) => r.query('SELECT CONNECTION_ID() AS id, @@SESSION.sql_mode AS mode, @@GLOBAL.sql_mode AS server')),
      );
      expect(new Set(rows.map(([row]) => row.id)).size).toBe(3);
      for (const [row] of rows) {
        expect(modes(row.server)).toEqual(modes(SERVER_MODE));
        expect(modes(row.mode)).toEqual(modes(MYSQL_SQL_MODE));
      }
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  });

  it("the migrations' and CLI's DataSource and the event writer's pool use it too", async () => {
    const migrator = new DataSource(dataSourceOptions(t.config));
    await migrator.initialize();
    const writerPool = (t.app.get(EventWriter) as MysqlEventWriter).connectionPool;
    try {
      const [[fromMigrator], [[fromWriter]]] = await Promise.all([
        migrator.query('SELECT @@SESSION.sql_mode AS mode'),
        writerPool.query('SELECT @@SESSION.sql_mode AS mode') as Promise<any>,
      ]);
      expect(modes(fromMigrator.mode)).toEqual(modes(MYSQL_SQL_MODE));
      expect(modes(fromWriter.mode)).toEqual(modes(MYSQL_SQL_MODE));
    } finally {
      await migrator.destroy(); // the writer's pool is the app's: it ends with the app
    }
  });

  it('stores and reads back quotes, backslashes and comment markers exactly', async () => {
    const res = await t.admin.get(`${EVENTS}${qs({ page_size: '100' })}`);
    expect(res.status).toBe(200);
    const stored = Object.fromEntries(res.body.results.map((e: any) => [nameOf[e.pk], [e.app, e.user.username, e.context.note]]));
    expect(stored).toEqual(Object.fromEntries(Object.entries(STORED).map(([name, text]) => [name, [text, text, text]])));
  });

  it('a PATCH writes a hostile value exactly', async () => {
    const event = await createEvent(t, { app: 'patched' });
    const app = "p\\'); DELETE FROM events; #";
    const res = await t.admin.patch(eventPath(event.pk), { app });
    expect(res.status).toBe(200);
    expect((await t.admin.get(eventPath(event.pk))).body.app).toBe(app);
    expect((await t.admin.delete(eventPath(event.pk))).status).toBe(204);
  });

  it.each(Object.entries(STORED))('filters find %s by its exact text', async (name, text) => {
    expect(await names({ username: text })).toEqual([name]);
    expect(await names({ search: `app = ${JSON.stringify(text)}` })).toEqual([name]);
    expect(await names({ search: `user.username = ${JSON.stringify(text)}` })).toEqual([name]);
    expect(await names({ search: `context.note = ${JSON.stringify(text)}` })).toEqual([name]);
    expect(await names({ search: `context.note in (${JSON.stringify(text)}, "none")` })).toEqual([name]);
  });

  it('a contains-match on a quote or a backslash finds exactly the events holding one', async () => {
    expect(await names({ search: `app ~ "'"` })).toEqual(['apostrophe', 'backslash_quote']);
    expect(await names({ search: 'context.note ~ "\\\\"' })).toEqual(['backslash', 'backslash_quote']);
    expect(await names({ search: 'app ~ "/*"' })).toEqual(['comments']);
  });

  it.each(INJECTIONS)('%j matches nothing in any filter or search (and `!=` everything)', async (value) => {
    for (const filter of ['client_ip', 'username', 'brand_name', 'context_model_app', 'context_model_name', 'context_model_pk', 'action']) {
      expect([filter, await names({ [filter]: value })]).toEqual([filter, []]);
    }
    const quoted = JSON.stringify(value);
    for (const search of [value, `app = ${quoted}`, `context.note ~ ${quoted}`, `user.username in (${quoted})`]) {
      expect([search, await names({ search })]).toEqual([search, []]);
    }
    expect(await names({ search: `app != ${quoted}` })).toEqual(ALL);
  });

  it('stacked statements are inert: every pool refuses them and the table is intact', async () => {
    await expect(t.dataSource.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
    const writerPool = (t.app.get(EventWriter) as MysqlEventWriter).connectionPool;
    await expect(writerPool.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
    expect(await names({})).toEqual(ALL);
    const [row] = await t.dataSource.query('SELECT COUNT(*) AS n FROM `events`');
    expect(Number(row.n)).toBe(ALL.length);
  });
});

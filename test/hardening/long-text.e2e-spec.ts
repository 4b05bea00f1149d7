import { nowMicros } from '@app/common';
import { EventsRepository } from '../../src/events/events.repository';
import { createEvent, EVENTS, eventPath } from '../events/event-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const USERS = '/api/v3/core/users/';
const TOKENS = '/api/v3/core/tokens/';
const ROLES = '/api/v3/rbac/roles/';

const WIDTHS = ['a', 'é', '€', '𝔘'];

/** `n` characters of mixed width (1 to 4 bytes of UTF-8), the last ones `tail`. */
const long = (n: number, tail = '') => Array.from({ length: n - [...tail].length }, (_, i) => WIDTHS[i % WIDTHS.length]).join('') + tail;

/**
 * Issue 13 item 10 (part): what authentik stores as TextField (event `app`, token `managed` and
 * `description`, user `path`, `name` and `attributes`) takes long values on both databases,
 * read back exactly; what it limits (CharField max_length) is refused with DRF's 400.
 */
describe(`long text values (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('an event app of 10 000 characters is stored, read back, patched and searched', async () => {
    const app = long(10_000);
    const event = await createEvent(t, { app });
    expect(event.app).toBe(app);
    expect((await t.admin.get(eventPath(event.pk))).body.app).toBe(app);

    const patched = long(12_000, 'patched');
    expect((await t.admin.patch(eventPath(event.pk), { app: patched })).status).toBe(200);
    expect((await t.admin.get(eventPath(event.pk))).body.app).toBe(patched);

    // ASCII, so that the query stays within Node's 16 KiB request line.
    const searchable = `${'s'.repeat(4_000)}.search`;
    const found = await createEvent(t, { app: searchable });
    const res = await t.admin.get(`${EVENTS}?search=${encodeURIComponent(`app = "${searchable}"`)}`);
    expect(res.status).toBe(200);
    expect(res.body.results.map((e: { pk: string }) => e.pk)).toEqual([found.pk]);
  });

  it('the counters keep long apps that differ only at the end apart', async () => {
    const [first, second] = [long(9_000, '-one'), long(9_000, '-two')];
    const before = Number((await t.admin.get(`${EVENTS}?actions=logout`)).body.pagination.count);
    for (const app of [first, second, second]) await createEvent(t, { action: 'logout', app });
    const apps = await t.app.get(EventsRepository).visibleApps(nowMicros());
    expect(apps.filter((app) => app === first || app === second).sort()).toEqual([first, second].sort());
    expect((await t.admin.get(`${EVENTS}?actions=logout`)).body.pagination.count).toBe(before + 3);
  });

  it('a token with a long managed and description; a user with a long path, name and attributes', async () => {
    const owner = await t.admin.post(USERS, {
      username: 'long-texts',
      name: long(70_000),
      path: `${long(5_000)}/${long(5_000)}`,
      attributes: { notes: long(70_000) },
    });
    expect(owner.status).toBe(201);
    const user = (await t.admin.get(`${USERS}${owner.body.pk}/`)).body;
    expect([user.name, user.path, user.attributes]).toEqual([long(70_000), `${long(5_000)}/${long(5_000)}`, { notes: long(70_000) }]);

    const managed = long(10_000, 'managed');
    const description = long(70_000);
    const created = await t.admin.post(TOKENS, { identifier: 'long-texts', user: owner.body.pk, managed, description });
    expect(created.status).toBe(201);
    const token = (await t.admin.get(`${TOKENS}long-texts/`)).body;
    expect([token.managed, token.description]).toEqual([managed, description]);
    // `managed` stays unique whatever its length.
    const again = await t.admin.post(TOKENS, { identifier: 'long-texts-2', user: owner.body.pk, managed });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ managed: ['Token with this Managed by authentik already exists.'] });
  });

  it.each([
    [USERS, { username: 'x'.repeat(151), name: 'x' }, { username: ['Ensure this field has no more than 150 characters.'] }],
    [ROLES, { name: 'x'.repeat(151) }, { name: ['Ensure this field has no more than 150 characters.'] }],
    [TOKENS, { identifier: 'x'.repeat(256), user: 1 }, { identifier: ['Ensure this field has no more than 255 characters.'] }],
  ])('where authentik limits the length, %s answers 400 in DRF words', async (path, body, errors) => {
    const res = await t.admin.post(path, body);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: errors });
  });
});

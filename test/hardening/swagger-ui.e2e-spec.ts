import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { FlowsModule } from '../module-recipe/flows.module';

/** Debian's Chromium; CHROMIUM_PATH points elsewhere (another distribution, Chrome on macOS). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'swagger-ui-patch.png');
/** Generous: a shared, busy machine; these bound waits, they assert no duration. */
const UI_TIMEOUT_MS = 60_000;
/** Resolved to 127.0.0.1 inside Chromium only. */
const HOST = 'eventlog.test';

/**
 * docs/api-contract.md §1: "a person can paste a token and try every operation". A real Chromium opens Swagger
 * UI, authorises with a key and runs `events_events_partial_update` on a real event; and, with
 * the README's example module mounted (issue 12), runs its route after a reload.
 */
describe(`Swagger UI in Chromium (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // A missing browser is a missing prerequisite of `npm test` (README), never a silent skip.
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}; this test drives a real browser. ` +
          'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
      );
    }
    t = await startTestApp({}, { modules: [FlowsModule] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // A host name, not 127.0.0.1: Chromium trusts loopback like https, a deployment's plain-HTTP host it does not.
        `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 2000 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    // A CSP that blocks or redirects Swagger UI's scripts, styles or fetches shows up here.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('requestfailed', (request) => pageErrors.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Failed to load/.test(message.text())) pageErrors.push(message.text());
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the events tag first, then the others alphabetically (issue 12 item 9)', async () => {
    await page.goto(`${t.baseUrl.replace('127.0.0.1', HOST)}/api/v3/`);
    const tags = page.locator('h3.opblock-tag');
    await tags.first().waitFor();
    const shown = await tags.evaluateAll((headings) => headings.map((h) => h.getAttribute('data-tag')));
    // `flows` is the README's module mounted above: a module's tag sorts among the others.
    expect(shown).toEqual(['events', 'core', 'flows', 'policies', 'rbac', 'reports']);
  });

  it('authorises with a token, runs events_events_partial_update through "Try it out", and shows the 200 with the patched field', async () => {
    const created = await t.admin.post('/api/v3/events/events/', { action: 'login', app: 'before.browser', context: { via: 'api' } });
    expect(created.status).toBe(201);
    const uuid: string = created.body.pk;

    await openSwaggerUi(page);
    await authorize(page, t.adminKey);

    const operation = page.locator('#operations-events-events_events_partial_update');
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('tr[data-param-name="event_uuid"] input').fill(uuid);
    await operation.locator('textarea.body-param__text').fill(JSON.stringify({ app: 'patched.by.browser' }, null, 2));
    await operation.locator('button.execute').click();

    // The answer the server gave, as Swagger UI shows it (the table's first body row).
    const answer = operation.locator('.live-responses-table tbody tr.response').first();
    await answer.waitFor();
    expect((await answer.locator('.response-col_status').innerText()).trim()).toBe('200');
    const shownBody = await answer.locator('.response-col_description pre').first().innerText();
    expect(JSON.parse(shownBody)).toEqual(
      expect.objectContaining({ pk: uuid, app: 'patched.by.browser', action: 'login', context: { via: 'api' } }),
    );

    mkdirSync(ARTIFACTS, { recursive: true });
    await operation.screenshot({ path: SCREENSHOT }); // the operation: request, curl, and the live answer

    const after = await t.admin.get(`/api/v3/events/events/${uuid}/`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ ...created.body, app: 'patched.by.browser' });
    expect(pageErrors).toEqual([]);
  });

  it("keeps the authorization across a reload and runs the README module's guarded route (no @ApiBearerAuth on it)", async () => {
    const allowed = await createUserWithToken(t, { permissions: ['authentik_flows.clear_flow_cache'] });
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 2000 } }); // a context of its own: nothing authorised yet
    fresh.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      await openSwaggerUi(fresh);
      await authorize(fresh, allowed.key);
      await fresh.reload();
      await fresh.locator('.btn.authorize').waitFor();

      const operation = fresh.locator('#operations-flows-flows_instances_cache_clear_create');
      await operation.locator('.opblock-summary').click();
      await operation.locator('.try-out__btn').click();
      await operation.locator('button.execute').click();

      const answer = operation.locator('.live-responses-table tbody tr.response').first();
      await answer.waitFor();
      expect((await answer.locator('.response-col_status').innerText()).trim()).toBe('201');
      const shown = JSON.parse(await answer.locator('.response-col_description pre').first().innerText());
      expect(shown).toMatchObject({ action: 'custom_flow_cache_cleared', app: 'authentik.flows', user: { username: allowed.username } });
      expect((await t.admin.get(`/api/v3/events/events/${shown.pk}/`)).body).toEqual(shown);
    } finally {
      await fresh.context().close();
    }
  });

  async function openSwaggerUi(target: Page): Promise<void> {
    await target.goto(`${t.baseUrl.replace('127.0.0.1', HOST)}/api/v3/`);
    await target
      .locator('.btn.authorize')
      .waitFor()
      .catch((error: Error) => {
        throw new Error(`Swagger UI did not render (${error.message}); the page reported: ${pageErrors.join('; ')}`);
      });
  }

  async function authorize(target: Page, key: string): Promise<void> {
    await target.locator('.btn.authorize').click();
    const modal = target.locator('.modal-ux');
    await modal.locator('input').first().fill(key);
    await modal.locator('button.authorize').click();
    await modal.locator('button.btn-done').click();
  }
});

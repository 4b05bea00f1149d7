import { waitFor } from './faults/support/process-utils';
import { ServiceProcess } from './faults/support/service-process';
import { createScratchDatabase, ScratchDatabase, TEST_DB } from './support/test-database';

/*
 * The request log (src/logging/request-logging.ts) of the real entry point in a child process:
 * one JSON line per request, refusals included, with the request's id, method, path and status,
 * and neither its query string nor its credentials.
 */
const ADMIN_KEY = 'admin-logging-0123456789abcdef';
const EVENTS = '/api/v3/events/events/';

describe(`request logs (${TEST_DB})`, () => {
  let database: ScratchDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createScratchDatabase();
    service = await ServiceProcess.start({
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      AUTHENTIK_SECRET_KEY: 'test-secret-key-0123456789abcdef',
      AUTHENTIK_BOOTSTRAP_TOKEN: ADMIN_KEY,
      LOG_LEVEL: 'info',
    });
  }, 130_000);

  afterAll(async () => {
    service?.kill();
    await service?.exited;
    await database?.drop();
  });

  const jsonLines = (): Record<string, any>[] =>
    service.log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  const linesOf = (id: string) => jsonLines().filter((line) => line.req?.id === id);

  it('logs each request once with its id, method, path and status, a refused one too; never the query string or a credential', async () => {
    const get = (query: string, token: string, id: string) =>
      fetch(`${service.baseUrl}${EVENTS}${query}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': id } });
    expect((await get('?page_size=1&token=query-secret', ADMIN_KEY, 'log-ok-1')).status).toBe(200);
    expect((await get('', 'not-a-token-0123456789', 'log-refused-1')).status).toBe(403);
    await waitFor('both request lines', async () => linesOf('log-ok-1').length > 0 && linesOf('log-refused-1').length > 0, 10_000);

    const request = { method: 'GET', path: EVENTS };
    expect(linesOf('log-ok-1')).toEqual([
      expect.objectContaining({ level: 30, req: { id: 'log-ok-1', ...request }, res: { statusCode: 200 }, msg: 'request completed' }),
    ]);
    expect(linesOf('log-refused-1')).toEqual([
      expect.objectContaining({ level: 30, req: { id: 'log-refused-1', ...request }, res: { statusCode: 403 } }),
    ]);
    for (const secret of ['query-secret', ADMIN_KEY, 'not-a-token-0123456789']) expect(service.log).not.toContain(secret);
  });
});

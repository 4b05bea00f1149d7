import { connect } from 'node:net';
import { createScratchDatabase, ScratchDatabase } from '../support/test-database';
import { CreateLoad, isAcceptedUnavailableOrRefused, tally } from './support/create-load';
import { waitFor } from './support/process-utils';
import { ServiceProcess } from './support/service-process';
import { SlowCreate } from './support/slow-create';
import { missingFrom, storedEventIds } from './support/stored-events';

/**
 * Issue 8 item 4: SIGTERM under load, against the real entry point (`src/main.ts`) in a child
 * process with its own database of TEST_DB's kind.
 */
const ADMIN_KEY = 'admin-shutdown-0123456789abcdef';
const LOAD = { workers: 8, requestTimeoutMs: 15_000, maxDurationMs: 90_000 };
/** A shutdown that takes longer than this is a hang (the service's own bound is SHUTDOWN_TIMEOUT_MS). */
const EXIT_WITHIN_MS = 30_000;

function serviceEnv(database: ScratchDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    AUTHENTIK_SECRET_KEY: 'test-secret-key-0123456789abcdef',
    AUTHENTIK_BOOTSTRAP_TOKEN: ADMIN_KEY,
    LOG_LEVEL: 'warn',
    PURGE_ENABLED: 'true', // the scheduler must not keep the process alive either
    AUTH_FAILURE_LIMIT: '1000000',
    ...extra,
  };
}

/** Resolves true once a new TCP connection to `baseUrl` is refused (the listener is closed). */
function connectionRefused(baseUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown (SIGTERM, the real process)', () => {
  let database: ScratchDatabase | undefined;
  let service: ServiceProcess | undefined;
  let load: CreateLoad | undefined;
  let slow: SlowCreate | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase();
  });

  afterEach(async () => {
    // Whatever happened, nothing the test started keeps running.
    slow?.abort();
    await load?.stop();
    service?.kill();
    await service?.exited;
    slow = load = service = undefined;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('finishes in-flight requests, refuses new ones, exits 0 and loses no acknowledged create', async () => {
    service = await ServiceProcess.start(serviceEnv(database!, { SHUTDOWN_TIMEOUT_MS: '20000' }));
    load = new CreateLoad(service.baseUrl, ADMIN_KEY, LOAD).start();
    await load.waitUntil('creates to flow', (o) => o.filter((x) => x.status === 201).length >= 20, 30_000);

    // In flight for certain: its body is only half sent when the signal arrives.
    slow = new SlowCreate(service.baseUrl, ADMIN_KEY, { action: 'configuration_warning', app: 'eventlog.faults', context: { slow: true } });
    await slow.sent;
    const slowSentAt = Date.now();
    // The server has read the headers once it has answered more requests that came later.
    await load.waitUntil(
      'the server to take the slow request',
      () => load!.since(slowSentAt).filter((o) => o.status === 201).length >= 16,
      30_000,
    );

    const signalledAt = Date.now();
    service.signal('SIGTERM');
    await waitFor('the listener to close', () => connectionRefused(service!.baseUrl), 15_000);
    // Draining: no new connections, yet the process waits for the slow request.
    expect(service.running).toBe(true);
    const outcomes = await load.stop();

    const slowResponse = await slow.finish();
    expect(slowResponse.status).toBe(201);
    expect(slowResponse.headers.connection).toBe('close');
    const slowEvent = JSON.parse(slowResponse.text) as { pk: string; context: unknown };
    expect(slowEvent.context).toEqual({ slow: true });

    const exit = await service.waitForExit(EXIT_WITHIN_MS);
    expect({ exit, log: exit.code === 0 ? '' : service.log.slice(-3000) }).toEqual({ exit: { code: 0, signal: null }, log: '' });

    // Every request got a whole 201, docs/api-contract.md §1's 503, or a refused/closed connection; none hung or was cut off.
    const unexpected = outcomes.filter((o) => !isAcceptedUnavailableOrRefused(o));
    expect({ counts: tally(outcomes), unexpected: unexpected.slice(0, 5) }).toMatchObject({ unexpected: [] });
    const finishedAfterSignal = outcomes.filter((o) => o.status === 201 && o.startedAt + o.ms > signalledAt).length;
    console.log(`shutdown: ${JSON.stringify(tally(outcomes))}; ${finishedAfterSignal} creates answered 201 after SIGTERM`);

    const acknowledged = [...load.acknowledged(), slowEvent.pk];
    expect(missingFrom(await storedEventIds(database!.url), acknowledged)).toEqual([]);
  }, 180_000);

  it('exits 1 when draining takes longer than SHUTDOWN_TIMEOUT_MS', async () => {
    service = await ServiceProcess.start(serviceEnv(database!, { SHUTDOWN_TIMEOUT_MS: '1000' }));
    slow = new SlowCreate(service.baseUrl, ADMIN_KEY, { action: 'configuration_warning', app: 'eventlog.faults' });
    await slow.sent;
    // The request is never finished. A later request answered: the server has read its headers.
    await waitFor('the service to answer', async () => (await fetch(`${service!.baseUrl}/-/health/live/`)).status === 200, 10_000);

    service.signal('SIGTERM');
    const exit = await service.waitForExit(EXIT_WITHIN_MS);
    expect(exit).toEqual({ code: 1, signal: null });
    await expect(slow.response).rejects.toThrow();
  }, 180_000);
});

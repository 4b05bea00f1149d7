/**
 * The CPU one request costs the service, without a network or a load generator: the built app
 * (dist/) in this process, driven through Fastify's `inject` 16 requests at a time, on a fresh
 * database (an SQLite file in a temp directory, or BENCH_DATABASE_URL's MariaDB database, whose
 * tables are created by the migrations). On a shared 2-core machine `npm run bench`'s req/s
 * swing by a quarter between runs of one build; this number moves by a few per cent, so it is
 * the one to compare two builds by (run each a few times, alternating):
 *
 *   npm run bench:request-cpu
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/eventlog_request_cpu npm run bench:request-cpu
 *   BENCH_KINDS=create,patch npm run bench:request-cpu    (only these kinds, e.g. for a --cpu-prof)
 *
 * The database's own CPU is not in it, and the TCP and HTTP parsing of a real connection are not
 * either: it measures the service's code, from routing to the reply, plus inject's building of
 * each request and response (the same for every build compared).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig, loadConfig as loadConfigType } from '../src/config/app-config';

const DIST = resolve(__dirname, '..', 'dist', 'src');
const TOKEN = 'bench-request-cpu-token-0123456789abcdef';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 6000);
const CONCURRENCY = 16;
const EVENTS = '/api/v3/events/events/';

type Inject = { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: object };

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eventlog-request-cpu-'));
  // The built app, as production runs it (ts-node would not emit the metadata Nest injects by).
  const { loadConfig } = (await import(join(DIST, 'config', 'app-config'))) as { loadConfig: typeof loadConfigType };
  const { createApp } = (await import(join(DIST, 'create-app'))) as { createApp: (config: AppConfig) => Promise<NestFastifyApplication> };
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dataDir, 'bench.sqlite')}`,
      AUTHENTIK_BOOTSTRAP_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      METRICS_PORT: 'off',
      PURGE_ENABLED: 'false',
      NODE_ENV: 'production',
    },
    () => 'bench-request-cpu-secret-0123456789abcdef',
  );
  const app = await createApp(config);
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  // The body is the caller's to parse: the measured loop does not, so the client's JSON.parse is not counted.
  const send = async (request: Inject) => {
    const response = await fastify.inject({ ...request, headers });
    if (response.statusCode >= 300) throw new Error(`${request.method} ${request.url}: ${response.statusCode} ${response.body}`);
    return response;
  };

  // 64 events to edit: PATCHes of distinct events may share a transaction, as under real load.
  const events: string[] = [];
  for (let i = 0; i < 64; i++) {
    const created = await send({ method: 'POST', url: EVENTS, payload: { action: 'login', app: 'bench', context: { i } } });
    events.push((created.json() as { pk: string }).pk);
  }
  const kinds: Record<string, (i: number) => Inject> = {
    retrieve: (i) => ({ method: 'GET', url: `${EVENTS}${events[i % 64]}/` }),
    patch: (i) => ({ method: 'PATCH', url: `${EVENTS}${events[i % 64]}/`, payload: { client_ip: `10.0.${i % 250}.1` } }),
    create: (i) => ({ method: 'POST', url: EVENTS, payload: { action: 'login', app: 'bench', context: { i, geo: { city: 'Berlin' } } } }),
    list: () => ({ method: 'GET', url: `${EVENTS}?page_size=20` }),
  };
  console.log(`request-cpu: ${config.database.type}, node ${process.version}, ${REQUESTS} requests per kind, ${CONCURRENCY} at a time`);
  const only = process.env.BENCH_KINDS?.split(',');
  for (const [name, request] of Object.entries(kinds)) {
    if (only && !only.includes(name)) continue;
    const run = async (count: number) => {
      for (let i = 0; i < count; i += CONCURRENCY) await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => send(request(i + k))));
    };
    await run(1000); // warm-up: JIT, caches, connections
    const before = process.cpuUsage();
    await run(REQUESTS);
    const used = process.cpuUsage(before);
    console.log(`  ${name.padEnd(8)} ${((used.user + used.system) / REQUESTS).toFixed(0)} µs/request`);
  }
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchStore, openBenchStore } from './lib/bench-store';
import { USER_COUNT, USERS } from './lib/catalog';
import { BenchConfig, loadBenchConfig } from './lib/config';
import { EventGenerator } from './lib/dataset';
import { Outcome, runLoad, runWalk } from './lib/load';
import { compareProbes, probe } from './lib/parity';
import {
  ManagedProcess,
  RssSampler,
  cpuMs,
  freePort,
  installCleanup,
  killAllNow,
  startProcess,
  stopProcess,
  waitUntilReady,
} from './lib/processes';
import { Rng } from './lib/random';
import { RATIO_TARGETS, ScenarioResult, describeEnvironment, markdownReport, textTable } from './lib/report';
import { EVENTS_PATH, Scenario, ScenarioData, TargetName, SCENARIOS, WalkScenario, WalkStart, sampleData } from './lib/scenarios';
import { encodeCursor } from '../src/events/stream/stream-cursor';
import { startBuiltService } from './lib/service';
import { seed } from './seed';
import { runClusterBench } from './cluster';

/**
 * `npm run bench`: seed (or reuse) the bench database, start eventlog (production build and flags) and the
 * ceiling server side by side, drive each scenario against one server at a time, and write the
 * comparison to bench/results/.
 */

const ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const TOKEN = 'bench-bootstrap-token-0123456789abcdef';
const AUTHORIZATION = `Bearer ${TOKEN}`;
/**
 * Seconds of unmeasured load on eventlog before the first scenario, so that the first one is
 * not also measuring JIT compilation, empty pools, SQLite's read workers starting and a cold page
 * cache (on SQLite the first page measured p99 101 ms first, 55 ms a scenario later).
 */
const WARM_UP_SECONDS = 3;

interface Servers {
  eventlog: ManagedProcess & { url: string; metricsUrl: string };
  ceiling: ManagedProcess & { url: string };
}

/** eventlog with its metrics on, as in production (their per-request cost is part of what is measured), on a free port. */
async function startEventlog(config: BenchConfig, logFile: string): Promise<Servers['eventlog']> {
  const metricsPort = await freePort();
  // BENCH_PROFILE=<dir>: a V8 CPU profile of eventlog, written there when it stops.
  const profile = process.env.BENCH_PROFILE;
  const { server, base } = await startBuiltService({
    databaseUrl: config.databaseUrl,
    token: TOKEN,
    logFile,
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
    env: { METRICS_HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), ...serviceSettings() },
  });
  return { ...server, url: base, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/**
 * BENCH_SERVICE_ENV: settings for eventlog beyond the bench's own, `NAME=value` separated by
 * spaces (e.g. `EVENT_GROUP_COMMIT=false`), to measure a setting against the default.
 */
function serviceSettings(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of (process.env.BENCH_SERVICE_ENV ?? '').split(/\s+/).filter(Boolean)) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`BENCH_SERVICE_ENV: expected NAME=value, got "${pair}"`);
    settings[match[1]] = match[2];
  }
  return settings;
}

async function startCeiling(config: BenchConfig, logFile: string, autocomplete: unknown): Promise<Servers['ceiling']> {
  const port = await freePort();
  const proc = startProcess(
    'ceiling',
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/ceiling/server.ts'],
    {
      cwd: ROOT,
      logFile,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        CEILING_PORT: String(port),
        CEILING_DATABASE_URL: config.databaseUrl,
        ...(autocomplete ? { CEILING_AUTOCOMPLETE_JSON: JSON.stringify(autocomplete) } : {}),
        ...(process.env.BENCH_CEILING_UUID ? { CEILING_UUID: process.env.BENCH_CEILING_UUID } : {}),
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(proc, `${url}/-/health/ready/`, 60_000);
  return { ...proc, url };
}

/** eventlog's own `autocomplete` block, so the ceiling's list pages are the same size. */
async function fetchAutocomplete(url: string): Promise<unknown> {
  const answer = await probe(url, AUTHORIZATION, { method: 'GET', path: `${EVENTS_PATH}?page_size=1` });
  return answer.status === 200 ? (answer.body as { autocomplete?: unknown }).autocomplete : undefined;
}

/** Users looked up by the username scenario, drawn like the events' users (active ones more often). */
function sampleUsernames(count = 100): string[] {
  const rng = new Rng(0x05e12);
  return Array.from({ length: count }, () => USERS[Math.min(USER_COUNT - 1, Math.floor(USER_COUNT * Math.pow(rng.next(), 1.6)))].username);
}

/**
 * The first load scenario's requests on eventlog for WARM_UP_SECONDS, not measured. The database's
 * cache it warms is the ceiling's too (one MariaDB, or the OS's cache of one SQLite file); on
 * SQLite a busy ceiling would still be working through the warm-up's requests when measured.
 */
async function warmUp(scenarios: readonly Scenario[], servers: Servers, config: BenchConfig, data: ScenarioData): Promise<void> {
  const first = scenarios.find((scenario) => scenario.kind === 'load');
  if (!first || first.kind !== 'load') return;
  await runLoad(servers.eventlog.url, AUTHORIZATION, first.requests('eventlog', data), {
    connections: config.connections,
    durationSeconds: WARM_UP_SECONDS,
  });
}

async function measure(scenario: Scenario, target: TargetName, url: string, config: BenchConfig, data: ScenarioData): Promise<Outcome> {
  if (scenario.kind === 'walk') return runWalk(target, url, AUTHORIZATION, scenario, walkStart(scenario, data));
  return runLoad(url, AUTHORIZATION, scenario.requests(target, data), {
    connections: config.connections,
    durationSeconds: config.durationSeconds,
  });
}

/**
 * A walk `depth` into the data set: just before seeded row k (rows are in `created` order), as
 * eventlog's stream cursor and as the ceiling's OFFSET (the same `created, event_uuid` order).
 */
function walkStart(scenario: WalkScenario, data: ScenarioData): WalkStart {
  const k = Math.floor(scenario.depth * data.events);
  if (k === 0) return { offset: 0 };
  return { cursor: encodeCursor({ created: data.generator.row(k).created - 1, uuidHex: 'f'.repeat(32) }), offset: k };
}

/** A route eventlog does not have yet answers 404/405: the scenario is reported n/a, not as errors. */
function missingRoute(status: number): boolean {
  return status === 404 || status === 405;
}

/**
 * The longest event-loop delay eventlog saw since the previous call, ms: prom-client's
 * `nodejs_eventloop_lag_max_seconds` (Node's monitorEventLoopDelay), which a scrape reads and
 * resets. Null when the metrics listener does not answer.
 */
async function eventLoopDelayMaxMs(metricsUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) })).text();
    const match = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? ([0-9.eE+-]+)$/m.exec(text);
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

async function runScenario(
  scenario: Scenario,
  servers: Servers,
  config: BenchConfig,
  data: ScenarioData,
  rss: RssSampler,
  store: BenchStore,
): Promise<ScenarioResult> {
  const undo = scenario.kind === 'load' && scenario.prepare ? await scenario.prepare(store, data) : null;
  if (!undo) return measureScenario(scenario, servers, config, data, rss, store);
  const result = await measureScenario(scenario, servers, config, data, rss, store).finally(undo);
  result.notes.push(await waitForCounterFold(store));
  return result;
}

/** How long the counters' fold may take to catch up after a scenario's cleanup before the run goes on anyway. */
const FOLD_CATCH_UP_LIMIT_MS = 300_000;

/**
 * Waits until eventlog's fold job has folded the counter deltas a scenario's writes and cleanup
 * left (the churn scenario: 100 000 apps added, then deleted), so that the next scenario
 * (`action=login`) is not measured while that fold runs: on MariaDB at 1M events, 7 558 and
 * 10 059 deltas were left in two runs, folded in 8 and 5 s. How long it took goes in the notes.
 */
async function waitForCounterFold(store: BenchStore): Promise<string> {
  const started = Date.now();
  const before = await store.pendingCounterDeltas();
  let pending = before;
  while (pending > 0 && Date.now() - started < FOLD_CATCH_UP_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 1000));
    pending = await store.pendingCounterDeltas();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  return pending === 0
    ? `after its cleanup the counters' fold took ${seconds} s to fold ${before.toLocaleString('en')} deltas; the next scenario waited for it`
    : `${pending.toLocaleString('en')} counter deltas still unfolded ${seconds} s after its cleanup; the next scenario ran during the fold`;
}

async function measureScenario(
  scenario: Scenario,
  servers: Servers,
  config: BenchConfig,
  data: ScenarioData,
  rss: RssSampler,
  store: BenchStore,
): Promise<ScenarioResult> {
  const notes: string[] = [];
  let eventlogSkip: string | null = null;
  let ceilingSkip: string | null = null;
  if (scenario.kind === 'load') {
    const [e, c] = [
      await probe(servers.eventlog.url, AUTHORIZATION, scenario.requests('eventlog', data)()),
      await probe(servers.ceiling.url, AUTHORIZATION, scenario.requests('ceiling', data)()),
    ];
    notes.push(...compareProbes(scenario.name, e, c));
    await store.stopLeftoverQueries(); // a probe that timed out leaves its statement running
    if (missingRoute(e.status)) eventlogSkip = `n/a: answers ${e.status}`;
    if (missingRoute(c.status)) ceilingSkip = `n/a: answers ${c.status}`;
  }
  const run = async (target: TargetName, skip: string | null): Promise<Outcome> => {
    if (skip) return { available: false, reason: skip };
    process.stdout.write(`  ${target.padEnd(8)} ... `);
    const cpuBefore = cpuMs(servers[target].pid);
    const measured = await measure(scenario, target, servers[target].url, config, data);
    const outcome = withCpuPerRequest(measured, cpuBefore, cpuMs(servers[target].pid));
    const stopped = await store.stopLeftoverQueries();
    const ms = (n: number) => n.toFixed(1);
    console.log(
      outcome.available
        ? `${outcome.rps.toFixed(1)} req/s, p50 ${ms(outcome.p50)} ms, p99 ${ms(outcome.p99)} ms, non-2xx ${outcome.non2xx}, errors ${outcome.errors}` +
            (outcome.cpuUsPerRequest === undefined ? '' : `, CPU ${outcome.cpuUsPerRequest.toFixed(0)} µs/request`)
        : outcome.reason,
    );
    if (stopped > 0) notes.push(`${target}: ${stopped} statements still running after the run were killed`);
    await new Promise((r) => setTimeout(r, 1000));
    return outcome;
  };
  console.log(`scenario ${scenario.name}: ${scenario.title}`);
  rss.takeMax();
  await eventLoopDelayMaxMs(servers.eventlog.metricsUrl); // starts the window: the scrape resets the maximum
  const eventlog = await run('eventlog', eventlogSkip);
  const eventlogRssMaxMb = rss.takeMax();
  const eventlogLoopDelayMaxMs = eventlog.available ? await eventLoopDelayMaxMs(servers.eventlog.metricsUrl) : null;
  if (eventlogLoopDelayMaxMs !== null) console.log(`  eventlog event-loop delay max ${eventlogLoopDelayMaxMs.toFixed(1)} ms`);
  const eventlogLoad = loadavg()[0];
  const ceiling = await run('ceiling', ceilingSkip);
  for (const [name, o] of [
    ['eventlog', eventlog],
    ['ceiling', ceiling],
  ] as const) {
    if (!o.available) notes.push(`${name}: ${o.reason}`);
    else if (o.requests === 0)
      notes.push(
        `${name}: no response within the ${config.durationSeconds} s run (under ${config.connections} connections each request took longer)`,
      );
    else if (o.non2xx > 0 || o.errors > 0)
      notes.push(`${name}: status codes ${JSON.stringify(o.statusCodes)}, ${o.errors} errors/timeouts`);
  }
  const ratio = eventlog.available && ceiling.available && ceiling.rps > 0 ? eventlog.rps / ceiling.rps : null;
  return {
    name: scenario.name,
    title: scenario.title,
    eventlog,
    ceiling,
    ratio,
    target: RATIO_TARGETS[scenario.name] ?? null,
    eventlogRssMaxMb,
    eventlogLoopDelayMaxMs,
    loadAverage: { eventlog: eventlogLoad, ceiling: loadavg()[0] },
    notes,
  };
}

/** The server's CPU per answered request over the run, when /proc told both readings. */
function withCpuPerRequest(outcome: Outcome, before: number | null, after: number | null): Outcome {
  if (!outcome.available || before === null || after === null || outcome.requests === 0) return outcome;
  return { ...outcome, cpuUsPerRequest: ((after - before) * 1000) / outcome.requests };
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  installCleanup();
  // `npm run bench -- --cluster`: one instance against two on a Galera cluster of its own (bench/cluster.ts).
  if (process.argv.includes('--cluster')) return runClusterBench(config, startEventlog, AUTHORIZATION, RESULTS_DIR, stamp);

  const seeded = await seed(config);
  const seedNote = seeded.reused
    ? 'seed reused'
    : `seeded in ${seeded.seconds.toFixed(0)} s (${seeded.rowsPerSecond.toLocaleString('en')} rows/s)`;
  const scenarios = SCENARIOS.filter((s) => !config.scenarios || config.scenarios.includes(s.name));
  // Everything after seeding is bounded: each scenario runs twice for the duration, plus start-up.
  const limitMs = (scenarios.length * 2 * (config.durationSeconds + 30) + 300) * 1000;
  setTimeout(() => {
    console.error(`bench: gave up after ${limitMs / 1000} s`);
    killAllNow();
    process.exit(1);
  }, limitMs).unref();

  const store = openBenchStore(config);
  try {
    const stale = await store.removeBenchRows(seeded.anchorMicros);
    if (stale > 0) console.log(`bench: removed ${stale} events left by an earlier run`);
    const data = sampleData(new EventGenerator(config.events, seeded.anchorMicros), config.events, sampleUsernames());
    await store.checkSample(data);

    console.log('bench: starting eventlog (dist/src/main.js) and the ceiling');
    const eventlog = await startEventlog(config, join(RESULTS_DIR, `${stamp}.eventlog.log`));
    const autocomplete = await fetchAutocomplete(eventlog.url);
    const ceiling = await startCeiling(config, join(RESULTS_DIR, `${stamp}.ceiling.log`), autocomplete);
    const servers: Servers = { eventlog, ceiling };
    /**
     * On SQLite the ceiling runs its statements synchronously, one at a time: after a scenario of
     * full-table counts it is still working through the requests the load left queued, and there
     * is no statement to kill as on MariaDB. A new ceiling process for each scenario starts clean.
     */
    const freshCeiling = async (scenario: string): Promise<void> => {
      await stopProcess(servers.ceiling);
      servers.ceiling = await startCeiling(config, join(RESULTS_DIR, `${stamp}.ceiling.${scenario}.log`), autocomplete);
    };
    const rss = new RssSampler(eventlog.pid);
    const results: ScenarioResult[] = [];
    try {
      await warmUp(scenarios, servers, config, data);
      for (const scenario of scenarios) {
        if (config.kind === 'sqlite' && results.length > 0) await freshCeiling(scenario.name);
        results.push(await runScenario(scenario, servers, config, data, rss, store));
      }
    } finally {
      rss.stop();
      await Promise.all([stopProcess(eventlog), stopProcess(servers.ceiling)]);
    }
    const removed = await store.removeBenchRows(seeded.anchorMicros);
    const env = await describeEnvironment(store, {
      node: process.version,
      events: config.events,
      durationSeconds: config.durationSeconds,
      connections: config.connections,
    });

    const report = markdownReport(started, env, results, rss.max, seedNote);
    writeFileSync(join(RESULTS_DIR, `${stamp}.md`), report);
    writeFileSync(
      join(RESULTS_DIR, `${stamp}.json`),
      JSON.stringify({ started, environment: env, seed: seeded, eventlogRssMaxMb: rss.max, results }, null, 2),
    );
    console.log(`\n${textTable(results)}\n`);
    console.log(`eventlog RSS max ${rss.max.toFixed(0)} MB; removed ${removed} events created by the run`);
    for (const r of results) for (const n of r.notes) console.log(`note: ${r.name}: ${n}`);
    console.log(`\nwritten: bench/results/${stamp}.md and .json (server logs: bench/results/${stamp}.*.log)`);
  } finally {
    await store.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    killAllNow();
    process.exit(1);
  },
);

import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { GaleraCluster } from '../test/galera/galera-cluster';
import { BenchConfig } from './lib/config';
import { EventGenerator } from './lib/dataset';
import { Measurement, runLoad } from './lib/load';
import { ManagedProcess, stopProcess } from './lib/processes';
import { SCENARIOS, ScenarioData, sampleData, LoadScenario } from './lib/scenarios';
import { seed } from './seed';

/** Writes and the reads that must see them: what a second instance on a second node changes. */
const CLUSTER_SCENARIOS = ['create', 'patch', 'retrieve', 'list_action'];

type StartEventlog = (config: BenchConfig, logFile: string) => Promise<ManagedProcess & { url: string }>;

interface ClusterResult {
  scenario: string;
  one: Measurement;
  two: Measurement;
}

/** Both halves of a load run at once, as one measurement: summed throughput, the worse latency. */
function combined(a: Measurement, b: Measurement): Measurement {
  return {
    available: true,
    rps: a.rps + b.rps,
    p50: Math.max(a.p50, b.p50),
    p99: Math.max(a.p99, b.p99),
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    requests: a.requests + b.requests,
    statusCodes: Object.fromEntries(
      [...new Set([...Object.keys(a.statusCodes), ...Object.keys(b.statusCodes)])].map((code) => [
        code,
        (a.statusCodes[code] ?? 0) + (b.statusCodes[code] ?? 0),
      ]),
    ),
  };
}

/** The same scenario data with the events in another order, so two instances do not PATCH the same event at once. */
function rotated(data: ScenarioData): ScenarioData {
  const half = Math.floor(data.uuids.length / 2);
  return { ...data, uuids: [...data.uuids.slice(half), ...data.uuids.slice(0, half)] };
}

/**
 * `npm run bench -- --cluster`: a three-node Galera cluster on loopback (test/galera/cluster.sh),
 * seeded with BENCH_EVENTS events; each scenario of CLUSTER_SCENARIOS is driven through one
 * instance on node 1 with BENCH_CONNECTIONS connections, then through two instances (node 1 and
 * node 2) with half the connections each. Prints both and their ratio; README "Running on more
 * than one machine" explains what the ratio means on one machine.
 */
export async function runClusterBench(
  config: BenchConfig,
  startEventlog: StartEventlog,
  authorization: string,
  resultsDir: string,
  stamp: string,
): Promise<void> {
  console.log('bench --cluster: starting three Galera nodes on loopback');
  const cluster = await GaleraCluster.start();
  const processes: ManagedProcess[] = [];
  try {
    const nodeConfig = (nodes: number[]): BenchConfig => ({ ...config, databaseUrl: cluster.url(config.databaseName, nodes) });
    const seeded = await seed(nodeConfig([1]));
    const data = sampleData(new EventGenerator(config.events, seeded.anchorMicros), config.events, ['akadmin']);
    const a = await startEventlog(nodeConfig([1, 2, 3]), join(resultsDir, `${stamp}.cluster-a.log`));
    processes.push(a);
    const b = await startEventlog(nodeConfig([2, 3, 1]), join(resultsDir, `${stamp}.cluster-b.log`));
    processes.push(b);
    const results: ClusterResult[] = [];
    for (const name of CLUSTER_SCENARIOS) {
      const scenario = SCENARIOS.find((s) => s.name === name) as LoadScenario;
      const options = { durationSeconds: config.durationSeconds };
      process.stdout.write(`scenario ${name}: one instance ... `);
      const one = await runLoad(a.url, authorization, scenario.requests('eventlog', data), { ...options, connections: config.connections });
      process.stdout.write(`${one.rps.toFixed(1)} req/s; two instances ... `);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const half = Math.max(1, Math.floor(config.connections / 2));
      const [onA, onB] = await Promise.all([
        runLoad(a.url, authorization, scenario.requests('eventlog', data), { ...options, connections: half }),
        runLoad(b.url, authorization, scenario.requests('eventlog', rotated(data)), { ...options, connections: half }),
      ]);
      const two = combined(onA, onB);
      console.log(`${two.rps.toFixed(1)} req/s (${onA.rps.toFixed(1)} + ${onB.rps.toFixed(1)})`);
      results.push({ scenario: name, one, two });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const ms = (n: number) => n.toFixed(1);
    const lines = [
      `# bench --cluster, ${new Date().toISOString()}`,
      '',
      `${config.events.toLocaleString('en')} events, ${config.durationSeconds} s per run, ${config.connections} connections in all; three Galera nodes on one machine (loopback); load average at the end ${loadavg()[0].toFixed(1)}.`,
      '',
      '| scenario | one instance, node 1: req/s (p50 / p99 ms) | two instances, nodes 1 + 2: req/s (p50 / p99 ms) | two / one | non-2xx / errors (one; two) |',
      '|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.scenario} | ${r.one.rps.toFixed(1)} (${ms(r.one.p50)} / ${ms(r.one.p99)}) | ${r.two.rps.toFixed(1)} (${ms(r.two.p50)} / ${ms(r.two.p99)}) | ${(r.two.rps / r.one.rps).toFixed(2)} | ${r.one.non2xx}/${r.one.errors}; ${r.two.non2xx}/${r.two.errors} |`,
      ),
    ];
    const report = lines.join('\n');
    writeFileSync(join(resultsDir, `${stamp}.cluster.md`), `${report}\n`);
    console.log(`\n${report}\n\nwritten: bench/results/${stamp}.cluster.md`);
  } finally {
    await Promise.all(processes.map((p) => stopProcess(p)));
    await cluster.destroy();
  }
}

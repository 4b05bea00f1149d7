import { cpus, totalmem } from 'node:os';
import { BenchStore } from './bench-store';
import { Outcome } from './load';

export interface Environment {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  /** The database and its main setting, e.g. "MariaDB 11.8.3 (innodb_buffer_pool_size 128 MB)". */
  database: string;
  events: number;
  eventsTableMb: number;
  durationSeconds: number;
  connections: number;
}

export interface ScenarioResult {
  name: string;
  title: string;
  eventlog: Outcome;
  ceiling: Outcome;
  /** eventlog req/s ÷ ceiling req/s. */
  ratio: number | null;
  /** The target for the ratio, if it sets one. */
  target: number | null;
  eventlogRssMaxMb: number;
  /**
   * Longest event-loop delay in eventlog during its run of the scenario, ms: Node's
   * monitorEventLoopDelay as prom-client serves it (`nodejs_eventloop_lag_max_seconds`, 10 ms
   * sampling, so an idle loop shows about 10 and a block of B ms about B + 10). Null when the
   * metrics could not be read.
   */
  eventlogLoopDelayMaxMs: number | null;
  /** 1-minute load average of the machine after each server's run (other work on it skews numbers). */
  loadAverage: { eventlog: number; ceiling: number };
  notes: string[];
}

/** The ratio targets at 1 000 000 events: issue 7's for the lists, issue 17's for retrieve and the writes. */
export const RATIO_TARGETS: Record<string, number> = {
  retrieve: 0.85,
  create: 1.5,
  patch: 1.0,
  list_first: 10,
  list_first_app_churn: 10,
  list_action: 10,
  list_username: 10,
  list_page_500: 3,
};

export async function describeEnvironment(
  store: BenchStore,
  extra: Pick<Environment, 'events' | 'durationSeconds' | 'connections' | 'node'>,
): Promise<Environment> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    ...(await store.describe()),
    ...extra,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function cells(outcome: Outcome): string[] {
  if (!outcome.available) return ['n/a', '', '', ''];
  return [fmt(outcome.rps, outcome.rps < 100 ? 1 : 0), fmt(outcome.p50, 1), fmt(outcome.p99, 1), fmt(outcome.non2xx + outcome.errors)];
}

const cpuCell = (outcome: Outcome): string =>
  outcome.available && outcome.cpuUsPerRequest !== undefined ? fmt(outcome.cpuUsPerRequest) : 'n/a';

function ratioCell(r: ScenarioResult): string {
  if (r.ratio === null) return 'n/a';
  const verdict = r.target === null ? '' : r.ratio >= r.target ? ` (target ≥ ${r.target}: met)` : ` (target ≥ ${r.target}: MISSED)`;
  return `${fmt(r.ratio, 2)}${verdict}`;
}

const HEADER = [
  'scenario',
  'eventlog req/s',
  'p50 ms',
  'p99 ms',
  'non-2xx',
  'ceiling req/s',
  'p50 ms',
  'p99 ms',
  'non-2xx',
  'eventlog/ceiling',
  'eventlog RSS MB',
  'eventlog loop delay max ms',
  'CPU µs/request eventlog / ceiling',
];

export function tableRows(results: ScenarioResult[]): string[][] {
  return results.map((r) => [
    r.title,
    ...cells(r.eventlog),
    ...cells(r.ceiling),
    ratioCell(r),
    fmt(r.eventlogRssMaxMb),
    r.eventlogLoopDelayMaxMs === null ? 'n/a' : fmt(r.eventlogLoopDelayMaxMs),
    `${cpuCell(r.eventlog)} / ${cpuCell(r.ceiling)}`,
  ]);
}

/** Fixed-width table for the terminal. */
export function textTable(results: ScenarioResult[]): string {
  const rows = [HEADER, ...tableRows(results)];
  const widths = HEADER.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function loadRange(results: ScenarioResult[]): string {
  const loads = results.flatMap((r) => [r.loadAverage.eventlog, r.loadAverage.ceiling]);
  return loads.length ? `${fmt(Math.min(...loads), 1)} to ${fmt(Math.max(...loads), 1)}` : 'n/a';
}

export function markdownReport(started: Date, env: Environment, results: ScenarioResult[], rssMaxMb: number, seedNote: string): string {
  const md = (row: string[]) => `| ${row.join(' | ')} |`;
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.title}: ${n}`));
  const walk = results.find((r) => r.name === 'stream_walk');
  const deepWalk = results.find((r) => r.name === 'stream_walk_deep');
  const walkLine = (name: string, o: Outcome | undefined) =>
    o?.available && o.walkMs !== undefined
      ? `- ${name}: ${fmt(o.walkMs)} ms per 10 000 events (median of the repeats), page p50 ${fmt(o.p50, 1)} ms, p99 ${fmt(o.p99, 1)} ms`
      : `- ${name}: ${o && !o.available ? o.reason : 'not run'}`;
  return [
    `# eventlog benchmark, ${started.toISOString()}`,
    '',
    `- data: ${fmt(env.events)} events (events table ${fmt(env.eventsTableMb)} MB); ${seedNote}`,
    `- load: autocannon, ${env.connections} connections, ${env.durationSeconds} s per scenario and server, one server at a time`,
    `- machine: ${env.cpus} cores (${env.cpuModel}), ${env.memoryGb} GB RAM, node ${env.node}, ${env.database}`,
    `- eventlog resident memory, max over the run: ${fmt(rssMaxMb)} MB`,
    `- eventlog loop delay max: the longest event-loop delay during the scenario (Node's monitorEventLoopDelay through prom-client, sampled every 10 ms: an idle loop shows about 10, a block of B ms about B + 10)`,
    `- CPU µs/request: the CPU time (user + system) the server process used during its run, per answered request; the database's own CPU is not in it`,
    `- machine load average (1 min) after each measurement: ${loadRange(results)} (above ${env.cpus}, other work competed for the CPU)`,
    '',
    md(HEADER),
    md(HEADER.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...tableRows(results).map(md),
    '',
    'Stream walk (the req/s column above is pages of 1 000 events per second):',
    walkLine('eventlog', walk?.eventlog),
    walkLine('ceiling', walk?.ceiling),
    ...(deepWalk
      ? [
          '',
          'The same walk starting 90 % deep into the stream:',
          walkLine('eventlog', deepWalk.eventlog),
          walkLine('ceiling', deepWalk.ceiling),
        ]
      : []),
    '',
    ...(notes.length ? ['Notes:', ...notes, ''] : []),
  ].join('\n');
}

import autocannon from 'autocannon';
import { EVENTS_PATH, HttpRequestSpec, TargetName, WalkScenario, WalkStart } from './scenarios';

export interface Measurement {
  available: true;
  /** Requests per second (for the walk: pages per second). */
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  requests: number;
  statusCodes: Record<string, number>;
  /** Walk only: time for the whole walk (median of the repeats), ms. */
  walkMs?: number;
  /**
   * CPU time (user + system) the server process spent per answered request during the run, µs:
   * its own work, which other processes on the machine slow down far less than its rate.
   */
  cpuUsPerRequest?: number;
}

export interface Unavailable {
  available: false;
  reason: string;
}

export type Outcome = Measurement | Unavailable;

/** Drives one target with autocannon: `connections` clients, each looping over `next()`. */
export async function runLoad(
  baseUrl: string,
  authorization: string,
  next: () => HttpRequestSpec,
  options: { connections: number; durationSeconds: number },
): Promise<Measurement> {
  const instance = autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    headers: { authorization },
    requests: [
      {
        setupRequest: (request) => {
          const spec = next();
          const headers = spec.body ? { ...request.headers, 'content-type': 'application/json' } : request.headers;
          return { ...request, method: spec.method, path: spec.path, body: spec.body ?? '', headers };
        },
      },
    ],
  });
  const result = await instance;
  return {
    available: true,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

interface Page {
  status: number;
  ms: number;
  lines: string[];
  next: string | null;
}

/** Where the next stream page is: a `Link: <…>; rel="next"` or a next-cursor header. */
function nextPageUrl(baseUrl: string, current: URL, headers: Headers): string | null {
  const link = headers.get('link');
  const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link) : null;
  if (match) return new URL(match[1], baseUrl).toString();
  const cursor = headers.get('x-next-cursor') ?? headers.get('next-cursor') ?? headers.get('x-cursor');
  if (!cursor) return null;
  const url = new URL(current);
  url.searchParams.set('cursor', cursor);
  return url.toString();
}

async function fetchPage(baseUrl: string, url: string, authorization: string): Promise<Page> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization }, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  const ms = performance.now() - started;
  // eventlog's NDJSON ends with a `{"next_cursor": …}` line, which is not an event.
  const lines = text.split('\n').filter((line) => line && !line.startsWith('{"next_cursor"'));
  return { status: res.status, ms, lines, next: nextPageUrl(baseUrl, new URL(url), res.headers) };
}

/**
 * Walks after the first start only while the walks so far took less than this: the ceiling's
 * OFFSET pages 90 % deep into 1M events on MariaDB took long enough that three walks ran the
 * whole benchmark into its time limit.
 */
const WALK_REPEAT_BUDGET_MS = 30_000;

/**
 * Reads `scenario.events` events page by page, once per repeat (fewer when the walks are slow,
 * WALK_REPEAT_BUDGET_MS): eventlog through its stream cursor, the ceiling with LIMIT/OFFSET
 * pages. Reports pages per second and per-page latency.
 */
export async function runWalk(
  target: TargetName,
  baseUrl: string,
  authorization: string,
  scenario: WalkScenario,
  start: WalkStart,
  repeats = 3,
): Promise<Outcome> {
  const pagesNeeded = Math.ceil(scenario.events / scenario.pageSize);
  const latencies: number[] = [];
  const walks: number[] = [];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  for (let r = 0; r < repeats && walks.reduce((a, b) => a + b, 0) < WALK_REPEAT_BUDGET_MS; r++) {
    let url: string | null =
      target === 'eventlog'
        ? `${baseUrl}${EVENTS_PATH}stream/?format=ndjson&limit=${scenario.pageSize}${start.cursor ? `&cursor=${start.cursor}` : ''}`
        : `${baseUrl}${EVENTS_PATH}stream/?limit=${scenario.pageSize}&offset=${start.offset}`;
    const started = performance.now();
    for (let p = 0; p < pagesNeeded && url; p++) {
      let page: Page;
      try {
        page = await fetchPage(baseUrl, url, authorization);
      } catch (error) {
        // A page that takes over a minute (OFFSET deep into a big table) ends the walk, not the run.
        return { available: false, reason: `a page did not arrive within 60 s (${(error as Error).name})` };
      }
      statusCodes[page.status] = (statusCodes[page.status] ?? 0) + 1;
      if (page.status === 404 && target === 'eventlog') return { available: false, reason: 'n/a: stream endpoint answers 404' };
      if (page.status < 200 || page.status > 299) {
        non2xx++;
        break;
      }
      latencies.push(page.ms);
      if (target === 'ceiling')
        url = `${baseUrl}${EVENTS_PATH}stream/?limit=${scenario.pageSize}&offset=${start.offset + (p + 1) * scenario.pageSize}`;
      else if (page.lines.length < scenario.pageSize) url = null;
      else if (!page.next)
        return { available: false, reason: 'n/a: stream page carries no next cursor (Link rel="next" or X-Next-Cursor header)' };
      else url = page.next;
    }
    walks.push(performance.now() - started);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  const totalMs = walks.reduce((a, b) => a + b, 0);
  return {
    available: true,
    rps: totalMs > 0 ? (latencies.length / totalMs) * 1000 : 0,
    p50: at(0.5),
    p99: at(0.99),
    non2xx,
    errors: 0,
    requests: latencies.length,
    statusCodes,
    walkMs: [...walks].sort((a, b) => a - b)[Math.floor(walks.length / 2)],
  };
}

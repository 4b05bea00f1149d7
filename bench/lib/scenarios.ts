import { randomBytes } from 'node:crypto';
import { randomIpv4 } from './catalog';
import { EventGenerator, formatUuid } from './dataset';
import { Rng } from './random';

export type TargetName = 'eventlog' | 'ceiling';

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: string;
}

/** What the scenarios draw from: existing events and users of the seeded data set. */
export interface ScenarioData {
  uuids: string[];
  /** Row index (in the generator) of each sampled uuid, to regenerate its context. */
  rowOf: Map<string, number>;
  usernames: string[];
  generator: EventGenerator;
  events: number;
}

export interface LoadScenario {
  kind: 'load';
  name: string;
  title: string;
  /** A fresh request sequence; both targets get the same sequence. */
  requests(target: TargetName, data: ScenarioData): () => HttpRequestSpec;
  /** Changes the data before both targets run (straight in the database); returns what undoes it after. */
  prepare?(store: EventRowWriter, data: ScenarioData): Promise<() => Promise<void>>;
}

export interface WalkScenario {
  kind: 'walk';
  name: string;
  title: string;
  events: number;
  pageSize: number;
  /** Where the walk starts, as a fraction of the data set in stream order (0: the oldest event). */
  depth: number;
}

/** Where a walk starts: eventlog's cursor (absent: from the start) and the ceiling's OFFSET. */
export interface WalkStart {
  cursor?: string;
  offset: number;
}

export type Scenario = LoadScenario | WalkScenario;

export const EVENTS_PATH = '/api/v3/events/events/';
const PAGE_SIZE = 20;
export const QL_SEARCH = 'action = "model_updated" and context.model.app = "authentik_core"';

function listPath(params: Record<string, string | number>): string {
  // %20 rather than URLSearchParams' `+`, which not every query parser reads as a space.
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return `${EVENTS_PATH}?${query.join('&')}`;
}

/** The same GET for both targets. */
function fixedList(name: string, title: string, params: Record<string, string | number>): LoadScenario {
  return { kind: 'load', name, title, requests: () => () => ({ method: 'GET', path: listPath(params) }) };
}

/** Distinct `app` values written before `list_first_app_churn` (issue 17 item 5). */
const CHURN_APPS = 100_000;
const CHURN_PREFIX = 'bench.churn.';

/** An `events` row as the scenarios write it: the values of EVENT_INSERT_COLUMNS, in order. */
export type EventInsertRow = [Buffer, string, string, string, string, string | null, number, number, string];
export const EVENT_INSERT_COLUMNS = 'event_uuid, `user`, action, app, context, client_ip, created, expires, brand';

/** What a scenario that changes the data needs of the bench database (bench-store.ts, either database). */
export interface EventRowWriter {
  /** Inserts the rows with multi-row INSERTs (no revisions; the counter triggers run as on any write). */
  insertEvents(rows: EventInsertRow[]): Promise<void>;
  /** Deletes the events created at or after `from` whose `app` starts with `prefix`. */
  deleteEventsByAppPrefix(from: number, prefix: string): Promise<void>;
}

/**
 * Writes CHURN_APPS new events, each with an `app` of its own (copies of seeded rows, created
 * now), as a client naming every event's app differently would: before the counters were split
 * and folded, every new app added up to 16 counter rows that every list count read. Multi-row
 * INSERTs, so the counter triggers run as on any write. Undone by deleting them (in batches,
 * through idx_events_created), so later scenarios see the seeded data set.
 */
async function addChurnEvents(store: EventRowWriter, data: ScenarioData): Promise<() => Promise<void>> {
  const from = Date.now() * 1000;
  const batch = 2000;
  for (let i = 0; i < CHURN_APPS; i += batch) {
    const rows: EventInsertRow[] = [];
    for (let j = i; j < Math.min(CHURN_APPS, i + batch); j++) {
      const e = data.generator.row(j % data.events);
      rows.push([
        randomBytes(16),
        JSON.stringify(e.user),
        e.action,
        `${CHURN_PREFIX}${j}`,
        JSON.stringify(e.context),
        e.clientIp,
        from + j,
        from + 365 * 86_400_000_000,
        JSON.stringify(e.brand),
      ]);
    }
    await store.insertEvents(rows);
  }
  return () => store.deleteEventsByAppPrefix(from, CHURN_PREFIX);
}

/** Cycles through `items` in a fixed order, so both targets see the same sequence. */
function cycle<T>(items: T[]): () => T {
  let n = 0;
  return () => items[n++ % items.length];
}

export const SCENARIOS: Scenario[] = [
  fixedList('list_first', 'list, first page', { page_size: PAGE_SIZE }),
  {
    ...fixedList('list_first_app_churn', `list, first page after ${CHURN_APPS.toLocaleString('en')} distinct apps`, {
      page_size: PAGE_SIZE,
    }),
    prepare: addChurnEvents,
  },
  fixedList('list_action', 'list by action=login', { action: 'login', page_size: PAGE_SIZE }),
  {
    kind: 'load',
    name: 'list_username',
    title: 'list by username',
    requests: (_target, data) => {
      const next = cycle(data.usernames);
      return () => ({ method: 'GET', path: listPath({ username: next(), page_size: PAGE_SIZE }) });
    },
  },
  fixedList('list_model_app', 'list by context_model_app', { context_model_app: 'authentik_core', page_size: PAGE_SIZE }),
  {
    kind: 'load',
    name: 'search_ql',
    title: 'query-language search',
    // The ceiling has no query language: it gets the plain filters that mean the same.
    requests: (target) => {
      const params: Record<string, string | number> =
        target === 'eventlog'
          ? { search: QL_SEARCH, page_size: PAGE_SIZE }
          : { action: 'model_updated', context_model_app: 'authentik_core', page_size: PAGE_SIZE };
      return () => ({ method: 'GET', path: listPath(params) });
    },
  },
  fixedList('list_page_500', 'list, page 500', { page: 500, page_size: PAGE_SIZE }),
  {
    kind: 'load',
    name: 'retrieve',
    title: 'retrieve',
    requests: (_target, data) => {
      const next = cycle(data.uuids);
      return () => ({ method: 'GET', path: `${EVENTS_PATH}${next()}/` });
    },
  },
  {
    kind: 'load',
    name: 'patch',
    title: 'PATCH (client_ip or context)',
    requests: (_target, data) => {
      const next = cycle(data.uuids);
      const rng = new Rng(0x9a7c4);
      let n = 0;
      return () => {
        const uuid = next();
        // Half the edits rewrite the context (the row's own context plus a note, so filters keep
        // matching the same rows), half the client IP.
        const body =
          n++ % 2 === 0
            ? { client_ip: randomIpv4(rng) }
            : { context: { ...data.generator.row(data.rowOf.get(uuid) ?? 0).context, edited_by_bench: n } };
        return { method: 'PATCH', path: `${EVENTS_PATH}${uuid}/`, body: JSON.stringify(body) };
      };
    },
  },
  {
    kind: 'load',
    name: 'create',
    title: 'create',
    requests: (_target, data) => {
      const rng = new Rng(0xc4ea7e);
      return () => {
        const e = data.generator.row(rng.int(data.events));
        const body = { action: e.action, app: e.app, user: e.user, context: e.context, client_ip: e.clientIp, brand: e.brand };
        return { method: 'POST', path: EVENTS_PATH, body: JSON.stringify(body) };
      };
    },
  },
  { kind: 'walk', name: 'stream_walk', title: 'stream walk, 10 000 events', events: 10_000, pageSize: 1000, depth: 0 },
  // The same walk 90 % deep into the stream: keyset pages should cost what they cost at the start.
  { kind: 'walk', name: 'stream_walk_deep', title: 'stream walk at 90 % depth, 10 000 events', events: 10_000, pageSize: 1000, depth: 0.9 },
];

/**
 * The events and users the scenarios use. Rows are regenerated from their index (the data set is
 * deterministic), so no table scan is needed to find 10 000 existing uuids.
 */
export function sampleData(generator: EventGenerator, events: number, usernames: string[], size = 10_000): ScenarioData {
  const rng = new Rng(0x5a3b1e);
  const indexes = new Map<string, number>();
  const uuids: string[] = [];
  const wanted = Math.min(size, events);
  const taken = new Set<number>();
  while (uuids.length < wanted) {
    const i = rng.int(events);
    if (taken.has(i)) continue;
    taken.add(i);
    const uuid = formatUuid(generator.uuid(i));
    indexes.set(uuid, i);
    uuids.push(uuid);
  }
  return { uuids, rowOf: indexes, usernames, generator, events };
}

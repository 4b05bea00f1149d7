import { HttpRequestSpec } from './scenarios';

/**
 * Before a scenario is loaded, one request goes to each server and the answers are compared,
 * so a ratio is only read next to a note when the two did not do the same work (different
 * counts, different rows, different JSON).
 */
export interface Probe {
  status: number;
  body: unknown;
}

export async function probe(baseUrl: string, authorization: string, spec: HttpRequestSpec): Promise<Probe> {
  const res = await fetch(`${baseUrl}${spec.path}`, {
    method: spec.method,
    headers: { authorization, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
    body: spec.body,
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

const EVENT_KEYS = 'pk,user,action,app,context,client_ip,created,expires,brand';

type Json = Record<string, unknown>;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Differences worth a note; empty when both servers answered the same. */
export function compareProbes(scenario: string, eventlog: Probe, ceiling: Probe): string[] {
  if (eventlog.status !== ceiling.status) {
    return [`status differs: eventlog ${eventlog.status} ${short(eventlog.body)}, ceiling ${ceiling.status} ${short(ceiling.body)}`];
  }
  if (eventlog.status >= 300 || typeof eventlog.body !== 'object' || typeof ceiling.body !== 'object') return [];
  const e = eventlog.body as Json;
  const c = ceiling.body as Json;
  const notes: string[] = [];
  if (Array.isArray(e.results) && Array.isArray(c.results)) {
    if (JSON.stringify(e.pagination) !== JSON.stringify(c.pagination)) {
      notes.push(`pagination differs: eventlog ${short(e.pagination)}, ceiling ${short(c.pagination)}`);
    }
    const pks = (r: unknown[]) => r.map((x) => (x as Json).pk).join(',');
    if (pks(e.results) !== pks(c.results)) notes.push('the page holds different events');
    else if (JSON.stringify(e.results) !== JSON.stringify(c.results))
      notes.push(`event JSON differs: eventlog ${short(e.results[0])}, ceiling ${short(c.results[0])}`);
    if (JSON.stringify(e.autocomplete) !== JSON.stringify(c.autocomplete)) notes.push('autocomplete block differs');
    return notes;
  }
  if (Object.keys(e).join(',') !== EVENT_KEYS) notes.push(`eventlog's event keys are ${Object.keys(e).join(',')}`);
  // A created event has its own pk and timestamps on each server; anything else must match.
  if (scenario !== 'create' && JSON.stringify(e) !== JSON.stringify(c))
    notes.push(`event JSON differs: eventlog ${short(e)}, ceiling ${short(c)}`);
  return notes;
}

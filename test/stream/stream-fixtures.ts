import type { ApiClient, ApiResponse } from '../support/api-client';

export const STREAM = '/api/v3/events/events/stream/';

export interface StreamPage {
  answer: ApiResponse;
  events: Record<string, any>[];
  nextCursor: string;
}

/** One NDJSON response: its events, and the cursor (header and last line must agree). */
export async function streamPage(client: ApiClient, params: Record<string, string | string[]> = {}): Promise<StreamPage> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  const answer = await client.get(`${STREAM}?${search}`);
  if (answer.status !== 200) throw new Error(`stream answered ${answer.status} ${answer.text}`);
  expect(answer.text.endsWith('\n')).toBe(true);
  const lines = answer.text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line));
  const last = lines.pop();
  expect(Object.keys(last)).toEqual(['next_cursor']);
  expect(answer.headers.get('x-next-cursor')).toBe(last.next_cursor);
  return { answer, events: lines, nextCursor: last.next_cursor };
}

/** Follows the cursor with `limit` until a page comes back empty; every event seen, in order. */
export async function drain(client: ApiClient, params: Record<string, string | string[]>, cursor?: string) {
  const seen: Record<string, any>[] = [];
  let next = cursor;
  for (;;) {
    const page = await streamPage(client, { ...params, ...(next ? { cursor: next } : {}) });
    seen.push(...page.events);
    if (page.events.length === 0) return { seen, cursor: page.nextCursor };
    next = page.nextCursor;
  }
}

/** The CSV row the stream and the export write for an event (as the API returned it). */
export function csvRow(e: Record<string, any>): unknown[] {
  return [
    e.pk,
    JSON.stringify(e.user),
    e.action,
    e.app,
    JSON.stringify(e.context),
    e.client_ip ?? '',
    e.created,
    e.expires,
    JSON.stringify(e.brand),
  ];
}

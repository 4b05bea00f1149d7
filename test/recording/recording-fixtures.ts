import type { ApiClient, ApiResponse } from '../support/api-client';
import type { TestApp } from '../support/test-app';
import { DATETIME, DEFAULT_BRAND, EVENT_UUID, EVENTS } from '../events/event-fixtures';
import { listAllResults } from '../support/list-all';

export const MASK = '********************';
export const USER_AGENT = 'recording-e2e/1.0';
export const WITH_UA = { headers: { 'User-Agent': USER_AGENT } };
export const MODEL_EVENTS_APP = 'authentik.events.middleware';

/** The events that `act` made, oldest first (read through the API, as the superuser). */
export async function eventsDuring(t: TestApp, act: () => Promise<unknown>): Promise<Record<string, any>[]> {
  const before = new Set((await listAll(t)).map((event) => event.pk));
  await act();
  return (await listAll(t)).filter((event) => !before.has(event.pk)).reverse();
}

async function listAll(t: TestApp): Promise<Record<string, any>[]> {
  return listAllResults(t.admin, EVENTS);
}

/** `context.http_request` of an event recorded for `res`'s request. */
export function httpRequestOf(res: ApiResponse, method: string, path: string, args: Record<string, string> = {}) {
  return { path, method, args, user_agent: USER_AGENT, request_id: res.headers.get('x-request-id') };
}

/** An event as the API writes it, with the server-made fields matched by shape. */
export function expectedEvent(fields: { user: object; action: string; app: string; context: object; client_ip: string | null }) {
  return {
    pk: expect.stringMatching(EVENT_UUID),
    ...fields,
    created: expect.stringMatching(DATETIME),
    expires: expect.stringMatching(DATETIME),
    brand: DEFAULT_BRAND,
  };
}

/** `{"pk", "username", "email"}` of the caller behind `client`. */
export async function snapshotOf(client: ApiClient): Promise<{ pk: number; username: string; email: string }> {
  const { pk, username, email } = (await client.get('/api/v3/core/users/me/')).body.user;
  return { pk, username, email };
}

export const hex = (uuid: string) => uuid.replace(/-/g, '');

/** Python's `str()` of a UTC datetime, from the API's `2026-07-01T12:00:00.123456Z`. */
export function pythonDateTime(iso: string): string {
  const [date, time] = iso.replace('Z', '').split('T');
  return `${date} ${time.replace(/\.0{6}$/, '')}+00:00`;
}

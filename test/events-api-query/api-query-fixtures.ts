import { formatMicros } from '@app/common';
import type { ApiClient } from '../support/api-client';
import type { TestApp } from '../support/test-app';
import type { StoredEvent } from '../events-query/query-fixtures';
import { listAllResults } from '../support/list-all';

export { DAY, HOUR, insertEvents } from '../events-query/query-fixtures';
export type { FixtureEvent, StoredEvent } from '../events-query/query-fixtures';
export { EVENTS, VIEW } from '../events/event-fixtures';

export const STATS = '/api/v3/events/events/stats/';
export const VOLUME = '/api/v3/events/events/volume/';
export const TOP_PER_USER = '/api/v3/events/events/top_per_user/';

export const NO_PERMISSION = { detail: 'You do not have permission to perform this action.' };
export const NO_CREDENTIALS = { detail: 'Authentication credentials were not provided.' };
export const INVALID_PAGE = { detail: 'Invalid page.' };
export const invalidAction = (value: string) => ({
  actions: [`Select a valid choice. ${value} is not one of the available choices.`],
});

type ParamValue = string | number | readonly (string | number)[];

/**
 * `?a=1&b=x&b=y` from an object; arrays repeat the key. Form encoding (a space is `+`), which
 * keeps long texts inside Node's 16 KiB limit on the request line and headers.
 */
export function qs(params: Record<string, ParamValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The fixture names of the given events, in the order given; an unknown pk shows as `?<action>`. */
export function namesOf(events: Record<string, StoredEvent>, results: { pk: string; action: string }[]): string[] {
  const byUuid = new Map(Object.values(events).map((event) => [event.uuid, event.name]));
  return results.map((result) => byUuid.get(result.pk) ?? `?${result.action}`);
}

/**
 * GET the list with `params` (one page of up to 1000) and return the fixture names found, sorted:
 * for checking what a filter selects. Fails on anything but 200.
 */
export async function listedNames(
  t: TestApp,
  events: Record<string, StoredEvent>,
  params: Record<string, ParamValue> = {},
  client: ApiClient = t.admin,
): Promise<string[]> {
  return namesOf(events, await listAllResults(client, `/api/v3/events/events/${qs(params)}`)).sort();
}

/** Like `listedNames`, in the order the list gives them. */
export async function orderedNames(
  t: TestApp,
  events: Record<string, StoredEvent>,
  params: Record<string, ParamValue> = {},
): Promise<string[]> {
  return namesOf(events, await listAllResults(t.admin, `/api/v3/events/events/${qs(params)}`));
}

export const iso = (micros: number) => formatMicros(micros) as string;

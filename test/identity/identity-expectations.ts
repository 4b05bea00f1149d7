import type { ApiResponse } from '../support/api-client';

/** Wire keys, in authentik's order (reference schema). */
export const USER_KEYS = [
  'pk',
  'username',
  'name',
  'is_active',
  'last_login',
  'date_joined',
  'is_superuser',
  'groups',
  'groups_obj',
  'roles',
  'roles_obj',
  'email',
  'avatar',
  'attributes',
  'uid',
  'path',
  'type',
  'uuid',
  'password_change_date',
  'last_updated',
];
export const TOKEN_KEYS = ['pk', 'managed', 'identifier', 'intent', 'user', 'user_obj', 'description', 'expires', 'expiring'];
export const USER_SELF_KEYS = [
  'pk',
  'username',
  'name',
  'is_active',
  'is_superuser',
  'is_current',
  'groups',
  'roles',
  'email',
  'avatar',
  'uid',
  'settings',
  'type',
  'system_permissions',
];
export const PAGE_KEYS = ['pagination', 'results', 'autocomplete'];

/** `2026-07-01T12:00:00.123456Z` */
export const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const DENIED = { detail: 'You do not have permission to perform this action.' };
export const NOT_FOUND = { detail: 'Not found.' };
export const noMatch = (model: string) => ({ detail: `No ${model} matches the given query.` });

/** Asserts status and exact body. */
export function expectAnswer(res: ApiResponse, status: number, body?: unknown): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body });
}

/** Every 403 is authentik's: exact body, and never a `WWW-Authenticate` challenge. */
export function expectForbidden(res: ApiResponse, detail: string = DENIED.detail): void {
  expectAnswer(res, 403, { detail });
  expect(res.headers.get('www-authenticate')).toBeNull();
}

/** A page of `count` results, all on page one. */
export function singlePage(count: number) {
  return {
    next: 0,
    previous: 0,
    count,
    current: 1,
    total_pages: 1,
    start_index: count === 0 ? 0 : 1,
    end_index: count,
  };
}

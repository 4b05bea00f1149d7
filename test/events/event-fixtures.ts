import { nowMicros } from '@app/common';
import type { TestApp } from '../support/test-app';

export const EVENTS = '/api/v3/events/events/';
export const eventPath = (pk: string) => `${EVENTS}${pk}/`;

export const VIEW = 'authentik_events.view_event';
export const ADD = 'authentik_events.add_event';
export const CHANGE = 'authentik_events.change_event';
export const DELETE = 'authentik_events.delete_event';

/** The nine keys of an Event, in the order authentik writes them. */
export const EVENT_KEYS = ['pk', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];

export const DEFAULT_BRAND = {
  app: 'authentik_brands',
  model_name: 'brand',
  pk: '2558f5d4ee9550d6ac8d42f23175a86e',
  name: 'Brand fallback',
};

export const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** A new event's pk: a time-ordered UUIDv7 (src/events/event-uuid.ts). */
export const EVENT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The ms since the epoch that a UUIDv7 carries in its first 48 bits. */
export const uuidMillis = (uuid: string): number => parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);

/** A complete, valid body for POST/PUT. */
export const FULL_BODY = {
  user: { pk: 4, username: 'akadmin', email: 'root@example.com' },
  action: 'model_updated',
  app: 'authentik.core',
  context: { model: { app: 'authentik_core', model_name: 'user', pk: 7, name: 'jdoe' }, diff: { name: ['a', 'b'] } },
  client_ip: '192.0.2.10',
  expires: '2030-01-01T12:00:00.123456Z',
  brand: { app: 'authentik_brands', model_name: 'brand', pk: 'b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5', name: 'Brand example.com' },
};

/** Creates an event through the API (as the superuser) and returns its body. */
export async function createEvent(t: TestApp, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t.admin.post(EVENTS, { action: 'login', app: 'authentik.core', ...body });
  if (res.status !== 201) throw new Error(`setup: create answered ${res.status} ${res.text}`);
  return res.body;
}

/** An identifier quoted for the test app's database (`user` and `n` are reserved words). */
export const quote = (t: TestApp, name: string) => (t.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
const uuidBytes = (pk: string) => Buffer.from(pk.replace(/-/g, ''), 'hex');

/** Test setup only: moves an event's expiry into the past, straight in the database. */
export async function expireEvent(t: TestApp, pk: string): Promise<void> {
  await t.dataSource.query(`UPDATE ${quote(t, 'events')} SET ${quote(t, 'expires')} = ? WHERE ${quote(t, 'event_uuid')} = ?`, [
    nowMicros() - 1_000_000,
    uuidBytes(pk),
  ]);
}

/** The stored row, to prove that a refused request wrote nothing. */
export async function storedRow(t: TestApp, pk: string): Promise<Record<string, unknown> | undefined> {
  const rows = await t.dataSource.query(
    `SELECT ${['user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'].map((c) => quote(t, c)).join(', ')}
       FROM ${quote(t, 'events')} WHERE ${quote(t, 'event_uuid')} = ?`,
    [uuidBytes(pk)],
  );
  return rows[0] ? { ...rows[0], created: Number(rows[0].created), expires: Number(rows[0].expires) } : undefined;
}

export async function countRows(t: TestApp): Promise<number> {
  const rows = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${quote(t, 'events')}`);
  return Number(rows[0].n);
}

export const micros = (iso: string) => Date.parse(iso) * 1000 + Number(iso.slice(23, 26));

const NULL = 'This field may not be null.';
const DICT = 'Value must be a dictionary, and not have any duplicate keys.';
const IP = 'Enter a valid IPv4 or IPv6 address.';
const BLANK = 'This field may not be blank.';
const STRING = 'Not a valid string.';
const DATETIME_FORMAT = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

const dictCases = (field: string): [string, unknown, string][] => [
  [field, null, NULL],
  [field, [], DICT],
  [field, [{ pk: 1 }], DICT],
  [field, 'text', DICT],
  [field, '', DICT],
  [field, '{"pk": 1}', DICT],
  [field, 5, DICT],
  [field, true, DICT],
];

/** Every refused value of every writable field, with DRF's message: `[field, value, message]`. */
export const INVALID_VALUES: [string, unknown, string][] = [
  ...dictCases('user'),
  ['action', null, NULL],
  ['action', '', '"" is not a valid choice.'],
  ['action', 'foo', '"foo" is not a valid choice.'],
  ['action', 'LOGIN', '"LOGIN" is not a valid choice.'],
  ['action', 'custom_foo', '"custom_foo" is not a valid choice.'],
  ['action', ' login', '" login" is not a valid choice.'],
  ['action', 5, '"5" is not a valid choice.'],
  ['action', true, '"True" is not a valid choice.'],
  ['action', ['login'], `"['login']" is not a valid choice.`],
  ['action', { a: 1 }, `"{'a': 1}" is not a valid choice.`],
  ['app', null, NULL],
  ['app', '', BLANK],
  ['app', '   ', BLANK],
  ['app', true, STRING],
  ['app', {}, STRING],
  ['app', ['authentik.core'], STRING],
  ['app', 'a\u0000b', 'Null characters are not allowed.'],
  ['app', 'a\ud800', 'Surrogate characters are not allowed: U+D800.'],
  ...dictCases('context'),
  ['client_ip', '', BLANK],
  ['client_ip', '  ', BLANK],
  ['client_ip', 'localhost', IP],
  ['client_ip', '256.1.1.1', IP],
  ['client_ip', '1.2.3', IP],
  ['client_ip', '01.2.3.4', IP],
  ['client_ip', '10.0.0.0/8', IP],
  ['client_ip', '2001:db8::g', IP],
  ['client_ip', ' ::1', IP],
  ['client_ip', 5, IP],
  ['client_ip', true, IP],
  ['client_ip', {}, IP],
  ['client_ip', ['10.0.0.1'], IP],
  ['expires', null, NULL],
  ['expires', '', DATETIME_FORMAT],
  ['expires', 'tomorrow', DATETIME_FORMAT],
  ['expires', '2030-13-01T00:00:00Z', DATETIME_FORMAT],
  ['expires', '2030-02-30T00:00:00Z', DATETIME_FORMAT],
  ['expires', '2030-01-01T25:00:00Z', DATETIME_FORMAT],
  ['expires', '01/01/2030 12:00', DATETIME_FORMAT],
  ['expires', 1893456000, DATETIME_FORMAT],
  ['expires', true, DATETIME_FORMAT],
  ['expires', {}, DATETIME_FORMAT],
  ['expires', [], DATETIME_FORMAT],
  ...dictCases('brand'),
];

/** Seven bad fields in one body: every one is reported. */
export const ALL_FIELDS_BAD = {
  body: { user: [], action: 'nope', app: '', context: 'x', client_ip: 'x', expires: 'x', brand: null },
  errors: {
    user: [DICT],
    action: ['"nope" is not a valid choice.'],
    app: [BLANK],
    context: [DICT],
    client_ip: [IP],
    expires: [DATETIME_FORMAT],
    brand: [NULL],
  },
};

export const REQUIRED = 'This field is required.';

export interface RawEvent {
  pk: string;
  created: number;
  expires?: number;
  action?: string;
  user?: Record<string, unknown>;
  context?: Record<string, unknown>;
  clientIp?: string;
}

/**
 * Test setup only: writes events straight into the table (fast, and with chosen `created`
 * values, e.g. ties), in batches of 500.
 */
export async function insertRawEvents(t: TestApp, events: RawEvent[]): Promise<void> {
  const columns = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    await t.dataSource.query(
      `INSERT INTO ${quote(t, 'events')} (${columns.map((c) => quote(t, c)).join(', ')}) VALUES ${batch
        .map(() => `(${columns.map(() => '?').join(', ')})`)
        .join(', ')}`,
      batch.flatMap((e) => [
        uuidBytes(e.pk),
        JSON.stringify(e.user ?? {}),
        e.action ?? 'login',
        'test',
        JSON.stringify(e.context ?? {}),
        e.clientIp ?? null,
        e.created,
        e.expires ?? e.created + 3_600_000_000_000,
        JSON.stringify(DEFAULT_BRAND),
      ]),
    );
  }
}

/** `n` dashed uuids in ascending order, starting at `start` (hex digits of the last group). */
export function sequentialUuids(n: number, start = 0): string[] {
  return Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${(start + i).toString(16).padStart(12, '0')}`);
}

export const formatMicros = (us: number) =>
  new Date(Math.floor(us / 1000)).toISOString().slice(0, 23) + String(us % 1000).padStart(3, '0') + 'Z';

import { randomUUID } from 'node:crypto';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { v7 } from 'uuid';
import { formatMicros, nowMicros, parseDateTime } from '@app/common/time/datetime';
import { DEFAULT_AUTOCOMPLETE } from './autocomplete';
import { CeilingDatabase, Row, openCeilingDatabase } from './database';
import { COUNT_SQL, INSERT_SQL, PAGE_SQL, PATCHABLE, RETRIEVE_SQL, STREAM_SQL, listWhere } from './queries';

/**
 * The ceiling: the straightforward, framework-free implementation of the routes the benchmark
 * drives, with the same JSON as eventlog. Not part of the product; it shows what a plain
 * `node:http` + `mysql2` (or `better-sqlite3`) server gets out of the same database, so
 * eventlog's numbers have a reference. Authentication is only "a header is present".
 */

const PREFIX = '/api/v3/events/events/';
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const DEFAULT_BRAND = { app: 'authentik_brands', model_name: 'brand', pk: 'b7a1c0de5eed4e0f9c3a2b1d0e9f8a7b', name: 'Brand example.com' };
const RETENTION_US = 365 * 86_400_000_000;
/**
 * A new event's pk: a random uuid4, as authentik makes them. CEILING_UUID=v7 makes them
 * time-ordered, as eventlog does, to measure what the key order alone is worth.
 */
const newUuid: () => string = process.env.CEILING_UUID === 'v7' ? () => v7() : () => randomUUID();

const db: CeilingDatabase = openCeilingDatabase(
  process.env.CEILING_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/eventlog_bench',
  Number(process.env.CEILING_POOL_SIZE ?? 10),
);
const autocomplete: unknown = process.env.CEILING_AUTOCOMPLETE_JSON
  ? JSON.parse(process.env.CEILING_AUTOCOMPLETE_JSON)
  : DEFAULT_AUTOCOMPLETE;

function toEvent(row: Row): Record<string, unknown> {
  const hex = (row.event_uuid as Buffer).toString('hex');
  return {
    pk: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    user: JSON.parse(row.user as string),
    action: row.action,
    app: row.app,
    context: JSON.parse(row.context as string),
    client_ip: row.client_ip,
    created: formatMicros(Number(row.created)),
    expires: formatMicros(Number(row.expires)),
    brand: JSON.parse(row.brand as string),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function uuidBytes(text: string): Buffer | null {
  return UUID.test(text) ? Buffer.from(text.replace(/-/g, ''), 'hex') : null;
}

async function list(res: ServerResponse, query: URLSearchParams): Promise<void> {
  // authentik 2026.8's page sizes, as eventlog's defaults: 20 when none is asked, at most 100.
  const asked = query.get('page_size');
  const pageSize = asked === null ? 20 : Math.min(100, Number(asked) > 0 ? Math.floor(Number(asked)) : 100);
  const page = query.has('page') ? Number(query.get('page')) : 1;
  if (!Number.isInteger(page) || page < 1) return send(res, 404, { detail: 'Invalid page.' });
  const { where, params } = listWhere(query, nowMicros());
  const [{ n }] = await db.rows(COUNT_SQL(where), params);
  const count = Number(n);
  const totalPages = Math.max(1, Math.ceil(count / pageSize));
  if (page > totalPages) return send(res, 404, { detail: 'Invalid page.' });
  const offset = (page - 1) * pageSize;
  const rows = await db.rows(PAGE_SQL(where), [...params, pageSize, offset]);
  send(res, 200, {
    pagination: {
      next: page < totalPages ? page + 1 : 0,
      previous: page > 1 ? page - 1 : 0,
      count,
      current: page,
      total_pages: totalPages,
      start_index: count === 0 ? 0 : offset + 1,
      end_index: count === 0 ? 0 : Math.min(offset + pageSize, count),
    },
    results: rows.map(toEvent),
    autocomplete,
  });
}

/** Plain LIMIT/OFFSET pages in ascending order, as NDJSON (the ceiling of the stream walk). */
async function stream(res: ServerResponse, query: URLSearchParams): Promise<void> {
  const limit = Math.min(10_000, Number(query.get('limit')) || 1000);
  const offset = Number(query.get('offset')) || 0;
  const rows = await db.rows(STREAM_SQL, [nowMicros(), limit, offset]);
  const text = rows.map((r) => JSON.stringify(toEvent(r))).join('\n') + (rows.length ? '\n' : '');
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function retrieve(res: ServerResponse, id: Buffer): Promise<void> {
  const rows = await db.rows(RETRIEVE_SQL, [id, nowMicros()]);
  if (rows.length === 0) return send(res, 404, { detail: 'No Event matches the given query.' });
  send(res, 200, toEvent(rows[0]));
}

async function patch(req: IncomingMessage, res: ServerResponse, id: Buffer): Promise<void> {
  const body = await readJson(req);
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, store] of Object.entries(PATCHABLE)) {
    if (field in body) {
      sets.push(`\`${field}\` = ?`);
      params.push(store(body[field]));
    }
  }
  if (typeof body.expires === 'string') {
    const parsed = parseDateTime(body.expires);
    if (parsed.ok) {
      sets.push('expires = ?');
      params.push(parsed.micros);
    }
  }
  if (sets.length > 0) {
    await db.run(`UPDATE events SET ${sets.join(', ')} WHERE event_uuid = ? AND expires > ?`, [...params, id, nowMicros()]);
  }
  await retrieve(res, id);
}

async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if (typeof body.action !== 'string' || typeof body.app !== 'string') {
    return send(res, 400, { action: ['This field is required.'] });
  }
  const created = nowMicros();
  const parsedExpires = typeof body.expires === 'string' ? parseDateTime(body.expires) : null;
  const event = {
    pk: newUuid(),
    user: body.user ?? {},
    action: body.action,
    app: body.app,
    context: body.context ?? {},
    client_ip: (body.client_ip as string | undefined) ?? null,
    created,
    expires: parsedExpires?.ok ? parsedExpires.micros : created + RETENTION_US,
    brand: body.brand ?? DEFAULT_BRAND,
  };
  await db.run(INSERT_SQL, [
    uuidBytes(event.pk),
    JSON.stringify(event.user),
    event.action,
    event.app,
    JSON.stringify(event.context),
    event.client_ip,
    event.created,
    event.expires,
    JSON.stringify(event.brand),
  ]);
  send(res, 201, { ...event, created: formatMicros(event.created), expires: formatMicros(event.expires) });
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://ceiling');
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (path === '/-/health/ready/') {
    await db.rows('SELECT 1', []);
    return send(res, 200, {});
  }
  if (!path.startsWith(PREFIX)) return send(res, 404, { detail: 'Not found.' });
  if (!req.headers.authorization) return send(res, 403, { detail: 'Authentication credentials were not provided.' });
  const rest = path.slice(PREFIX.length).replace(/\/$/, '');
  if (rest === '') {
    if (req.method === 'GET') return list(res, url.searchParams);
    if (req.method === 'POST') return create(req, res);
  } else if (rest === 'stream' && req.method === 'GET') {
    return stream(res, url.searchParams);
  } else {
    const id = uuidBytes(rest);
    if (!id) return send(res, 404, { detail: 'Not found.' });
    if (req.method === 'GET') return retrieve(res, id);
    if (req.method === 'PATCH') return patch(req, res, id);
  }
  send(res, 405, { detail: `Method "${req.method}" not allowed.` });
}

const server = http.createServer((req, res) => {
  // A client that gave up (the load ended) gets nothing: on SQLite the statements are
  // synchronous, and a backlog of abandoned full-table counts would block the next scenario for
  // minutes (on MariaDB the harness kills them instead).
  if (req.socket.destroyed) return;
  route(req, res).catch((error: unknown) => {
    console.error('ceiling: request failed:', (error as Error).message);
    if (!res.headersSent) send(res, 500, { detail: 'A server error occurred.' });
  });
});
server.keepAliveTimeout = 65_000;

const port = Number(process.env.CEILING_PORT ?? 9100);
server.listen(port, process.env.CEILING_HOST ?? '127.0.0.1', () => console.log(`ceiling listening on ${port}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void db.end().finally(() => process.exit(0));
  });
}

import { randomUUID } from 'node:crypto';
import { nowMicros } from '@app/common';
import { and, resolveDialect, SqlCondition, visibleAt } from '../../src/events/query';
import type { TestApp } from '../support/test-app';

export const HOUR = 3_600_000_000;
export const DAY = 24 * HOUR;
const FAR_FUTURE = Date.parse('2100-01-01T00:00:00Z') * 1000;

export interface FixtureEvent {
  action?: string;
  app?: string;
  user?: Record<string, unknown>;
  context?: Record<string, unknown>;
  client_ip?: string | null;
  brand?: Record<string, unknown>;
  created: number;
  expires?: number;
}

export interface StoredEvent extends Required<FixtureEvent> {
  name: string;
  uuid: string;
  hex: string;
}

/** Inserts events with raw SQL (the query builders under test read them back). */
export async function insertEvents(t: TestApp, events: Record<string, FixtureEvent>): Promise<Record<string, StoredEvent>> {
  const d = resolveDialect(t.dialect);
  const columns = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];
  const stored: Record<string, StoredEvent> = {};
  for (const [name, event] of Object.entries(events)) {
    const uuid = randomUUID();
    const full: StoredEvent = {
      name,
      uuid,
      hex: uuid.replace(/-/g, ''),
      action: event.action ?? 'login',
      app: event.app ?? 'authentik.core',
      user: event.user ?? {},
      context: event.context ?? {},
      client_ip: event.client_ip ?? null,
      brand: event.brand ?? {},
      created: event.created,
      expires: event.expires ?? FAR_FUTURE,
    };
    await t.dataSource.query(
      `INSERT INTO ${d.quote('events')} (${columns.map((c) => d.quote(c)).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        Buffer.from(full.hex, 'hex'),
        JSON.stringify(full.user),
        full.action,
        full.app,
        JSON.stringify(full.context),
        full.client_ip,
        full.created,
        full.expires,
        JSON.stringify(full.brand),
      ],
    );
    stored[name] = full;
  }
  return stored;
}

/** Names of the visible events a condition selects, sorted (the repository's WHERE, minus paging). */
export async function namesMatching(t: TestApp, events: Record<string, StoredEvent>, condition: SqlCondition): Promise<string[]> {
  const d = resolveDialect(t.dialect);
  const where = and(visibleAt(nowMicros(), d), condition);
  const rows: { id: Buffer }[] = await t.dataSource.query(
    `SELECT ${d.quote('event_uuid')} AS id FROM ${d.quote('events')} WHERE ${where.sql}`,
    where.params,
  );
  const byHex = new Map(Object.values(events).map((event) => [event.hex, event.name]));
  return rows.map((row) => byHex.get(Buffer.from(row.id).toString('hex')) ?? '?').sort();
}

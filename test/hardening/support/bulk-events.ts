import { randomBytes } from 'node:crypto';
import { quote } from '../../events/event-fixtures';
import type { TestApp } from '../../support/test-app';

/** 32 distinct words that every seeded event contains: a plain search for all of them reads every row's text 32 times. */
export const WORDS_IN_EVERY_EVENT = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed eiusmod tempor incididunt labore dolore magna aliqua ' +
  'enim minim veniam quis nostrud exercitation ullamco laboris nisi aliquip commodo consequat duis aute irure reprehenderit'
).split(' ');

const COLUMNS = ['event_uuid', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];
const ROWS_PER_INSERT = 500; // 9 parameters a row: far below either database's limit

/**
 * Test setup only: `count` visible events written straight into the table with multi-row
 * INSERTs in one transaction (the API would take minutes), created one millisecond apart up to
 * now, each with a context of a few hundred characters that holds every WORDS_IN_EVERY_EVENT.
 */
export async function seedEvents(t: TestApp, count: number): Promise<void> {
  const now = Date.now() * 1000;
  const expires = now + 365 * 86_400_000_000;
  const brand = JSON.stringify({ app: 'authentik_brands', model_name: 'brand', pk: 'bulk', name: 'Bulk' });
  const text = WORDS_IN_EVERY_EVENT.join(' ');
  const insert = `INSERT INTO ${quote(t, 'events')} (${COLUMNS.map((c) => quote(t, c)).join(', ')}) VALUES `;
  await t.dataSource.transaction(async (manager) => {
    for (let start = 0; start < count; start += ROWS_PER_INSERT) {
      const rows = Math.min(ROWS_PER_INSERT, count - start);
      const params: unknown[] = [];
      for (let i = start; i < start + rows; i++) {
        params.push(
          randomBytes(16),
          JSON.stringify({ pk: i % 500, username: `bulk-user-${i % 500}` }),
          i % 3 === 0 ? 'login_failed' : 'login',
          'authentik.core',
          JSON.stringify({ note: `${text} ${i}`, http_request: { path: `/if/flow/${i}/`, method: 'GET' } }),
          `192.0.2.${i % 250}`,
          now - (count - i) * 1000,
          expires,
          brand,
        );
      }
      await manager.query(insert + Array.from({ length: rows }, () => `(${COLUMNS.map(() => '?').join(', ')})`).join(', '), params);
    }
  });
}

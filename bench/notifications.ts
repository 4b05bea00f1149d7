import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { installCleanup } from './lib/processes';
import { emptyDatabase, startBuiltService } from './lib/service';

/*
 * Notifications under load (`npm run bench:notifications`, issue 15): the built service on a fresh
 * MariaDB database and a local webhook receiver.
 * 1. `POST /events/events/` at NOTIFY_CONNECTIONS connections for NOTIFY_SECONDS with no rule,
 *    again with 20 rules defined (one matches every created event and delivers to the receiver,
 *    19 match nothing; NOTIFY_MATCHING=0: none matches), and with no rule again once the 20 are
 *    deleted: rule matching is off the request path, so the rate with rules should stay within
 *    10 % of the mean of the two without.
 * 2. NOTIFY_DELIVERIES matching events created with bulk ingest: the time from the first request
 *    until the receiver has seen every delivery's key once.
 */

const TOKEN = 'bench-notify-token-0123456789abcdef';
const DATABASE_URL = process.env.NOTIFY_DATABASE_URL?.trim() || 'mysql://root@127.0.0.1:3306/eventlog_notify_bench';
const SECONDS = Number(process.env.NOTIFY_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.NOTIFY_CONNECTIONS ?? 32);
const DELIVERIES = Number(process.env.NOTIFY_DELIVERIES ?? 10_000);
/** An action of authentik's list (an event-matcher policy offers only those), which nothing else here records. */
const MATCHING_ACTION = 'configuration_error';
/** NOTIFY_MATCHING=0: none of the 20 rules matches the measured creates (the planning cost alone, nothing delivered). */
const MATCHING_RULES = process.env.NOTIFY_MATCHING === '0' ? 0 : 1;

/** A webhook receiver that counts the distinct idempotency keys it acknowledged. */
function startReceiver(): Promise<{ server: Server; url: string; keys: Set<string>; duplicates: () => number }> {
  const keys = new Set<string>();
  let duplicates = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      if (keys.has(key)) duplicates++;
      keys.add(key);
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, keys, duplicates: () => duplicates }),
    ),
  );
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** `count` rules, the first matching MATCHING_ACTION, the others an action no test event has; each with its own webhook transport. Their pks. */
async function defineRules(base: string, hook: string, count: number, prefix: string): Promise<string[]> {
  const pks: string[] = [];
  const admins = (await api(base, 'GET', '/api/v3/core/groups/?name=authentik%20Admins')).results as { pk: string }[];
  for (let i = 0; i < count; i++) {
    const transport = await api(base, 'POST', '/api/v3/events/transports/', {
      name: `${prefix} hook ${i}`,
      mode: 'webhook',
      webhook_url: hook,
    });
    const policy = await api(base, 'POST', '/api/v3/policies/event_matcher/', {
      name: `${prefix} match ${i}`,
      action: i < MATCHING_RULES ? MATCHING_ACTION : 'model_deleted',
    });
    const rule = await api(base, 'POST', '/api/v3/events/rules/', {
      name: `${prefix} rule ${i}`,
      transports: [transport.pk],
      destination_group: admins[0].pk,
      severity: 'notice',
    });
    await api(base, 'POST', '/api/v3/policies/bindings/', { policy: policy.pk, target: rule.pk, order: 0 });
    pks.push(String(rule.pk));
  }
  return pks;
}

/** Creates at CONNECTIONS for SECONDS; requests per second. */
async function createRate(base: string, action: string): Promise<number> {
  const body = JSON.stringify({ action, app: 'bench.notify', context: { note: 'load' } });
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (Date.now() < until) {
      const res = await fetch(`${base}/api/v3/events/events/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body,
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${text.slice(0, 300)}`);
      done++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return done / ((Date.now() - started) / 1000);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Resolves once the receiver has seen no new key for 2 s: the deliveries of a run are done. */
async function deliveriesSettled(keys: Set<string>): Promise<void> {
  for (let seen = -1; keys.size !== seen;) {
    seen = keys.size;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function main(): Promise<void> {
  installCleanup();
  await emptyDatabase(DATABASE_URL, 'NOTIFY_DATABASE_URL');
  const receiver = await startReceiver();
  const service = await startBuiltService({ databaseUrl: DATABASE_URL, token: TOKEN });
  const { base } = service;
  try {
    await createRate(base, 'update_available'); // JIT and pools warm
    // No rule, 20 rules, no rule again (the 20 deleted once their deliveries are done): the table
    // grows and the machine drifts during the runs, so the rate with rules is compared with the
    // mean of the two runs around it.
    const before = await createRate(base, MATCHING_ACTION);
    const rules = await defineRules(base, receiver.url, 20, 'measured');
    const twenty = await createRate(base, MATCHING_ACTION);
    await deliveriesSettled(receiver.keys);
    for (const pk of rules) await api(base, 'DELETE', `/api/v3/events/rules/${pk}/`);
    const after = await createRate(base, MATCHING_ACTION);
    const none = (before + after) / 2;
    console.log(
      `notify: create with no rule ${before.toFixed(1)} and ${after.toFixed(1)} req/s (mean ${none.toFixed(1)}), ` +
        `with 20 rules ${twenty.toFixed(1)} req/s (${(twenty / none).toFixed(2)}x)`,
    );
    if (MATCHING_RULES === 0) return; // nothing would be delivered

    await defineRules(base, receiver.url, 1, 'throughput');
    const started = Date.now();
    const target = receiver.keys.size + DELIVERIES;
    for (let sent = 0; sent < DELIVERIES; sent += 1000) {
      const items = Array.from({ length: Math.min(1000, DELIVERIES - sent) }, (_, i) => ({
        action: MATCHING_ACTION,
        app: 'bench.notify',
        context: { n: sent + i },
      }));
      await api(base, 'POST', '/api/v3/events/events/bulk/', items);
    }
    const created = (Date.now() - started) / 1000;
    const delivered = await waitFor(() => receiver.keys.size >= target, 600_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `notify: ${DELIVERIES} matching events created in ${created.toFixed(1)} s, ` +
        (delivered
          ? `all delivered ${seconds.toFixed(1)} s after the first request`
          : `only ${receiver.keys.size - (target - DELIVERIES)} delivered in 600 s`) +
        `; duplicate keys at the receiver: ${receiver.duplicates()}`,
    );
  } finally {
    await service.stop();
    receiver.server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** One `POST /api/v3/events/events/` as the load saw it. */
export interface CreateOutcome {
  /** The HTTP status, or null when no response arrived. */
  status: number | null;
  body: unknown;
  /**
   * Why no (whole) response arrived: `ECONNREFUSED`, `UND_ERR_SOCKET` (closed by the server),
   * `TimeoutError` (a hang)...; `incomplete body: …` when the headers came but the body did not.
   */
  error?: string;
  startedAt: number;
  ms: number;
}

export interface CreateLoadOptions {
  workers: number;
  /** A request without an answer after this long is aborted and recorded as `TimeoutError`. */
  requestTimeoutMs: number;
  /** The load stops by itself after this long, whatever the test does. */
  maxDurationMs: number;
}

const CREATE_PATH = '/api/v3/events/events/';
const PAUSE_AFTER_FAILURE_MS = 20; // a refused request returns at once; do not spin the CPU

/** Where fetch puts the reason: `TypeError('fetch failed', { cause: { code } })` or an AbortSignal's error. */
function failureName(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: unknown; name?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return e.name;
  return typeof e.cause?.code === 'string' ? e.cause.code : (e.cause?.name ?? e.name ?? String(error));
}

/**
 * Concurrent event creates in a loop, each with a request timeout, recording every outcome, until
 * `stop()` (or `maxDurationMs`). `acknowledged()` are the uuids answered 201.
 */
export class CreateLoad {
  readonly outcomes: CreateOutcome[] = [];
  private stopped = false;
  private readonly workers: Promise<void>[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly options: CreateLoadOptions,
  ) {}

  start(): this {
    const deadline = Date.now() + this.options.maxDurationMs;
    for (let worker = 0; worker < this.options.workers; worker++) {
      this.workers.push(
        (async () => {
          for (let n = 0; !this.stopped && Date.now() < deadline; n++) {
            const outcome = await this.createOne({ worker, n });
            this.outcomes.push(outcome);
            if (outcome.status !== 201) await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_FAILURE_MS));
          }
        })(),
      );
    }
    return this;
  }

  async stop(): Promise<CreateOutcome[]> {
    this.stopped = true;
    await Promise.all(this.workers);
    return this.outcomes;
  }

  /** Outcomes of requests started at or after `time`. */
  since(time: number): CreateOutcome[] {
    return this.outcomes.filter((o) => o.startedAt >= time);
  }

  /** Waits until `enough(outcomes)` holds; throws after `timeoutMs`. */
  async waitUntil(what: string, enough: (outcomes: CreateOutcome[]) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!enough(this.outcomes)) {
      if (Date.now() > deadline) throw new Error(`load: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  acknowledged(): string[] {
    return this.outcomes.filter((o) => o.status === 201).map((o) => (o.body as { pk: string }).pk);
  }

  /** Plain fetch rather than ApiClient: a refused request and a cut-off response must be told apart. */
  private async createOne(context: { worker: number; n: number }): Promise<CreateOutcome> {
    const startedAt = Date.now();
    const ended = (fields: Pick<CreateOutcome, 'status' | 'body' | 'error'>): CreateOutcome => ({
      ...fields,
      startedAt,
      ms: Date.now() - startedAt,
    });
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${CREATE_PATH}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'configuration_warning', app: 'eventlog.faults', context }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      return ended({ status: null, body: undefined, error: failureName(error) });
    }
    try {
      return ended({ status: response.status, body: JSON.parse(await response.text()) });
    } catch (error) {
      return ended({ status: response.status, body: undefined, error: `incomplete body: ${failureName(error)}` });
    }
  }
}

const UNAVAILABLE_BODY = JSON.stringify({ detail: 'Service temporarily unavailable.' });
/** How a closed listener or a server-closed idle keep-alive connection shows in fetch. */
const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/** A whole 201 with the created event, or docs/api-contract.md §1's 503: what a client may see while the database is away. */
export function isAcceptedOrUnavailable(o: CreateOutcome): boolean {
  if (o.error) return false;
  if (o.status === 201) return typeof (o.body as { pk?: unknown }).pk === 'string';
  return o.status === 503 && JSON.stringify(o.body) === UNAVAILABLE_BODY;
}

/** While the service shuts down, also: the connection was refused or closed before any response. */
export function isAcceptedUnavailableOrRefused(o: CreateOutcome): boolean {
  return isAcceptedOrUnavailable(o) || (o.status === null && REFUSED.has(o.error ?? ''));
}

/** Counts per status (or error name), for messages and the report. */
export function tally(outcomes: CreateOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === null ? `error:${o.error}` : String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The slowest of `outcomes` in ms, and the median, for the report. */
export function durations(outcomes: CreateOutcome[]): { count: number; medianMs: number; maxMs: number } {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return { count: ms.length, medianMs: ms[Math.floor(ms.length / 2)] ?? 0, maxMs: ms[ms.length - 1] ?? 0 };
}

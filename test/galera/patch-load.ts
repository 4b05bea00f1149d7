/** One PATCH of the load: which event, the value it set, and how it ended. */
export interface PatchOutcome {
  uuid: string;
  /** Set as `context.patched`: unique to this request. */
  value: string;
  status: number | null;
  error?: string;
  startedAt: number;
  ms: number;
}

/**
 * PATCHes in a loop through one instance, each of an event taken once from `next()` (events
 * created through another instance, on another node: the PATCH must see them), each setting
 * `context.patched` to a value of its own, until `stop()`.
 */
export class PatchLoad {
  readonly outcomes: PatchOutcome[] = [];
  private stopped = false;
  private readonly workers: Promise<void>[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly next: () => string | undefined,
    private readonly requestTimeoutMs: number,
  ) {}

  start(workers: number): this {
    for (let worker = 0; worker < workers; worker++) {
      this.workers.push(
        (async () => {
          for (let n = 0; !this.stopped; n++) {
            const uuid = this.next();
            if (!uuid) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            this.outcomes.push(await this.patchOne(uuid, `w${worker}-${n}-${uuid.slice(0, 8)}`));
          }
        })(),
      );
    }
    return this;
  }

  async stop(): Promise<PatchOutcome[]> {
    this.stopped = true;
    await Promise.all(this.workers);
    return this.outcomes;
  }

  private async patchOne(uuid: string, value: string): Promise<PatchOutcome> {
    const startedAt = Date.now();
    const ended = (fields: Pick<PatchOutcome, 'status' | 'error'>): PatchOutcome => ({
      uuid,
      value,
      ...fields,
      startedAt,
      ms: Date.now() - startedAt,
    });
    try {
      const response = await fetch(`${this.baseUrl}/api/v3/events/events/${uuid}/`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${this.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ context: { patched: value } }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      const text = await response.text();
      return ended(response.status === 200 ? { status: 200 } : { status: response.status, error: text.slice(0, 200) });
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string } };
      return ended({ status: null, error: e.cause?.code ?? e.name ?? String(error) });
    }
  }
}

import type { Logger } from '@nestjs/common';
import type { HeldLease, JobLeases } from './job-leases';

/**
 * A job that one instance at a time runs (its lease in job_leases), every so often and on demand:
 * the shape shared by the counter fold and the notification and export clean-ups. A call while a
 * run is under way gets that run's result instead of starting another; a run skipped because
 * another instance holds the lease resolves to `skipped`. `stop` (at shutdown) ends the timer and
 * waits for a run under way.
 */
export class LeasedJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | null = null;

  constructor(
    private readonly leases: JobLeases,
    private readonly leaseName: string,
    private readonly skipped: T,
  ) {}

  /** Runs `work` under the lease now, unless a run is under way (then its result). */
  run(work: (lease: HeldLease) => Promise<T>): Promise<T> {
    this.running ??= this.leases
      .runOnce(this.leaseName, work)
      .then((leased) => (leased.ran ? leased.result : this.skipped))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Calls `tick` every `intervalMs` (not at all when it is 0 or less); a failure is logged, the next tick tries again. */
  every(intervalMs: number, tick: () => Promise<unknown>, logger: Logger, failure: string): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      tick().catch((error: Error) => logger.error(`${failure}: ${error.message}`));
    }, intervalMs);
    // A periodic job never keeps the process alive (shutdown, the CLI, tests).
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}

/** Time between two progress lines: a long purge shows it is alive, a short one stays quiet. */
const EVERY_MS = 5000;

/**
 * Progress lines for `npm run purge`, like the seeder's in a log (`bench/seed.ts`): done of total,
 * percentage, rate and time left, at most every 5 s. Plain lines rather than a bar, since the
 * purge runs from cron and CI as often as from a terminal.
 */
export class PurgeProgress {
  private readonly started: number;
  private lastReport: number;

  constructor(
    private readonly total: number,
    private readonly print: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly everyMs = EVERY_MS,
  ) {
    this.started = this.lastReport = now();
  }

  update(deleted: number): void {
    const now = this.now();
    if (now - this.lastReport < this.everyMs) return;
    this.lastReport = now;
    const seconds = (now - this.started) / 1000;
    const rate = deleted / seconds;
    const left = Math.max(0, this.total - deleted);
    const percent = this.total > 0 ? Math.min(100, Math.floor((deleted / this.total) * 100)) : 100;
    const eta = rate > 0 ? `, about ${Math.ceil(left / rate)} s left` : '';
    this.print(`purge: ${deleted}/${this.total} expired events deleted (${percent}%), ${Math.round(rate)} events/s${eta}`);
  }
}

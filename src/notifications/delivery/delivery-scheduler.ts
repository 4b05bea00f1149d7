import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { EventSaves } from '../../events';
import { DeliveryPlanner, PLAN_BATCH } from './delivery-planner';
import { DeliveryWorker } from './delivery-worker';

/** The longest shutdown waits for sends in flight; a send cut off is sent again after its lease. */
const SHUTDOWN_DRAIN_MS = 5_000;
/**
 * How long after a save the planner waits for more saves to plan with it. Planning reads the
 * rules and the batch's events and writes its deliveries once per batch; run at once after every
 * save, a busy instance planned a few events per batch and paid those reads each time.
 */
export const PLAN_GATHER_MS = 50;

/**
 * Runs the planner and the delivery worker while NOTIFICATION_WORKERS is on: every
 * NOTIFICATION_POLL_MS (work left by other instances, an earlier life of this one, retries coming
 * due), PLAN_GATHER_MS after a save in this process (EventSaves), and whenever a send frees a slot. Each
 * loop runs one pass at a time; a nudge during a pass makes it go round once more, so no nudge
 * is lost. Plain timers, as the export cleanup's: no cron expression fits a sub-second poll.
 */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private gathering: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = true;
  private readonly planning = new Pass(() => this.planPass());
  private readonly delivering = new Pass(() => this.deliverPass());

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly saves: EventSaves,
    private readonly planner: DeliveryPlanner,
    private readonly worker: DeliveryWorker,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.notifications.workers) return;
    this.stopped = false;
    this.worker.onSlotFree = () => this.deliver();
    this.unsubscribe = this.saves.subscribe(() => this.planSoon());
    this.timer = setInterval(() => {
      this.plan();
      this.deliver();
    }, this.config.notifications.pollMs);
    this.timer.unref();
    this.plan();
    this.deliver();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.gathering);
    this.unsubscribe?.();
    let timeout: NodeJS.Timeout | undefined;
    const waited = Promise.all([this.planning.idle(), this.delivering.idle(), this.worker.drain()]);
    await Promise.race([waited, new Promise((resolve) => (timeout = setTimeout(resolve, SHUTDOWN_DRAIN_MS)))]);
    clearTimeout(timeout);
  }

  /** Looks at the outbox now. */
  plan(): void {
    if (!this.stopped) this.planning.request();
  }

  /** Looks at the outbox PLAN_GATHER_MS from now, with whatever else was saved meanwhile. */
  private planSoon(): void {
    this.gathering ??= setTimeout(() => {
      this.gathering = undefined;
      this.plan();
    }, PLAN_GATHER_MS);
  }

  /** Looks for due deliveries now. */
  deliver(): void {
    if (!this.stopped) this.delivering.request();
  }

  /** Plans batches until the outbox is empty; true: go round again. */
  private async planPass(): Promise<boolean> {
    try {
      const { entries, deliveries } = await this.planner.planBatch();
      if (deliveries > 0) this.deliver();
      return entries === PLAN_BATCH && !this.stopped;
    } catch (error) {
      this.logger.error(`planning deliveries failed: ${(error as Error).message}`);
      return false;
    }
  }

  /** Fills the free slots; a send finishing asks again (onSlotFree). */
  private async deliverPass(): Promise<boolean> {
    try {
      await this.worker.claimAndStart();
    } catch (error) {
      this.logger.error(`claiming deliveries failed: ${(error as Error).message}`);
    }
    return false;
  }
}

/** Runs `pass` one at a time, again while it says so or while it was requested during a run. */
class Pass {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly pass: () => Promise<boolean>) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = null));
  }

  async idle(): Promise<void> {
    await this.running;
  }

  private async loop(): Promise<void> {
    let more = true;
    while (more || this.again) {
      this.again = false;
      more = await this.pass();
    }
  }
}

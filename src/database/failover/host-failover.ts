import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { DatabaseHost } from '../../config/database-hosts';
import { probeHost } from './probe-host';

export interface HostFailoverOptions {
  /** How often the hosts are checked while a pool uses them (DATABASE_FAILOVER_CHECK_MS). */
  checkEveryMs: number;
  /** Longest wait for one host's answer (DATABASE_TIMEOUT_MS). */
  timeoutMs: number;
  /** Resolves when a host can serve (the default asks the server, see probe-host.ts); tests replace it. */
  probe?: (host: DatabaseHost) => Promise<void>;
}

/**
 * Which of DATABASE_URL's hosts this instance uses: the first usable one in the list. Checked at
 * the first connection, every `checkEveryMs` while a pool is open, and at once when a pool could
 * not open a connection (`suspect`), never per statement. So an instance moves to the next host
 * when its host dies or leaves Galera's primary component, and back to an earlier one when that
 * returns. Emits `failover` (from, to) on each move; `usable` is false while no host is.
 */
export class HostFailover extends EventEmitter {
  private readonly logger = new Logger('Database');
  private currentIndex = 0;
  private usableNow = true;
  private checking: Promise<void> | null = null;
  private firstCheck: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private users = 0;
  private readonly probe: (host: DatabaseHost) => Promise<void>;

  constructor(
    readonly hosts: readonly DatabaseHost[],
    private readonly options: HostFailoverOptions,
  ) {
    super();
    this.probe = options.probe ?? ((host) => probeHost(host, options.timeoutMs));
  }

  get current(): DatabaseHost {
    return this.hosts[this.currentIndex];
  }

  /** False while the last check found no usable host (readiness answers 503). */
  get usable(): boolean {
    return this.usableNow;
  }

  /** Resolves once the first check has chosen a host. */
  ready(): Promise<void> {
    this.firstCheck ??= this.check();
    return this.firstCheck;
  }

  /** A pool could not reach the current host: check now rather than at the next period. */
  suspect(): void {
    void this.check();
  }

  /** Looks for the first usable host and moves there; one check at a time. */
  check(): Promise<void> {
    this.checking ??= this.findUsable().finally(() => (this.checking = null));
    return this.checking;
  }

  /** A pool starts using the hosts: the periodic check runs while at least one does. */
  open(): void {
    this.users += 1;
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs);
    this.timer.unref();
  }

  close(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async findUsable(): Promise<void> {
    for (const [index, host] of this.hosts.entries()) {
      try {
        await this.probe(host);
      } catch (error) {
        if (index === this.currentIndex && this.usableNow) {
          this.logger.warn(`database host ${host.host}:${host.port} is not usable: ${(error as Error).message}`);
        }
        continue;
      }
      this.usableNow = true;
      if (index !== this.currentIndex) this.moveTo(index);
      return;
    }
    if (this.usableNow) this.logger.error(`no database host is usable (${this.hosts.map((h) => `${h.host}:${h.port}`).join(', ')})`);
    this.usableNow = false;
  }

  private moveTo(index: number): void {
    const from = this.current;
    this.currentIndex = index;
    this.logger.warn(`database failover: from ${from.host}:${from.port} to ${this.current.host}:${this.current.port}`);
    this.emit('failover', from, this.current);
  }
}

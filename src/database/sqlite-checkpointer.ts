import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../config/app-config';

/** What the checkpointer thread is told: how often to copy, and when to start the WAL over. */
export interface CheckpointSchedule {
  /** Milliseconds between two copies (PASSIVE checkpoints). */
  intervalMs: number;
  /** WAL pages after which a copy is followed by a RESTART, so the next commit writes the WAL from its start. */
  restartAfterPages: number;
  /** How long a RESTART may wait for the writer's transaction and for readers of the old WAL. */
  restartWaitMs: number;
}

/**
 * Measured with `BENCH_CHECKPOINTER=1 BENCH_GAP_US=3000 BENCH_BATCHES=16 npm run
 * bench:sqlite-batches` (1M events): 100 ms and 2 000 pages left the commits 131-171 µs a
 * create, 200 ms and 4 000 pages 161-199 µs. Between two copies the WAL holds what the writes of that time
 * dirtied; a page written many times meanwhile (the ends of the time-ordered indexes, the
 * counters) is copied once.
 */
const SCHEDULE: CheckpointSchedule = { intervalMs: 100, restartAfterPages: 2000, restartWaitMs: 20 };

/** Whether a process with this configuration checkpoints from a thread (see below). */
export function checkpointsInBackground(config: AppConfig): boolean {
  // An in-memory database has no WAL; no other connection could open it.
  return config.database.type === 'sqlite' && config.database.url !== ':memory:';
}

/**
 * The program of the checkpointer thread, run with `new Worker(…, { eval: true })` so the same
 * text works from the build and under ts-jest. PASSIVE never waits: it copies the pages no reader
 * still needs while the main connection keeps committing. But the WAL starts over only after a
 * copy that caught up with the last commit, which never happens while writes keep coming; so
 * past `restartAfterPages` a RESTART takes the write lock for the rest of the copy (commits that
 * meet it are retried by sqlite-busy.ts, the event loop free) and waits up to `restartWaitMs` for
 * readers of the old WAL; if they stay longer, the next pass tries again (so while a long read
 * holds the old WAL, writes may wait up to that long every pass, and the WAL grows until it ends).
 */
export const SQLITE_CHECKPOINTER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const { intervalMs, restartAfterPages, restartWaitMs } = workerData.schedule;
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('busy_timeout = ' + restartWaitMs);
const copy = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
setInterval(() => {
  if (copy.get().log >= restartAfterPages) restart.get();
}, intervalMs);
`;

/**
 * Copies SQLite's write-ahead log back into the database file from a thread of its own. Left to
 * itself, SQLite does that copy, and its two fsyncs, inside the commit that finds the WAL full, on
 * the event loop, blocking every request meanwhile. With the thread the loop only appends to the
 * WAL: in `npm run bench:sqlite-batches` (1M events, 16 creates a commit, 3 ms of other work
 * between commits) the commits cost the loop 315-341 µs a create with SQLite's checkpoints every
 * 250 pages and 131-171 µs with the thread. The thread runs at normal priority: the copy has to
 * keep pace with the writes.
 *
 * It runs where DatabaseModule does (the service, `npm run purge`), from the end of the
 * migrations on, and only for a file (checkpointsInBackground). While it runs the main
 * connection has no automatic checkpoint of its own; if it stops unexpectedly, the main
 * connection gets its own back (`commitCheckpoints`).
 */
export class SqliteCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SqliteCheckpointer');
  private worker: Worker | null = null;

  constructor(
    private readonly config: AppConfig,
    /** Turns the main connection's own automatic checkpoints (`wal_autocheckpoint`) on or off. */
    private readonly commitCheckpoints: (on: boolean) => Promise<unknown>,
    private readonly schedule: CheckpointSchedule = SCHEDULE,
  ) {}

  /** After the migrations (DatabaseModule's onModuleInit), which checkpoint as SQLite does. */
  async onApplicationBootstrap(): Promise<void> {
    if (!checkpointsInBackground(this.config)) return;
    await this.commitCheckpoints(false);
    const worker = new Worker(SQLITE_CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { driverPath: require.resolve('better-sqlite3'), file: this.config.database.url, schedule: this.schedule },
    });
    worker.on('error', (error) => this.logger.warn(`the WAL checkpointer failed: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker !== worker) return; // stopped by onApplicationShutdown
      this.worker = null;
      this.logger.warn('the WAL checkpointer stopped: commits copy the WAL back themselves from now on');
      this.commitCheckpoints(true).catch((error: Error) =>
        this.logger.error(`could not turn commit checkpoints back on: ${error.message}`),
      );
    });
    // Never keeps the process alive (shutdown, tests).
    worker.unref();
    this.worker = worker;
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}

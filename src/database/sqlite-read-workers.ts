import { Worker } from 'node:worker_threads';
import { DatabaseTimeoutError } from './bounded-mysql2';
import { HeavyReads } from './heavy-reads';
import { SQLITE_READ_WORKER_SOURCE } from './sqlite-read-worker.source';

type Row = Record<string, unknown>;

/** The workers' nice value (0 normal, 19 lowest): they yield the CPU to the event loop's thread. */
const WORKER_NICENESS = 10;
type Answer = { rows: Row[]; error?: undefined } | { rows?: undefined; error: { message: string; code?: string } };

/**
 * `size` worker threads, each with a read-only connection to the SQLite file, that run the heavy
 * reads (see HeavyReads) so the event loop stays free. They start with the first read and are
 * kept: a worker takes statements once it has opened its connection, so starting one never
 * counts against a statement's time. A statement still running `timeoutMs` after the call
 * (waiting for a worker included) is answered 503 and its worker is terminated, which stops the
 * statement; a replacement starts once the thread has ended, so abandoned statements never pile
 * up beyond `size` threads.
 */
export class SqliteReadWorkers extends HeavyReads {
  /** Every thread not yet ended: starting, idle, busy or being terminated. */
  private readonly live = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async query<T = Row>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const deadline = Date.now() + this.timeoutMs;
    while (!this.closed && this.live.size < this.size) this.start();
    const worker = await this.acquire(deadline);
    let answer: Answer;
    try {
      answer = await this.ask(worker, sql, params, deadline);
    } catch (error) {
      void worker.terminate(); // its `exit` starts a replacement
      throw error;
    }
    this.release(worker);
    if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
    return (answer.rows as Row[]).map(withBuffers) as T[];
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map((worker) => worker.terminate()));
  }

  private acquire(deadline: number): Promise<Worker> {
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const take = (worker: Worker) => {
        clearTimeout(timer);
        resolve(worker);
      };
      const timer = setTimeout(
        () => {
          this.waiting.splice(this.waiting.indexOf(take), 1);
          reject(new DatabaseTimeoutError('waiting for a read worker', this.timeoutMs));
        },
        Math.max(0, deadline - Date.now()),
      );
      this.waiting.push(take);
    });
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  private start(): void {
    const worker = new Worker(SQLITE_READ_WORKER_SOURCE, {
      eval: true,
      workerData: {
        driverPath: require.resolve('better-sqlite3'),
        file: this.file,
        busyTimeoutMs: this.timeoutMs,
        niceness: WORKER_NICENESS,
      },
    });
    this.live.add(worker);
    worker.once('message', () => this.release(worker)); // { ready: true }
    // An error ends the thread; `ask` reports it to the statement's caller, if any.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      this.live.delete(worker);
      const idle = this.idle.indexOf(worker);
      if (idle >= 0) this.idle.splice(idle, 1);
      // A worker that cannot even start (file gone) is not restarted in a loop: the next read starts one.
      if (!this.closed && this.waiting.length > 0) this.start();
    });
    // Threads never keep the process alive (shutdown, the CLI, tests).
    worker.unref();
  }

  private ask(worker: Worker, sql: string, params: readonly unknown[], deadline: number): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (answer: Answer) => {
        done();
        resolve(answer);
      };
      const onError = (error: Error) => {
        done();
        reject(error);
      };
      const onExit = () => onError(new Error('SQLite read worker exited'));
      const timer = setTimeout(
        () => {
          done();
          reject(new DatabaseTimeoutError('a statement', this.timeoutMs));
        },
        Math.max(0, deadline - Date.now()),
      );
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ sql, params });
    });
  }
}

/** Structured cloning hands BLOBs over as Uint8Arrays; the rest of the code expects Buffers. */
function withBuffers(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return row;
}

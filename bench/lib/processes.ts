import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The servers under test run as child processes. Every child is registered here and killed when
 * the benchmark ends, fails, or is interrupted, so nothing is left running.
 */
const children = new Set<ChildProcess>();

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines it wrote (for error messages). */
  tail(): string;
  exited: Promise<number | null>;
}

export function startProcess(
  name: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; logFile: string },
): ManagedProcess {
  const child = spawn(process.execPath, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not start`);
  children.add(child);
  const log = createWriteStream(options.logFile);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      log.end();
      resolve(code);
    }),
  );
  return { name, child, pid: child.pid, tail: () => lines.join('\n'), exited };
}

/** SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess(proc: ManagedProcess, graceMs = 5000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

export function killAllNow(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Kill the children whatever way this process ends. */
export function installCleanup(): void {
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping`);
      killAllNow();
      process.exit(130);
    });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; fails early if the process dies. */
export async function waitUntilReady(proc: ManagedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.tail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.name} not ready at ${url} after ${timeoutMs / 1000} s:\n${proc.tail()}`);
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used, ms, from /proc (Linux; null elsewhere). The
 * kernel counts it in USER_HZ ticks, 100 a second on Linux.
 */
export function cpuMs(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime: fields 14 and 15 of the line
  } catch {
    return null;
  }
}

/** The ids of this machine's processes whose command name is one of `names` (Linux /proc; none elsewhere). */
export function processIdsNamed(...names: string[]): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    try {
      return names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim()) ? [Number(entry)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

/** Samples a process's RSS a few times a second; `takeMax` returns the peak since the last call. */
export class RssSampler {
  private peak = 0;
  private overall = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const mb = rssMb(this.pid);
    if (mb === null) return;
    this.peak = Math.max(this.peak, mb);
    this.overall = Math.max(this.overall, mb);
  }

  takeMax(): number {
    this.sample();
    const peak = this.peak;
    this.peak = 0;
    return peak;
  }

  get max(): number {
    return this.overall;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

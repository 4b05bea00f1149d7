/**
 * A reason the service cannot start that the operator can fix: a bad setting, a database that is
 * not there, a port in use. `main` prints its lines to stderr, without a stack, and exits 1.
 * The first line names the setting; the others say what to do.
 */
export class StartupFailure extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }

  /** What the operator reads: `eventlog cannot start: <first line>`, the rest indented. */
  get report(): string {
    return this.reportAs('eventlog cannot start');
  }

  /** The same for another program on the same settings, e.g. `purge cannot run: <first line>`. */
  reportAs(what: string): string {
    const [first, ...rest] = this.lines;
    return [`${what}: ${first}`, ...rest.map((line) => `  ${line}`)].join('\n');
  }
}

/** The `code` of a Node or driver error (`ECONNREFUSED`, `ER_BAD_DB_ERROR`, `SQLITE_CANTOPEN`...). */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

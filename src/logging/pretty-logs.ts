import type { DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * Logs for a person at a terminal (LOG_FORMAT=pretty): one line per entry, local time, the Nest
 * context in brackets, a request as `GET /path 200 (3 ms)`. Synchronous, so that the last lines
 * before an exit are not lost.
 */
export function prettyLogStream(): DestinationStream {
  return pinoPretty({
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}

/** The message of a request line in pretty logs (JSON keeps pino-http's fields). */
export function requestSummary(req: { method?: string; url?: string }, res: { statusCode: number }, responseTime: number): string {
  return `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} (${Math.round(responseTime)} ms)`;
}

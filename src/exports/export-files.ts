import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where finished exports are kept: `<DATA_DIR>/exports/<id>.csv`. */
export function exportsDirectory(dataDir: string): string {
  return join(dataDir, 'exports');
}

export function exportFilePath(dataDir: string, id: string): string {
  return join(exportsDirectory(dataDir), `${id}.csv`);
}

/** The unfinished file, renamed to `exportFilePath` once complete. */
export function partialExportFilePath(dataDir: string, id: string): string {
  return `${exportFilePath(dataDir, id)}.partial`;
}

/**
 * Writes text chunks (a thousand CSV lines each) to `destination` with backpressure: the next
 * chunk is pulled only when the one before is being written, so memory stays at about two chunks
 * however large the export. Node 20's `Readable.from` already reads one value per `_read`; the
 * explicit high-water mark of one chunk keeps that bound should its default read-ahead change.
 */
export async function writeChunks(chunks: AsyncIterable<string>, destination: Writable): Promise<void> {
  await pipeline(Readable.from(chunks, { highWaterMark: 1 }), destination);
}

/** The name a download is saved under, as authentik names its event exports. */
export function exportDownloadName(id: string): string {
  return `events_${id}.csv`;
}

/** Logs progress every `every` rows: which milestones `total` has passed since `before`. */
export function passedMilestone(before: number, total: number, every: number): number | null {
  const milestone = Math.floor(total / every) * every;
  return milestone > before && milestone > 0 ? milestone : null;
}

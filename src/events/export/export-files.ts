import { join } from 'node:path';

/** Where finished exports are kept: `<DATA_DIR>/exports/<id>.csv`. */
export function exportsDirectory(dataDir: string): string {
  return join(dataDir, 'exports');
}

export function exportFilePath(dataDir: string, id: string): string {
  return join(exportsDirectory(dataDir), `${id}.csv`);
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

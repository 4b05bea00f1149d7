import type { Micros } from '@app/common';

/** A row of `data_exports`. */
export interface DataExportRecord {
  id: string;
  /** The requesting user's pk; null once that user is deleted. */
  requestedBy: number | null;
  requestedOn: Micros;
  /** `app_label.model` of what is exported; only `authentik_events.event` exists. */
  contentType: string;
  /** The list filters as the request gave them (a repeated parameter as an array). */
  queryParams: Record<string, unknown>;
  completed: boolean;
  completedOn: Micros | null;
}

export const EVENTS_CONTENT_TYPE = 'authentik_events.event';

import { stringify } from 'csv-stringify/sync';
import { formatMicros } from '@app/common';
import { storedDocumentJson } from '../dto/event.dto';
import { bytesToUuid, EventRow } from '../event-row';

/** The nine fields of an Event (docs/api-contract.md §2), in the API's order. */
export const EVENT_CSV_HEADER = ['pk', 'user', 'action', 'app', 'context', 'client_ip', 'created', 'expires', 'brand'];

/**
 * RFC 4180: CRLF between records, and a field quoted when it holds a comma, a quote (doubled), or
 * any line break: csv-stringify quotes only its own record delimiter unless told to, so a lone
 * `\n` or `\r` inside a value is matched explicitly. Text is UTF-8 as it is.
 */
const OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

export function csvHeaderLine(): string {
  return stringify([EVENT_CSV_HEADER], OPTIONS);
}

/**
 * One line per event, from its stored row: objects as their JSON text, datetimes as the API writes
 * them, a null IP empty. The documents go into their cells as stored (storedDocumentJson), as
 * eventJson copies them into a JSON body.
 */
export function csvLines(rows: readonly EventRow[]): string {
  return stringify(rows.map(csvRecord), OPTIONS);
}

function csvRecord(row: EventRow): string[] {
  return [
    bytesToUuid(row.event_uuid),
    storedDocumentJson(row.user),
    row.action,
    row.app,
    storedDocumentJson(row.context),
    row.client_ip ?? '',
    formatMicros(Number(row.created))!,
    formatMicros(Number(row.expires))!,
    storedDocumentJson(row.brand),
  ];
}

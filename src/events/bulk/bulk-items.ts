import { badRequestList, DrfMessage, FieldErrors, nonFieldError, validateDrfBody } from '@app/common';
import { BulkEventRequest } from './bulk-event-request.dto';

/** The body of a bulk ingest after checking: the items, or DRF's 400 to answer. */
export type BulkItems = BulkEventRequest[];

export const TAKEN_PK = DrfMessage.unique('Event', 'Event uuid');

/**
 * Checks a bulk ingest body as DRF's ListSerializer(child=EventSerializer, allow_empty=False,
 * max_length=maxItems) would: a list, neither empty nor too long (400 under `non_field_errors`),
 * then each item as a single create checks its body. Any invalid item fails the whole request
 * with one entry per item, `{}` for the valid ones. A `pk` given twice is refused on its later
 * items, as the database would refuse the second row.
 */
export async function checkBulkItems(body: unknown, maxItems: number): Promise<BulkItems> {
  if (!Array.isArray(body)) throw nonFieldError(DrfMessage.list(body === undefined ? {} : body));
  if (body.length === 0) throw nonFieldError(DrfMessage.listEmpty);
  if (body.length > maxItems) throw nonFieldError(DrfMessage.listMaxLength(maxItems));
  const items: BulkEventRequest[] = [];
  const errors: FieldErrors[] = [];
  const seen = new Set<string>();
  for (const element of body) {
    const result = await validateDrfBody(BulkEventRequest, element);
    if ('errors' in result) {
      errors.push(result.errors);
      continue;
    }
    const pk = result.value.pk;
    if (pk !== undefined && seen.has(pk)) {
      errors.push({ pk: [TAKEN_PK] });
      continue;
    }
    if (pk !== undefined) seen.add(pk);
    items.push(result.value);
    errors.push({});
  }
  if (items.length < body.length) throw badRequestList(errors);
  return items;
}

/** 400 naming the items whose `pk` is taken (`{}` for the others). */
export function takenPks(items: BulkItems, taken: Set<string>): never {
  throw badRequestList(items.map((item) => (item.pk !== undefined && taken.has(item.pk) ? { pk: [TAKEN_PK] } : {})));
}

import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import type { EventRecord } from '../event.types';
import { EventActor, EventsService } from '../events.service';
import { BulkItems, checkBulkItems, takenPks } from './bulk-items';

/**
 * Bulk ingest: many events in one request, committed together (docs/api-contract.md §3.8). Every
 * item is checked first; one invalid item, or one `pk` already taken, stores nothing.
 */
@Injectable()
export class EventsBulkService {
  constructor(
    private readonly events: EventsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(body: unknown, actor: EventActor): Promise<EventRecord[]> {
    const items = await checkBulkItems(body, this.config.bulk.maxEvents);
    const chosen = items.flatMap((item) => (item.pk === undefined ? [] : [item.pk]));
    if (chosen.length > 0) await this.refuseTaken(items, chosen);
    const inputs = items.map(({ pk, ...input }) => ({ ...input, uuid: pk }));
    try {
      return await this.events.createMany(inputs, actor);
    } catch (error) {
      // Another request took one of the ids between the check and the write: name it now.
      if (chosen.length > 0 && isPrimaryKeyViolation(error)) await this.refuseTaken(items, chosen);
      throw error;
    }
  }

  private async refuseTaken(items: BulkItems, chosen: string[]): Promise<void> {
    const taken = await this.events.existingUuids(chosen);
    if (taken.size > 0) takenPks(items, taken);
  }
}

function isPrimaryKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

import type { EntityManager } from 'typeorm';
import type { EventRecord, NewEvent } from '../event.types';
import type { EventCreator, PreparedCreate } from './event-recorder';

/** Test helpers for the recorders (imported by the specs only). */

/** Stands in for the database-backed service: keeps what would be stored. */
export class StoredEvents implements EventCreator {
  stored: NewEvent[] = [];

  async create(input: NewEvent): Promise<EventRecord> {
    this.stored.push(input);
    return asRecord(input);
  }

  async prepareCreate(input: NewEvent): Promise<PreparedCreate> {
    return {
      stored: asRecord(input),
      run: (_manager: EntityManager) => this.create(input),
      discard: () => undefined,
    };
  }
}

function asRecord(input: NewEvent): EventRecord {
  return {
    uuid: '0f8e4b5a-c1d2-4f0e-9a7b-3c2d1e0f9a8b',
    user: {},
    context: {},
    client_ip: null,
    created: 0,
    expires: 0,
    brand: {},
    ...input,
  };
}

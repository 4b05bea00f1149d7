import { v7 } from 'uuid';

/**
 * The uuid of a new event: a UUIDv7, whose first 48 bits are the time in ms (RFC 9562), so that
 * uuids sort in the order the events were made. The uuid is the clustered key of `events` on
 * MariaDB and the key of `event_revisions` on both databases: with a random uuid4 (authentik's
 * choice) every insert lands on a random leaf of a table far larger than the buffer pool and
 * reads it from disk first; in time order the inserts share the few newest leaves. To clients it
 * is the same dashed uuid string (`format: uuid`); nothing reads the version. Within one ms the
 * uuids of a process count up (uuid's monotonic v7), so they are guessable: an event's uuid was
 * never a secret (reading it takes `view_event`), and its time is the event's public `created`.
 */
export function newEventUuid(): string {
  return v7();
}

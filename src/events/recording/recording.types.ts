import type { EntityManager } from 'typeorm';
import type { Principal } from '@app/auth';
import type { UserEntity, UserSnapshot } from '@app/common';
import type { HttpRequestLike } from './http-request-context';

/**
 * An HTTP request an event can be recorded for: a `FastifyRequest` fits as it is. The bearer
 * guard stores the authenticated caller on it as `principal`.
 */
export interface RecordableRequest extends HttpRequestLike {
  socket: { remoteAddress?: string };
  principal?: Principal;
}

/** Who acted: the authenticated principal, a user snapshot, or a user entity. */
export type RecordableUser = Principal | UserSnapshot | UserEntity;

/** Everything but the action of an event recorded from inside the process (docs/api-contract.md §6). */
export interface RecordOptions {
  /** The recording module, e.g. `authentik.core`; an `EventRecorder` fills in its module's name. */
  app?: string;
  /** Free-form details. Made JSON-safe and masked before storing; the caller's objects stay untouched. */
  context?: Record<string, unknown>;
  /** The request this event belongs to: fills `context.http_request`, `user` and `client_ip`. */
  request?: RecordableRequest;
  /** The acting user; by default the request's authenticated principal, else none (`{}`). */
  user?: RecordableUser;
  /** The brand snapshot; by default the default brand. */
  brand?: Record<string, unknown>;
  /**
   * The caller's transaction: the event is written in it, so it commits or rolls back together
   * with the change it describes.
   */
  manager?: EntityManager;
}

/**
 * What `RequestEventRecorder.record` takes: the same options, the request already bound. Every
 * recorder takes one options object, so a context passed where the options belong
 * (`record('logout', { reason })`) is a type error, not an event stored in another shape.
 */
export type RequestRecordOptions = Omit<RecordOptions, 'request'>;

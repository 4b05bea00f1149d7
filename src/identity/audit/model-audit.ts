import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AS_MODEL_REF, ModelEntity } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { mayPauseInTransactions } from '../../database/transaction-pauses';
import {
  EventRecorder,
  ModelDiff,
  modelDiff,
  modelDiffSliced,
  ModelState,
  PreparedRecord,
  RecordableRequest,
  RecordableUser,
} from '../../events';

/** Where a change comes from: the HTTP request (whose principal is the actor) and/or the actor. */
export interface AuditOrigin {
  request?: RecordableRequest;
  /** Overrides the request's principal as the acting user. */
  actor?: RecordableUser;
}

// `secret_view` comes from authentik's tokens API, not from its audit middleware, whose name is
// the recorder's own (identity.module.ts) and the `app` of every model event.
const TOKENS_API_APP = 'authentik.core.api.tokens';

/**
 * Model events for users, tokens and roles (docs/api-contract.md §6.3, authentik's AuditMiddleware), recorded
 * only through the events module's public `EventRecorder`. Each call writes in the caller's
 * transaction (`manager`), so a change and its event commit or roll back together.
 */
@Injectable()
export class ModelAudit {
  constructor(
    private readonly events: EventRecorder,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * The masked diff of two states, computed inside the caller's write transaction: in event-loop
   * slices where that may pause (a user's `attributes` may hold 70 000 keys), else in one go.
   */
  diff(before: ModelState, after: ModelState): ModelDiff | Promise<ModelDiff> {
    return mayPauseInTransactions(this.config.database.type) ? modelDiffSliced(before, after) : modelDiff(before, after);
  }

  async created(model: ModelEntity, origin: AuditOrigin = {}, manager?: EntityManager): Promise<void> {
    await this.record('model_created', { model: model[AS_MODEL_REF]() }, origin, manager);
  }

  /** `diff` is recorded even when empty, as authentik does for a save that changes nothing. */
  async updated(model: ModelEntity, diff: ModelDiff, origin: AuditOrigin = {}, manager?: EntityManager): Promise<void> {
    await this.record('model_updated', { model: model[AS_MODEL_REF](), diff }, origin, manager);
  }

  /**
   * `updated` computed ahead of its transaction (see auditedUpdateAhead): the masked diff of the
   * two states and the event, in slices; the result stores it in the transaction.
   */
  async prepareUpdated(model: ModelEntity, before: ModelState, after: ModelState, origin: AuditOrigin = {}): Promise<PreparedRecord> {
    const diff = await modelDiffSliced(before, after);
    return this.events.prepare('model_updated', {
      context: { model: model[AS_MODEL_REF](), diff },
      request: origin.request,
      user: origin.actor,
    });
  }

  /**
   * A many-to-many change (who holds a role, which permissions it grants): `model_updated` with
   * the diff authentik's enterprise audit middleware writes for m2m signals,
   * `{"<relation>": {"add" | "remove": [<pks>]}}`. Callers record only what really changed.
   */
  async relationChanged(
    model: ModelEntity,
    relation: string,
    direction: 'add' | 'remove',
    pks: readonly (string | number)[],
    origin: AuditOrigin = {},
    manager?: EntityManager,
  ): Promise<void> {
    const diff = { [relation]: { [direction]: [...pks] } };
    await this.record('model_updated', { model: model[AS_MODEL_REF](), diff }, origin, manager);
  }

  async deleted(model: ModelEntity, origin: AuditOrigin = {}, manager?: EntityManager): Promise<void> {
    await this.record('model_deleted', { model: model[AS_MODEL_REF]() }, origin, manager);
  }

  /** `view_key/`: authentik's `Event.new(SECRET_VIEW, secret=token).from_http(request)`. */
  async secretViewed(secret: ModelEntity, origin: AuditOrigin = {}): Promise<void> {
    await this.events.record('secret_view', { app: TOKENS_API_APP, context: { secret }, request: origin.request, user: origin.actor });
  }

  private async record(
    action: string,
    context: Record<string, unknown>,
    origin: AuditOrigin,
    manager: EntityManager | undefined,
  ): Promise<void> {
    await this.events.record(action, { context, request: origin.request, user: origin.actor, manager });
  }
}

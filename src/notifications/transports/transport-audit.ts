import type { EntityManager } from 'typeorm';
import { Uuid } from '@app/common';
import { modelDiff, RequestEventRecorder } from '../../events';
import type { NotificationTransport } from '../entities/notification-transport.entity';

// The `app` authentik writes on model events: the module of its audit middleware.
const MODEL_EVENTS_APP = 'authentik.events.middleware';

/** The transport's fields as authentik's model has them, for `model_updated` diffs. */
function transportState(t: NotificationTransport) {
  return {
    uuid: new Uuid(t.uuid),
    name: t.name,
    mode: t.mode,
    send_once: t.sendOnce,
    email_subject_prefix: t.emailSubjectPrefix,
    email_template: t.emailTemplate,
    webhook_url: t.webhookUrl,
    webhook_ca: null,
    webhook_mapping_body: null,
    webhook_mapping_headers: null,
  };
}

/**
 * `model_created` / `model_updated` / `model_deleted` for transports, in the write's
 * transaction, as for users, tokens and roles (authentik's AuditMiddleware).
 */
export const transportAudit = {
  created: (events: RequestEventRecorder, t: NotificationTransport, manager: EntityManager) =>
    events.record('model_created', { app: MODEL_EVENTS_APP, context: { model: t }, manager }),
  updated: (events: RequestEventRecorder, before: NotificationTransport, after: NotificationTransport, manager: EntityManager) =>
    events.record('model_updated', {
      app: MODEL_EVENTS_APP,
      context: { model: after, diff: modelDiff(transportState(before), transportState(after)) },
      manager,
    }),
  deleted: (events: RequestEventRecorder, t: NotificationTransport, manager: EntityManager) =>
    events.record('model_deleted', { app: MODEL_EVENTS_APP, context: { model: t }, manager }),
};

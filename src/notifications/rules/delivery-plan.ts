import type { QueryableEvent } from '../../events';
import { EngineBinding, EngineUser, evaluateBindings } from '../../policies/engine/policy-engine';
import type { TransportMode } from '../entities/notification-transport.entity';
import type { Severity } from '../entities/notification.entity';

/** The event being delivered, as the search language sees it, plus when it expires (µs). */
export interface PlanEvent extends QueryableEvent {
  expires: number;
}

export interface PlanTransport {
  pk: string;
  mode: TransportMode;
  sendOnce: boolean;
}

/** A rule with everything deciding it: its bindings, its transports in order, its group's direct members in order. */
export interface PlanRule {
  pk: string;
  severity: Severity;
  destinationEventUser: boolean;
  transports: readonly PlanTransport[];
  /** The direct members of `destination_group` (not of its children), in database order; empty without a group. */
  groupMembers: readonly number[];
  bindings: readonly EngineBinding[];
}

export interface PlanInput {
  event: PlanEvent;
  /** What identifies the revision of the event being delivered (src/events/revisions: the revision hash). */
  revision: string;
  /** Microseconds since the epoch. */
  now: number;
  rules: readonly PlanRule[];
  /** Policies bound to any rule, enabled or not: the loop guard's list. Any UUID spelling. */
  policiesBoundToRules: ReadonlySet<string>;
  /** The policy user: the event's user if that user exists (with all groups, ancestors included), else anonymous (null). */
  policyUser: EngineUser | null;
}

/** One notification to send: one transport, one recipient, for one rule and one revision of one event. */
export interface PlannedDelivery {
  /**
   * Unique per delivery and stable across re-plans of the same revision, so a retry after a crash
   * can tell what was already sent. The recipient part says which slot the user came from: the
   * event's user and a group member may be the same user, and authentik sends to both.
   */
  idempotencyKey: string;
  eventUuid: string;
  revision: string;
  rulePk: string;
  transportPk: string;
  mode: TransportMode;
  recipientPk: number;
  severity: Severity;
}

export type DeliveryPlan = { skipped: 'expired' | 'policy_loop'; deliveries: [] } | { skipped: null; deliveries: PlannedDelivery[] };

/**
 * Who gets what for one saved event, as authentik's `event_trigger_handler` and
 * `notification_transport` decide it (docs: the README's "Notifications"), with no I/O:
 * 1. an expired event notifies nobody;
 * 2. loop guard: an event whose `context.policy_uuid` names a policy bound to any rule notifies
 *    nobody (policy engine events about rules' own policies);
 * 3. each rule runs its bindings in mode `any`, a rule with no enabled binding never matching;
 * 4. recipients of a matching rule: the event's user (if `destination_event_user` and the event
 *    names a user pk) then the group's direct members, not de-duplicated; per transport, in the
 *    rule's order, one delivery per recipient, or only the first with `send_once`.
 * eventlog's addition: an `email_sent` event never gives an `email` delivery (no mail loops).
 */
export function planDeliveries(input: PlanInput): DeliveryPlan {
  const { event } = input;
  if (event.expires <= input.now) return { skipped: 'expired', deliveries: [] };
  if (guarded(event, input.policiesBoundToRules)) return { skipped: 'policy_loop', deliveries: [] };
  const deliveries: PlannedDelivery[] = [];
  for (const rule of input.rules) {
    if (!evaluateBindings(rule.bindings, { event, user: input.policyUser }).passing) continue;
    const recipients = recipientsOf(rule, event);
    for (const transport of rule.transports) {
      if (transport.mode === 'email' && event.action === 'email_sent') continue;
      for (const recipient of recipients) {
        deliveries.push({
          idempotencyKey: [event.eventUuid, input.revision, rule.pk, transport.pk, recipient.slot].join('/'),
          eventUuid: event.eventUuid,
          revision: input.revision,
          rulePk: rule.pk,
          transportPk: transport.pk,
          mode: transport.mode,
          recipientPk: recipient.pk,
          severity: rule.severity,
        });
        if (transport.sendOnce) break;
      }
    }
  }
  return { skipped: null, deliveries };
}

interface Recipient {
  pk: number;
  /** `user:<pk>` for the event's user, `member:<pk>` for a group member. */
  slot: string;
}

function recipientsOf(rule: PlanRule, event: PlanEvent): Recipient[] {
  const recipients: Recipient[] = [];
  const eventUser = rule.destinationEventUser ? userPkOf(event) : null;
  if (eventUser !== null) recipients.push({ pk: eventUser, slot: `user:${eventUser}` });
  for (const pk of rule.groupMembers) recipients.push({ pk, slot: `member:${pk}` });
  return recipients;
}

/**
 * The event user's pk when it is truthy, as authentik tests `event.user.get("pk")`. Users here
 * have integer pks, so only an integer (or a string of digits, as JSON may carry it) can name one.
 */
export function userPkOf(event: Pick<QueryableEvent, 'user'>): number | null {
  const pk = (event.user as { pk?: unknown } | null)?.pk;
  const value = typeof pk === 'string' && /^\d{1,15}$/.test(pk) ? Number(pk) : pk;
  return typeof value === 'number' && Number.isSafeInteger(value) && value !== 0 ? value : null;
}

const bareUuid = (uuid: string) => uuid.replace(/-/g, '').toLowerCase();

function guarded(event: PlanEvent, boundPolicies: ReadonlySet<string>): boolean {
  const policyUuid = (event.context as { policy_uuid?: unknown } | null)?.policy_uuid;
  if (typeof policyUuid !== 'string' || boundPolicies.size === 0) return false;
  const wanted = bareUuid(policyUuid);
  for (const bound of boundPolicies) if (bareUuid(bound) === wanted) return true;
  return false;
}

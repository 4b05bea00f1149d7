import type { QueryableEvent } from '../../events';
import { EventMatcherCriteria, matchEvent, PolicyResult } from './event-matcher';

/** A binding as the engine needs it: one of a policy, a group or a user. */
export interface EngineBinding {
  enabled: boolean;
  negate: boolean;
  order: number;
  /** Seconds; see `evaluateBindings`. */
  timeout: number;
  failureResult: boolean;
  policy: EventMatcherCriteria | null;
  groupUuid: string | null;
  userId: number | null;
}

/** Who the request is for: the user's pk and every group they are in, ancestors included. */
export interface EngineUser {
  pk: number;
  groupUuids: ReadonlySet<string>;
}

export interface EngineRequest {
  event?: QueryableEvent;
  /** null: the anonymous user (member of nothing). */
  user: EngineUser | null;
}

/** A failure a policy reports on purpose (authentik's `PolicyException`): the binding's `failure_result` applies. */
export class PolicyError extends Error {}

/**
 * The subset of authentik's `PolicyEngine` notification rules use: mode `any`, empty result
 * false. Disabled bindings are ignored; a rule with no enabled binding never matches. User and
 * group bindings are static: a user binding passes for that user, a group binding for members
 * of the group or of any of its descendants (the request's groups include ancestors), each
 * inverted by `negate`. A policy binding runs the policy; `negate` flips its result (messages
 * unchanged); a `PolicyError` gives `failure_result`, any other error false. Policies here are
 * pure and bounded in-process work (authentik also runs them in-process outside its forked
 * workers), so `timeout` is kept and shown but never needed. Bindings are evaluated in `order`.
 */
export function evaluateBindings(bindings: readonly EngineBinding[], request: EngineRequest): PolicyResult {
  const enabled = bindings.filter((binding) => binding.enabled).sort((a, b) => a.order - b.order);
  if (enabled.length === 0) return { passing: false, messages: [] };
  const messages: string[] = [];
  let passing = false;
  for (const binding of enabled) {
    const result = binding.policy
      ? runPolicy(binding, request)
      : { passing: staticPasses(binding, request.user) !== binding.negate, messages: [] };
    messages.push(...result.messages);
    passing ||= result.passing;
  }
  return { passing, messages };
}

function staticPasses(binding: EngineBinding, user: EngineUser | null): boolean {
  if (!user) return false;
  if (binding.userId !== null) return binding.userId === user.pk;
  if (binding.groupUuid !== null) return user.groupUuids.has(binding.groupUuid);
  return false;
}

function runPolicy(binding: EngineBinding, request: EngineRequest): PolicyResult {
  try {
    const result = matchEvent(binding.policy!, request.event);
    return { passing: result.passing !== binding.negate, messages: result.messages };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { passing: error instanceof PolicyError ? binding.failureResult : false, messages: [message] };
  }
}

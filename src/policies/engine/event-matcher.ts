import { QueryLanguageError } from '../../events';
import { matchesQuery, QueryableEvent } from '../../events';
import { parseQuery } from '../../events';

/** The criteria of an event-matcher policy (null: not checked). */
export interface EventMatcherCriteria {
  action: string | null;
  clientIp: string | null;
  app: string | null;
  model: string | null;
  query: string | null;
}

export interface PolicyResult {
  passing: boolean;
  messages: string[];
}

/**
 * authentik's `EventMatcherPolicy.passes`: the set criteria are checked in the order query,
 * action, client IP, app, model; the policy passes when all of them match (so with none set it
 * passes every event). Each checked criterion adds its message whether it matched or not. `model`
 * compares `<context.model.app>.<context.model.model_name>`; `app` is the event's `app` exactly
 * (not a prefix). `query` is the events search language evaluated against this one event; a
 * query that does not parse fails the policy with the parser's message (authentik: a
 * DjangoQLError, which is not a PolicyException).
 */
export function matchEvent(criteria: EventMatcherCriteria, event: QueryableEvent | undefined): PolicyResult {
  if (!event) return { passing: false, messages: [] };
  const checks: [string, () => boolean][] = [];
  if (criteria.query !== null) checks.push(['Query matched.', () => matchesQuery(parseQuery(criteria.query!), event)]);
  if (criteria.action !== null) checks.push(['Action matched.', () => event.action === criteria.action]);
  if (criteria.clientIp !== null) checks.push(['Client IP matched.', () => event.clientIp === criteria.clientIp]);
  if (criteria.app !== null) checks.push(['App matched.', () => event.app === criteria.app]);
  if (criteria.model !== null) checks.push(['Model matched.', () => modelOf(event) === criteria.model]);
  try {
    const results = checks.map(([, check]) => check());
    return { passing: results.every(Boolean), messages: checks.map(([message]) => message) };
  } catch (error) {
    if (error instanceof QueryLanguageError) return { passing: false, messages: [error.message] };
    throw error;
  }
}

/** Python's `f"{model.app}.{model.model_name}"`, `None` for what is missing. */
function modelOf(event: QueryableEvent): string {
  const context = event.context as { model?: { app?: unknown; model_name?: unknown } } | null;
  const model = context && typeof context === 'object' ? context.model : undefined;
  const part = (value: unknown) => (value === undefined || value === null ? 'None' : String(value));
  return `${part(model?.app)}.${part(model?.model_name)}`;
}

import { pythonRepr } from '@app/common';

/** What a notification needs of its event (the event as the API shows it). */
export interface NotificationEvent {
  pk: string;
  action: string;
  user: Record<string, unknown>;
  context: Record<string, unknown>;
}

/**
 * authentik's `Event.summary`, the body of every notification a rule creates: the context's
 * `message` when there is one, else `"<action>: <context>"` with the context in Python's dict
 * repr (`custom_foo: {'foo': 'bar,'}`), so bodies match authentik's byte for byte.
 */
export function eventSummary(event: Pick<NotificationEvent, 'action' | 'context'>): string {
  const message = event.context.message;
  if (message !== undefined && message !== null) return typeof message === 'string' ? message : pythonRepr(message);
  return `${event.action}: ${pythonRepr(event.context)}`;
}

/** `context.hyperlink` / `context.hyperlink_label`, which authentik copies onto the notification. */
export function eventHyperlink(event: Pick<NotificationEvent, 'context'> | null): {
  hyperlink: string | null;
  hyperlinkLabel: string | null;
} {
  const text = (value: unknown) => (value === undefined || value === null ? null : typeof value === 'string' ? value : pythonRepr(value));
  return { hyperlink: text(event?.context.hyperlink), hyperlinkLabel: text(event?.context.hyperlink_label) };
}

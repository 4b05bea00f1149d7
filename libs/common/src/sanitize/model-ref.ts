/**
 * How domain objects describe themselves to the audit log (authentik's `model_to_dict` and
 * `get_user`). An entity opts in by implementing a method under one of these symbols; plain data
 * never does, so a context object can never be mistaken for an entity. `Symbol.for` keeps the
 * keys identical even if this file is loaded twice (jest module registries, bundles).
 */

/** `{"app", "model_name", "pk", "name"}`: how an event names a model instance. */
export interface ModelRef {
  app: string;
  model_name: string;
  /** A UUID pk may be given dashed or as a `Uuid`; it is written as 32 hex digits. */
  pk: string | number | Uuid;
  name: string;
}

/** The acting user as events store it: `{"pk", "username", "email"}` (docs/api-contract.md §2). */
export interface UserSnapshot {
  pk: number | string;
  username: string;
  email: string;
  /** The impersonated user when an admin acts as someone else. */
  on_behalf_of?: UserSnapshot | UserEntity;
  /** The user who authenticated, when a flow acts for a different pending user. */
  authenticated_as?: UserSnapshot | UserEntity;
}

export const AS_MODEL_REF: unique symbol = Symbol.for('eventlog.audit.asModelRef');
export const AS_USER_SNAPSHOT: unique symbol = Symbol.for('eventlog.audit.asUserSnapshot');

/** An entity that events may reference, e.g. `class Role { [AS_MODEL_REF]() { return {...}; } }`. */
export interface ModelEntity {
  [AS_MODEL_REF](): ModelRef;
}

/** A user entity: in event data it becomes the user snapshot, not a model reference. */
export interface UserEntity {
  [AS_USER_SNAPSHOT](): UserSnapshot;
}

export function isModelEntity(value: unknown): value is ModelEntity {
  return typeof value === 'object' && value !== null && typeof (value as ModelEntity)[AS_MODEL_REF] === 'function';
}

export function isUserEntity(value: unknown): value is UserEntity {
  return typeof value === 'object' && value !== null && typeof (value as UserEntity)[AS_USER_SNAPSHOT] === 'function';
}

const UUID_TEXT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;

/**
 * A UUID value. JavaScript has no UUID type, so a plain string is always just text (authentik
 * too keeps strings as they are); wrap a value in `Uuid` where Python code would hold a
 * `uuid.UUID`, and event data will carry it as 32 lowercase hex digits, like `UUID.hex`.
 */
export class Uuid {
  /** 32 lowercase hex digits, no dashes. */
  readonly hex: string;

  constructor(text: string) {
    if (!Uuid.isUuid(text)) throw new TypeError(`"${text}" is not a UUID`);
    this.hex = text.replace(/-/g, '').toLowerCase();
  }

  /** Dashed or plain hex, any case. */
  static isUuid(text: string): boolean {
    return UUID_TEXT.test(text);
  }

  /** The dashed form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  toJSON(): string {
    return this.hex;
  }
}

/** A model pk as events write it: UUIDs (dashed strings or `Uuid`) become hex, others stay. */
export function modelPk(pk: ModelRef['pk']): string | number {
  if (pk instanceof Uuid) return pk.hex;
  return typeof pk === 'string' && Uuid.isUuid(pk) ? new Uuid(pk).hex : pk;
}

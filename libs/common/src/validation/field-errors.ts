import { badRequest } from '../http/api-errors';

/**
 * The DRF field errors that need the database or several fields at once (uniqueness, related
 * objects, cross-field rules). They are collected and thrown together, as DRF reports every
 * field's problem in one 400, and the request is refused before anything is written.
 */
export class FieldErrorCollector {
  private readonly errors: Record<string, unknown> = {};

  /** Records the first problem of `field` (DRF reports one message per field here). */
  add(field: string, problem: string | Record<string, string[]>): void {
    if (field in this.errors) return;
    this.errors[field] = typeof problem === 'string' ? [problem] : problem;
  }

  has(field: string): boolean {
    return field in this.errors;
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw badRequest(this.errors);
  }
}

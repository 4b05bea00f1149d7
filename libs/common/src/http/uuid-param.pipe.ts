import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from './api-errors';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * A path id that is not a UUID is a 404 `Not found.` (Django's URL converter does not match),
 * never a 400 or a database error. Normalises to the dashed lower-case form.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw notFound();
    const hex = value.replace(/-/g, '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** Integer path ids (`/core/users/{id}/`): anything else is `Not found.`. */
@Injectable()
export class IntParamPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw notFound();
    return Number(value);
  }
}

import type { JsonObject } from './event.types';

/**
 * The brand snapshot stored when nobody says otherwise (docs/api-contract.md §2). authentik falls back to an
 * unsaved `Brand(domain="fallback")`, whose pk is a fresh uuid4 per process; ours is fixed
 * (uuid v5 of "authentik_brands.brand:fallback" in the URL namespace) so that events recorded
 * by different processes and restarts carry the same default brand and filter together.
 */
export const DEFAULT_BRAND_PK = '2558f5d4ee9550d6ac8d42f23175a86e';

export function defaultBrand(): JsonObject {
  return { app: 'authentik_brands', model_name: 'brand', pk: DEFAULT_BRAND_PK, name: 'Brand fallback' };
}

import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

/**
 * authentik's published OpenAPI schema, the contract (docs/api-contract.md "Reference"): the `schema.yml`
 * that ships in the pinned `@goauthentik/api` devDependency, the very document the official client
 * is generated from (MIT). Read from node_modules so the tests need nothing outside the repository.
 */
export const AUTHENTIK_SCHEMA_FILE = require.resolve('@goauthentik/api/schema.yml');

let cached: any;

/** The parsed schema; parsed once per test file (it is about 1.8 MB of YAML). */
export function loadAuthentikSchema(): any {
  cached ??= load(readFileSync(AUTHENTIK_SCHEMA_FILE, 'utf8'));
  return cached;
}

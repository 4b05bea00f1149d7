import fc from 'fast-check';
import type { ApiClient } from '../../support/api-client';

/** A JSON schema of the OpenAPI document with every `$ref` (and one-element `allOf`) resolved. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  readOnly?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
}

export interface Parameter {
  name: string;
  schema: Schema;
}

export interface Operation {
  id: string;
  method: string;
  /** Relative to `/api/v3`, as the document writes it: `/events/events/{event_uuid}/`. */
  template: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON request body, when the operation takes one. */
  body?: Schema;
}

export const API_ROOT = '/api/v3';

/**
 * Every operation the live OpenAPI document lists, so that endpoints added later are fuzzed
 * without anyone touching the fuzz suite.
 */
export async function loadOperations(admin: ApiClient): Promise<Operation[]> {
  const res = await admin.get('/api/v3/schema/?format=json');
  if (res.status !== 200) throw new Error(`OpenAPI document: ${res.status}`);
  const document = res.body;
  const resolve = (schema: any, depth = 0): Schema => {
    if (!schema || depth > 20) return {};
    if (schema.$ref) return resolve(lookup(document, schema.$ref), depth + 1);
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
      const { allOf, ...rest } = schema;
      return { ...resolve(allOf[0], depth + 1), ...rest };
    }
    const out: Schema = { ...schema };
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([name, property]) => [name, resolve(property, depth + 1)]),
      );
    }
    return out;
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<any>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters: any[] = operation.parameters ?? [];
      const param = (p: any): Parameter => ({ name: p.name, schema: resolve(p.schema) });
      const json = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        template,
        pathParams: parameters.filter((p) => p.in === 'path').map(param),
        queryParams: parameters.filter((p) => p.in === 'query').map(param),
        body: json ? resolve(json) : undefined,
        // A counterexample names the operation instead of printing its whole schema.
        [fc.toStringMethod]: () => `${method.toUpperCase()} ${template}`,
      } as Operation);
    }
  }
  return operations;
}

function lookup(document: any, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, key) => node?.[key], document);
}

/** Methods (besides HEAD) each path template answers to. */
export function methodsByTemplate(operations: Operation[]): Map<string, Set<string>> {
  const methods = new Map<string, Set<string>>();
  for (const op of operations) {
    if (!methods.has(op.template)) methods.set(op.template, new Set());
    methods.get(op.template)!.add(op.method);
  }
  return methods;
}

/** The request path of `op` with each path parameter replaced (values are inserted as given, not encoded). */
export function fillPath(op: Operation, values: Record<string, string>): string {
  return API_ROOT + op.template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? '');
}

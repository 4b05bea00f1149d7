/** The syntax tree of a `search` query (docs/api-contract.md §3.3.1), as the parser produces it. */

export type Value =
  { type: 'string'; value: string } | { type: 'number'; value: number } | { type: 'boolean'; value: boolean } | { type: 'null' };

export type CompareOperator = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=';

/** `context.binding.pk = "a1b2"`: `path` is `['context', 'binding', 'pk']`. */
export interface Comparison {
  type: 'compare';
  path: string[];
  operator: CompareOperator;
  value: Value;
}

/** `action in ("login", "logout")`, or `not in`. */
export interface Membership {
  type: 'in';
  path: string[];
  negated: boolean;
  values: Value[];
}

export interface Logical {
  type: 'and' | 'or';
  operands: Expression[];
}

export type Expression = Comparison | Membership | Logical;

/** Text that is not a valid query (syntax, or a field/value the schema rejects). Never reaches HTTP. */
export class QueryLanguageError extends Error {}

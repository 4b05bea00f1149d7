import { Expression, QueryLanguageError, Value } from './ast';
import { tokenize, Token } from './lexer';

/**
 * Recursive-descent parser for docs/api-contract.md §3.3.1:
 *
 *   query      := or EOF
 *   or         := and ("or" and)*
 *   and        := primary ("and" primary)*
 *   primary    := "(" or ")" | comparison
 *   comparison := path operator value | path ["not"] "in" "(" value+ ")"
 *   path       := word ("." word)*
 *   value      := string | number | True | False | None
 *
 * Keywords are case-insensitive. Bounds keep hostile text cheap: past them the text is simply
 * not a query, and the caller falls back to plain search.
 */
export const PARSER_LIMITS = {
  /** Characters; longer text is searched as plain words. */
  maxLength: 10_000,
  /** Tokens. A query never binds more parameters than it has tokens, so this stays far below
   * SQLite's 32 766 variables; 10 000 characters of comparisons fit. */
  maxTokens: 5_000,
  /** Nested parentheses. */
  maxDepth: 32,
  /** Segments of a dotted path (`context.a.b` has 3). */
  maxPathSegments: 32,
} as const;

export function parseQuery(text: string): Expression {
  if (text.length > PARSER_LIMITS.maxLength) throw new QueryLanguageError('query too long');
  return new Parser(tokenize(text, PARSER_LIMITS.maxTokens)).parse();
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Expression {
    const expression = this.or(0);
    if (this.peek()) throw new QueryLanguageError('unexpected text after the query');
    return expression;
  }

  private or(depth: number): Expression {
    const operands = [this.and(depth)];
    while (this.acceptKeyword('or')) operands.push(this.and(depth));
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  }

  private and(depth: number): Expression {
    const operands = [this.primary(depth)];
    while (this.acceptKeyword('and')) operands.push(this.primary(depth));
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  }

  private primary(depth: number): Expression {
    if (this.peek()?.kind !== 'open') return this.comparison();
    if (depth >= PARSER_LIMITS.maxDepth) throw new QueryLanguageError('too deeply nested');
    this.pos += 1;
    const inner = this.or(depth + 1);
    this.expect('close');
    return inner;
  }

  private comparison(): Expression {
    const path = this.path();
    const token = this.next();
    if (token?.kind === 'operator') return { type: 'compare', path, operator: token.operator, value: this.value() };
    if (isKeyword(token, 'in')) return { type: 'in', path, negated: false, values: this.list() };
    if (isKeyword(token, 'not') && this.acceptKeyword('in')) return { type: 'in', path, negated: true, values: this.list() };
    throw new QueryLanguageError('expected a comparison operator');
  }

  private path(): string[] {
    const segments = [this.word()];
    while (this.peek()?.kind === 'dot') {
      this.pos += 1;
      segments.push(this.word());
      if (segments.length > PARSER_LIMITS.maxPathSegments) throw new QueryLanguageError('path too long');
    }
    return segments;
  }

  private word(): string {
    const token = this.next();
    if (token?.kind !== 'word') throw new QueryLanguageError('expected a field name');
    return token.text;
  }

  private value(): Value {
    const token = this.next();
    if (token?.kind === 'string') return { type: 'string', value: token.value };
    if (token?.kind === 'number') return { type: 'number', value: token.value };
    if (isKeyword(token, 'true')) return { type: 'boolean', value: true };
    if (isKeyword(token, 'false')) return { type: 'boolean', value: false };
    if (isKeyword(token, 'none')) return { type: 'null' };
    throw new QueryLanguageError('expected a value');
  }

  private list(): Value[] {
    this.expect('open');
    const values = [this.value()];
    while (this.peek() && this.peek()?.kind !== 'close') values.push(this.value());
    this.expect('close');
    return values;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!isKeyword(this.peek(), keyword)) return false;
    this.pos += 1;
    return true;
  }

  private expect(kind: 'open' | 'close'): void {
    if (this.next()?.kind !== kind) throw new QueryLanguageError(`expected ${kind === 'open' ? '(' : ')'}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.pos];
    if (token) this.pos += 1;
    return token;
  }
}

function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token?.kind === 'word' && token.text.toLowerCase() === keyword;
}

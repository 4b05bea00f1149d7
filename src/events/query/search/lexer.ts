import { CompareOperator, QueryLanguageError } from './ast';

/**
 * Tokens of the query language, following djangoql's lexer (which authentik's search uses):
 * whitespace and commas separate tokens, strings are double-quoted with JSON's escapes, numbers
 * are JSON numbers. Words are not classified here: `and`, `in`, `True`... are keywords only
 * where the parser expects one, so `context.in = 1` is still a path.
 */
export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'operator'; operator: CompareOperator }
  | { kind: 'dot' }
  | { kind: 'open' }
  | { kind: 'close' };

const SEPARATOR = /[\s,]/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// Longest first, so `!=` is not read as `!` `=`.
const OPERATORS: readonly CompareOperator[] = ['!=', '!~', '>=', '<=', '=', '~', '>', '<'];
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

export function tokenize(text: string, maxTokens: number): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const char = text[pos];
    if (SEPARATOR.test(char)) {
      pos += 1;
      continue;
    }
    if (tokens.length >= maxTokens) throw new QueryLanguageError('too many tokens');
    const token = readToken(text, pos);
    tokens.push(token.token);
    pos = token.end;
  }
  return tokens;
}

function readToken(text: string, pos: number): { token: Token; end: number } {
  const char = text[pos];
  if (char === '.') return { token: { kind: 'dot' }, end: pos + 1 };
  if (char === '(') return { token: { kind: 'open' }, end: pos + 1 };
  if (char === ')') return { token: { kind: 'close' }, end: pos + 1 };
  if (char === '"') return readString(text, pos);
  const operator = OPERATORS.find((op) => text.startsWith(op, pos));
  if (operator) return { token: { kind: 'operator', operator }, end: pos + operator.length };
  const word = matchAt(WORD, text, pos);
  if (word) return { token: { kind: 'word', text: word }, end: pos + word.length };
  const number = matchAt(NUMBER, text, pos);
  if (number) {
    const value = Number(number);
    if (!Number.isFinite(value)) throw new QueryLanguageError(`number out of range: ${number}`);
    return { token: { kind: 'number', value }, end: pos + number.length };
  }
  throw new QueryLanguageError(`unexpected character at ${pos}`);
}

function matchAt(pattern: RegExp, text: string, pos: number): string | null {
  pattern.lastIndex = pos;
  const match = pattern.exec(text);
  return match ? match[0] : null;
}

function readString(text: string, start: number): { token: Token; end: number } {
  let value = '';
  let pos = start + 1;
  while (pos < text.length) {
    const char = text[pos];
    if (char === '"') return { token: { kind: 'string', value }, end: pos + 1 };
    if (LINE_TERMINATOR.test(char)) break;
    if (char !== '\\') {
      value += char;
      pos += 1;
      continue;
    }
    const escaped = text[pos + 1];
    if (escaped === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(pos + 2, pos + 6))) {
      const code = parseInt(text.slice(pos + 2, pos + 6), 16);
      // NUL is dropped like a raw NUL in the search text (see search.ts).
      if (code !== 0) value += String.fromCharCode(code);
      pos += 6;
    } else if (escaped !== undefined && Object.hasOwn(ESCAPES, escaped)) {
      value += ESCAPES[escaped];
      pos += 2;
    } else {
      throw new QueryLanguageError(`bad escape at ${pos}`);
    }
  }
  throw new QueryLanguageError(`unterminated string at ${start}`);
}

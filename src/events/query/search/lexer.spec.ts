import { QueryLanguageError } from './ast';
import { tokenize } from './lexer';

const lex = (text: string) => tokenize(text, 1000);

describe('tokenize', () => {
  it('reads words, dots, operators, strings, numbers and parentheses', () => {
    expect(lex('context.binding.pk = "a1" and (x != 5)')).toEqual([
      { kind: 'word', text: 'context' },
      { kind: 'dot' },
      { kind: 'word', text: 'binding' },
      { kind: 'dot' },
      { kind: 'word', text: 'pk' },
      { kind: 'operator', operator: '=' },
      { kind: 'string', value: 'a1' },
      { kind: 'word', text: 'and' },
      { kind: 'open' },
      { kind: 'word', text: 'x' },
      { kind: 'operator', operator: '!=' },
      { kind: 'number', value: 5 },
      { kind: 'close' },
    ]);
  });

  it.each(['=', '!=', '~', '!~', '>', '>=', '<', '<='])('reads the operator %s, with or without spaces', (op) => {
    expect(lex(`a${op}1`)).toEqual([
      { kind: 'word', text: 'a' },
      { kind: 'operator', operator: op },
      { kind: 'number', value: 1 },
    ]);
  });

  it('treats whitespace of any kind and commas as separators (djangoql)', () => {
    expect(lex(' a\t,\n b\u00a0,,c ')).toEqual([
      { kind: 'word', text: 'a' },
      { kind: 'word', text: 'b' },
      { kind: 'word', text: 'c' },
    ]);
  });

  it.each([
    ['0', 0],
    ['-3', -3],
    ['12.5', 12.5],
    ['-0.25', -0.25],
    ['1e3', 1000],
    ['2E-2', 0.02],
    ['1.5e+2', 150],
  ])('reads the number %s', (text, value) => {
    expect(lex(text)).toEqual([{ kind: 'number', value }]);
  });

  it.each([
    ['"plain"', 'plain'],
    ['""', ''],
    ['"with \\"quotes\\""', 'with "quotes"'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"\\/\\b\\f\\n\\r\\t"', '/\b\f\n\r\t'],
    ['"caf\\u00e9"', 'café'],
    ['"\\ud83d\\ude00"', '😀'],
    ['"nul\\u0000gone"', 'nulgone'],
    [`"it's %_ ; -- ()"`, `it's %_ ; -- ()`],
    ['"日本語"', '日本語'],
  ])('reads the string %s', (text, value) => {
    expect(lex(text)).toEqual([{ kind: 'string', value }]);
  });

  it.each([
    ['"unterminated', 'unterminated string'],
    ['"bad \\x escape"', 'bad escape'],
    ['"short \\u12"', 'bad escape'],
    ['"line\nbreak"', 'unterminated string'],
    ["'single'", 'unexpected character'],
    ['a ! b', 'unexpected character'],
    ['#', 'unexpected character'],
    ['1e999', 'number out of range'],
    ['-', 'unexpected character'],
  ])('rejects %p', (text, message) => {
    expect(() => lex(text)).toThrow(QueryLanguageError);
    expect(() => lex(text)).toThrow(message);
  });

  it('splits a number glued to a word into two tokens (the parser then rejects it)', () => {
    expect(lex('5abc')).toEqual([
      { kind: 'number', value: 5 },
      { kind: 'word', text: 'abc' },
    ]);
  });

  it('stops at the token limit', () => {
    expect(() => tokenize('a b c', 2)).toThrow('too many tokens');
    expect(tokenize('a b', 2)).toHaveLength(2);
  });
});

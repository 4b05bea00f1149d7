import { canonicalJson, canonicalPieces } from './canonical-json';

/** Both spellings of the canonical form, which must give the same text. */
function canonical(value: unknown): string {
  const text = canonicalJson(value);
  expect([...canonicalPieces(value)].join('')).toBe(text);
  return text;
}

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonical({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}');
  });

  it('orders keys by UTF-16 code units (the example of RFC 8785 §3.2.3)', () => {
    const object = { '\u20ac': 'Euro', '\r': 'CR', '\ufb33': 'Dalet', '1': 'One', '\ud83d\ude00': 'Grin', '\u0080': 'Ctl', '\u00f6': 'o' };
    expect(canonical(object)).toBe(
      '{"\\r":"CR","1":"One","\u0080":"Ctl","\u00f6":"o","\u20ac":"Euro","\ud83d\ude00":"Grin","\ufb33":"Dalet"}',
    );
  });

  it('writes numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    expect(canonical([0, -0, 1, -1, 1.5, 1e21, 1e-7, 333333333.3333333, 9007199254740991])).toBe(
      '[0,0,1,-1,1.5,1e+21,1e-7,333333333.3333333,9007199254740991]',
    );
  });

  it('escapes strings minimally and keeps non-ASCII characters as they are', () => {
    expect(canonical('a"b\\c\n\t\u0001é€😀')).toBe('"a\\"b\\\\c\\n\\t\\u0001é€😀"');
  });

  it('leaves out undefined members, as JSON text would', () => {
    expect(canonical({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(Infinity)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    for (const value of [Number.NaN, Infinity, undefined, 10n, { a: [1, Infinity] }]) {
      expect(() => [...canonicalPieces(value)]).toThrow(TypeError);
    }
  });
});

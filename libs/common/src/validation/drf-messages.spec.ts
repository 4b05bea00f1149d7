import { DrfMessage, pythonRepr, pythonStr } from './drf-messages';

describe("Python's str() and repr() of JSON values, as DRF puts them in messages", () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [5, '5'],
    [1.5, '1.5'],
    ['text', 'text'],
    [[], '[]'],
    [['login', 1, null, true], "['login', 1, None, True]"],
    [{ a: 1, b: { c: [] } }, "{'a': 1, 'b': {'c': []}}"],
    [["it's"], `["it's"]`],
    [['say "hi"'], `['say "hi"']`],
    [['both \' and "'], `['both \\' and "']`],
    [['line\nbreak\\'], "['line\\nbreak\\\\']"],
  ])('str(%j) is %s', (value, expected) => {
    expect(pythonStr(value)).toBe(expected);
  });

  it('quotes strings in repr', () => {
    expect(pythonRepr('a')).toBe("'a'");
  });

  it('builds the choice message from str()', () => {
    expect(DrfMessage.choice(['login'])).toBe(`"['login']" is not a valid choice.`);
    expect(DrfMessage.choice(true)).toBe('"True" is not a valid choice.');
  });

  it('names a lone surrogate by its code point', () => {
    expect(DrfMessage.surrogate(0xd800)).toBe('Surrogate characters are not allowed: U+D800.');
  });
});

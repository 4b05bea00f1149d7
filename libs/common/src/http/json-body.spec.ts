import { jsonTextDepth } from './json-body';

describe('jsonTextDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a": [1, {"b": 2}]}', 3],
    ['{"a": "[[[[{{{{"}', 1],
    ['{"a": "\\"[[["}', 1],
    ['['.repeat(100000) + ']'.repeat(100000), 100000],
  ])('%#', (text, depth) => {
    expect(jsonTextDepth(text)).toBe(depth);
  });
});

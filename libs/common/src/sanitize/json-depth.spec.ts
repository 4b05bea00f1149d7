import { exceedsDepth, jsonDepth } from './json-depth';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { n: value } : [value];
  return value;
}

describe('jsonDepth', () => {
  it.each([
    ['a scalar', 0, 'x'],
    ['null', 0, null],
    ['an empty object', 1, {}],
    ['an empty array', 1, []],
    ['a flat object', 1, { a: 1, b: 'x' }],
    ['an object in an object', 2, { a: { b: 1 } }],
    ['an array in an array', 2, [[1]]],
    ['the deepest branch', 5, { a: 1, b: { c: [{ d: {} }] }, e: [] }],
  ])('of %s is %p', (_name, depth, value) => {
    expect(jsonDepth(value)).toBe(depth);
  });

  it('measures 50 000 levels without overflowing the stack', () => {
    expect(jsonDepth(nested(50_000))).toBe(50_000);
  });

  it('does not count a reference back to an enclosing container', () => {
    const node: Record<string, unknown> = { child: { leaf: 1 } };
    (node.child as Record<string, unknown>).parent = node;
    expect(jsonDepth(node)).toBe(2);
  });

  it('measures a widely shared container once (no exponential walk)', () => {
    let value: unknown = {};
    for (let i = 0; i < 60; i++) value = [value, value];
    expect(jsonDepth(value)).toBe(61);
  });
});

describe('exceedsDepth', () => {
  it('is false at the limit and true beyond it', () => {
    expect(exceedsDepth(nested(32), 32)).toBe(false);
    expect(exceedsDepth(nested(33), 32)).toBe(true);
    expect(exceedsDepth('scalar', 0)).toBe(false);
    expect(exceedsDepth({}, 0)).toBe(true);
  });

  it('stops early on a deep value', () => {
    expect(exceedsDepth(nested(1_000_000), 10)).toBe(true);
  });

  it('sees depth below a shared container reached a second time', () => {
    const shared = { a: { b: {} } }; // depth 3, first met at depth 2, then at depth 3
    expect(exceedsDepth({ x: shared, y: { z: shared } }, 5)).toBe(false);
    expect(exceedsDepth({ x: shared, y: { z: shared } }, 4)).toBe(true);
  });

  it('terminates on a cycle', () => {
    const loop: unknown[] = [];
    loop.push(loop);
    expect(exceedsDepth(loop, 5)).toBe(false);
  });
});

import { isPlainObject } from './sanitize-for-json';

/**
 * How deeply JSON data nests: a scalar is 0, `{}` and `[1]` are 1, `{"a": {"b": 1}}` is 2.
 * Iterative (an explicit stack), so no input can overflow the call stack; a reference back to an
 * enclosing container adds nothing (`sanitizeForJson` writes it as a string).
 */
export function jsonDepth(value: unknown): number {
  return measureDepth(value, Infinity);
}

/** Whether `value` nests deeper than `max` (MAX_JSON_DEPTH); stops looking as soon as it does. */
export function exceedsDepth(value: unknown, max: number): boolean {
  return measureDepth(value, max) > max;
}

interface Frame {
  container: object;
  /** 1 for the outermost container. */
  depth: number;
  children: unknown[];
  next: number;
  /** Depth of the deepest nesting found below (and including) this container so far. */
  height: number;
}

/** Exact depth when it is at most `limit`; otherwise some number above `limit`. */
function measureDepth(value: unknown, limit: number): number {
  if (!isContainer(value)) return 0;
  if (limit < 1) return 1;
  const heights = new Map<object, number>(); // finished containers: shared ones are measured once
  const open = new Set<object>();
  const stack: Frame[] = [];
  const enter = (container: object, depth: number) => {
    open.add(container);
    stack.push({ container, depth, children: Object.values(container), next: 0, height: 1 });
  };
  enter(value, 1);
  let result = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      if (!isContainer(child) || open.has(child)) continue;
      const known = heights.get(child);
      if (known !== undefined) {
        frame.height = Math.max(frame.height, 1 + known);
        if (frame.depth + known > limit) return frame.depth + known;
      } else if (frame.depth + 1 > limit) {
        return frame.depth + 1;
      } else {
        enter(child, frame.depth + 1);
      }
      continue;
    }
    stack.pop();
    open.delete(frame.container);
    heights.set(frame.container, frame.height);
    const parent = stack[stack.length - 1];
    if (parent) parent.height = Math.max(parent.height, 1 + frame.height);
    else result = frame.height;
  }
  return result;
}

function isContainer(value: unknown): value is object {
  return Array.isArray(value) || isPlainObject(value);
}

// Results as plain data that can leave the page (Playwright's `evaluate`, `postMessage`, JSON): the
// same copy is made of Node results, so results of the two realms compare with `toEqual`.

const FUNCTION = '[function]';

/**
 * A copy of `value` made only of plain objects, arrays and primitives (`undefined` and `NaN` kept):
 * a function becomes `{ "[function]": true, …its own enumerable properties }` (so `_giosg._e`
 * survives), a value met again on the path to itself becomes `"[cycle]"`, and any other object
 * that is not plain data (DOM nodes, dates, class instances) becomes its `Object.prototype.toString`
 * tag, e.g. `"[object HTMLScriptElement]"`.
 */
export function toWire(value: unknown, path: Set<object> = new Set()): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return typeof value === 'bigint' || typeof value === 'symbol' ? String(value) : value;
  }
  const obj = value as object;
  if (path.has(obj)) return '[cycle]';
  path.add(obj);
  try {
    if (typeof value === 'function') {
      const out: Record<string, unknown> = { [FUNCTION]: true };
      for (const key of Object.keys(obj)) out[key] = toWire((obj as Record<string, unknown>)[key], path);
      return out;
    }
    if (Array.isArray(obj) || Object.prototype.toString.call(obj) === '[object Arguments]') {
      return Array.from(obj as ArrayLike<unknown>, (item) => toWire(item, path));
    }
    const proto = Object.getPrototypeOf(obj);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) return Object.prototype.toString.call(obj);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) out[key] = toWire((obj as Record<string, unknown>)[key], path);
    return out;
  } finally {
    path.delete(obj);
  }
}

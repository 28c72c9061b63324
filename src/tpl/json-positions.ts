// Offsets of values inside a JSON section, for diagnostics that point into ___INFO___, the form or
// the permissions. One pass over the text records where each object member and array item starts
// (strings are skipped with a native regular expression, so megabyte thumbnails cost little);
// only containers become objects. Sections reach here after `parse` read them, so the text is
// JSON; anything unexpected simply ends the index where it is (positions fall back to an ancestor).
// The same pass notes a key repeated within one object: JSON.parse keeps the last value, so the
// earlier one is lost without a word unless the checker says so (and `format` refuses to drop it).

export type JsonPath = (string | number)[];

interface Container {
  /** Offset of each member's value (objects) or item (arrays). */
  offsets: Map<string | number, number>;
  /** The child containers among those values. */
  children: Map<string | number, Container>;
  /** Where this container is held (unset for the section's root), for the path of a repeated key. */
  parent?: Container;
  key?: string | number;
}

/** The path from the section's root to `container`. */
function pathOf(container: Container): JsonPath {
  const path: JsonPath = [];
  for (let c: Container | undefined = container; c?.parent; c = c.parent) path.unshift(c.key!);
  return path;
}

const STRING = /"(?:[^"\\]|\\[\s\S])*"/y;
const WHITESPACE = /[ \t\r\n]*/y;
const SCALAR = /[^\s,\]}]*/y;

/** A key that appears more than once in one object: the path of that object and the later key. */
export interface RepeatedKey {
  /** The object holding the key (empty for the section's root object). */
  path: JsonPath;
  key: string;
  /** Offset of the repeated (later) occurrence of the key. */
  offset: number;
  /** Whether the later value is the same JSON value as the earlier one, so keeping one loses nothing. */
  sameValue: boolean;
}

/** Whether two JSON texts hold the same value, written alike once parsed (key order counts). */
function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** A path as written in JavaScript: `brand.id`, `[0].name`. */
export function jsonPathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** How many times `:` occurs in `text`. */
function colonsIn(text: string): number {
  let n = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) n++;
  return n;
}

/**
 * Whether the JSON `text`, which JSON.parse read as `value`, certainly writes no key twice in one
 * object, found without indexing the text (which costs several times the parse). Outside strings
 * JSON has a colon after each member's key and nowhere else, so the text's colons are its members
 * plus the colons its strings hold. A repeated key loses a member (and what its value held) from
 * `value`, so the text then has more colons than `value`'s members and strings account for.
 * `false` means "maybe": a colon written as an escape (`\u003a`) is not counted, so such text is
 * always indexed.
 */
export function certainlyNoRepeatedKeys(text: string, value: unknown): boolean {
  if (/\\u003a/i.test(text)) return false;
  let accounted = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') accounted += colonsIn(v);
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i]);
    else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        accounted += 1 + colonsIn(key);
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return accounted === colonsIn(text);
}

/** An index of one section's JSON text, answering "where is the value at this path". */
export class JsonPositions {
  private readonly root: Container | undefined;
  private readonly rootOffset: number;
  /** Keys repeated within one object, in text order. */
  readonly repeatedKeys: RepeatedKey[] = [];

  constructor(private readonly text: string) {
    this.rootOffset = this.skipSpace(0);
    try {
      this.root = this.index(this.rootOffset);
    } catch {
      this.root = undefined;
    }
  }

  /** Offset of the value at `path`, or of its nearest existing ancestor. */
  offsetOf(path: JsonPath): number {
    let container = this.root;
    let offset = this.rootOffset;
    for (const key of path) {
      const at = container?.offsets.get(key);
      if (at === undefined || !container) break;
      offset = at;
      container = container.children.get(key);
    }
    return offset;
  }

  private skipSpace(at: number): number {
    WHITESPACE.lastIndex = at;
    WHITESPACE.test(this.text);
    return WHITESPACE.lastIndex;
  }

  /** Skips the value starting at `at` (indexing it if it is a container); returns its end. */
  private value(at: number, into: Container, key: string | number): number {
    into.offsets.set(key, at);
    const c = this.text[at];
    if (c === '{' || c === '[') {
      const child: Container = { offsets: new Map(), children: new Map(), parent: into, key };
      into.children.set(key, child);
      return this.container(at, child);
    }
    if (c === '"') return this.stringEnd(at);
    SCALAR.lastIndex = at;
    SCALAR.test(this.text);
    return SCALAR.lastIndex;
  }

  /** The offset after the string starting at `at`. */
  private stringEnd(at: number): number {
    STRING.lastIndex = at;
    if (!STRING.test(this.text)) throw new Error('unterminated string');
    return STRING.lastIndex;
  }

  private index(at: number): Container | undefined {
    const c = this.text[at];
    if (c !== '{' && c !== '[') return undefined;
    const root: Container = { offsets: new Map(), children: new Map() };
    this.container(at, root);
    return root;
  }

  /** Indexes the object or array opening at `at`; returns the offset after its closing bracket. */
  private container(at: number, into: Container): number {
    const isObject = this.text[at] === '{';
    const close = isObject ? '}' : ']';
    let i = this.skipSpace(at + 1);
    let index = 0;
    // Where each member's value ends, to compare a repeated key's two values.
    const ends = isObject ? new Map<string, number>() : undefined;
    while (i < this.text.length && this.text[i] !== close) {
      let key: string | number = index++;
      let repeat: { keyAt: number; earlier: string } | undefined;
      if (isObject) {
        const end = this.stringEnd(i);
        // Most keys have no escapes: their text between the quotes is the key.
        const raw = this.text.slice(i + 1, end - 1);
        key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        const earlierAt = into.offsets.get(key);
        if (earlierAt !== undefined)
          repeat = { keyAt: i, earlier: this.text.slice(earlierAt, ends!.get(key)) };
        i = this.skipSpace(end);
        if (this.text[i] !== ':') throw new Error('expected :');
        i = this.skipSpace(i + 1);
      }
      const valueAt = i;
      const valueEnd = this.value(i, into, key);
      if (ends) ends.set(key as string, valueEnd);
      if (repeat) {
        const sameValue = sameJson(repeat.earlier, this.text.slice(valueAt, valueEnd));
        this.repeatedKeys.push({ path: pathOf(into), key: key as string, offset: repeat.keyAt, sameValue });
      }
      i = this.skipSpace(valueEnd);
      if (this.text[i] === ',') i = this.skipSpace(i + 1);
      else if (this.text[i] !== close) throw new Error('expected , or ' + close);
    }
    return i + 1;
  }
}

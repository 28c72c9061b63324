// GTM's argument check for sandbox APIs: before a web API does anything, gtm.js compares the call's
// arguments with the API's signature (`SANDBOX_APIS[name].args`) and throws on a mismatch. The
// messages are gtm.js's own. Evidence: docs/runtime.md, "Web APIs".

import { SandboxError } from './realm.js';

const SIGNATURE = /^([a-z][a-z0-9]*):(!|\?)(\*|string|boolean|number|Fn|Map|List)$/i;
/** How gtm.js names a sandbox type in its message. */
const TYPE_NAMES: Record<string, string> = { Fn: 'function', Map: 'Object', List: 'Array' };

/** The type gtm.js reports for a sandbox value: `typeof`, except functions, arrays and objects. */
function sandboxTypeOf(value: unknown): string {
  if (typeof value === 'function') return 'Fn';
  if (Array.isArray(value)) return 'List';
  if (typeof value === 'object') return 'Map';
  return typeof value;
}

interface Argument {
  name: string;
  required: boolean;
  type: string;
}

/** Parsed signatures, by the `args` array of the API catalog (parsed once, not on every call). */
const parsed = new WeakMap<readonly string[], Argument[]>();

function parseSignature(api: string, signature: readonly string[]): Argument[] {
  let args = parsed.get(signature);
  if (!args) {
    args = signature.map((text) => {
      const parts = SIGNATURE.exec(text);
      if (!parts) throw new Error(`internal error: bad signature '${text}' for ${api}`);
      return { name: parts[1]!, required: parts[2] === '!', type: parts[3]! };
    });
    parsed.set(signature, args);
  }
  return args;
}

/** Throws `sandbox/api-error` when `args` do not fit `signature`, as gtm.js does. */
export function checkApiArguments(api: string, signature: readonly string[], args: readonly unknown[]): void {
  const expected = parseSignature(api, signature);
  for (let i = 0; i < expected.length; i++) {
    const { name, required, type } = expected[i]!;
    const value = args[i];
    if (value === null || value === undefined) {
      if (required) {
        throw new SandboxError(
          'sandbox/api-error',
          `Error in ${api}. Required argument ${name} not supplied.`,
        );
      }
      continue;
    }
    if (type === '*') continue;
    const actual = sandboxTypeOf(value);
    if (actual !== type) {
      throw new SandboxError(
        'sandbox/api-error',
        `Error in ${api}. Argument ${name} has type ${TYPE_NAMES[actual] ?? actual}, which does not match required type ${TYPE_NAMES[type] ?? type}.`,
      );
    }
  }
}

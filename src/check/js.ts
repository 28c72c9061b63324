// The sandboxed-JavaScript subset: what GTM's compiler accepts, checked on one piece of code.
// Positions are relative to the code (line 1 = its first line); `check()` shifts them into the file,
// the compiler maps them back to TypeScript.
//
// Severity follows the evidence (format notes §5.2): syntax Google documents as absent (`new`,
// `this`), syntax no accepted template uses and that GTM's ES5.1-based parser cannot read, and free
// identifiers are errors; constructs that are merely unverified (`delete`, `in`, `instanceof`) and
// native methods outside the standard-library whitelist are warnings.

import type { AnyNode, Node, Program } from 'acorn';
import type { Diagnostic, Severity } from '../diagnostics.js';
import {
  apiInfo,
  unknownMockAdvice,
  ARRAY_METHODS,
  ASSERT_API_METHODS,
  ASSERT_THAT_METHODS,
  OBJECT_METHODS,
  requireStatementFor,
  STRING_METHODS,
  TEST_APIS,
} from '../gtm/apis.js';
import { nodePosition, parseSandboxJs, type JsSyntaxError } from '../js/parse.js';
import { MAX_AST_DEPTH } from '../js/depth.js';
import { findFreeIdentifiers } from '../js/scope.js';
import { nodeList } from '../js/walk.js';

export interface SandboxJsOptions {
  /** `template`: code of a tag/variable (`data` is defined); `test`: `___TESTS___` code. */
  kind: 'template' | 'test';
  /** Which sandbox the code runs in; decides which APIs `require` knows. Default WEB. */
  context?: 'WEB' | 'SERVER';
  /** More names visible to the code, e.g. what a test's `setup` declares for every scenario. */
  globals?: readonly string[];
  /**
   * Which of those names are bound to `require('x')` (name → 'x'), e.g. setup's
   * `const Object = require('Object')`: calls on them are that API's methods, not native methods.
   */
  apiBindings?: ReadonlyMap<string, string>;
  /**
   * For test code: whether the template's own code passes `name` to require(). The runner hands
   * such a call a scenario's mock of that name even when no API has it, so the mock does stand in
   * for something (asked only for a mocked name that is no API).
   */
  requiredByTemplate?: (name: string) => boolean;
}

/**
 * The values every piece of sandboxed code may name: `undefined`, and `NaN` and `Infinity`, which
 * Google's test-API reference uses in its own sandboxed examples (`assertThat(NaN).isNaN()`,
 * `assertThat(-Infinity).isInfinity()`). The sandbox defines the same (`src/sandbox/syntax.ts`).
 */
const VALUE_GLOBALS: readonly string[] = ['undefined', 'NaN', 'Infinity'];
/** Globals GTM gives template code. `arguments` exists inside functions (arrows too), not at the top level. */
export const TEMPLATE_GLOBALS: readonly string[] = ['data', 'require', ...VALUE_GLOBALS];
/**
 * Globals of `___TESTS___` code: the test API, `require`, the value globals (no `data`: tests pass it to
 * `runCode`), and `arguments`: GTM runs test code as a function body, and accepted templates use
 * `arguments` in top-level arrow callbacks of their tests (stape-io's Shopify example).
 */
export const TEST_GLOBALS: readonly string[] = ['require', ...VALUE_GLOBALS, 'arguments', ...TEST_APIS];
/** The test APIs whose first argument names a sandbox API. */
const MOCK_APIS: ReadonlySet<string> = new Set(['mock', 'mockObject']);

export function undeclaredVariableMessage(name: string): string {
  return `Attempting to use undeclared variable ${name} in function template.`;
}

/**
 * Native methods the sandbox does not have (every prototype method minus the whitelist). GTM's
 * method-call instruction (`APPLY` in gtm.js) answers strings with Google's whitelist only, numbers
 * and booleans with `toString` only ("TypeError: 5.toFixed is not a function."), and functions and
 * objects with their own function-valued properties plus `toString` and `hasOwnProperty` ("Object
 * has no 'apply' property."), so `fn.apply`, `fn.call`, `fn.bind` and `n.toFixed` fail as much as
 * `s.startsWith` does. Evidence in docs/diagnostics.md.
 */
const REMOVED_NATIVE_METHODS: ReadonlySet<string> = (() => {
  const allowed = new Set([...ARRAY_METHODS, ...STRING_METHODS, ...OBJECT_METHODS]);
  const names = new Set<string>();
  const prototypes = [
    String.prototype,
    Array.prototype,
    Object.prototype,
    Number.prototype,
    Boolean.prototype,
    Function.prototype,
  ];
  for (const proto of prototypes) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name === 'length' || name.startsWith('__') || allowed.has(name)) continue;
      // Read the descriptor, not the property: Function.prototype's `caller`/`arguments` throw on read.
      if (typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') names.add(name);
    }
  }
  return names;
})();

type Rule = { code: string; severity: Severity; text: string; notes?: string[] };

const RULES = {
  new: {
    code: 'js/no-new',
    severity: 'error',
    text: 'The sandbox has no `new`; there are no constructors.',
    notes: [
      'Create objects and arrays with literals ({} and []); use the require()d APIs instead of classes.',
    ],
  },
  this: {
    code: 'js/no-this',
    severity: 'error',
    text: 'Functions in the sandbox have no `this`.',
    notes: ['Pass the object as a parameter instead.'],
  },
  regex: {
    code: 'js/no-regex-literal',
    severity: 'error',
    text: 'Regular expression literals are not supported in sandboxed JavaScript.',
    notes: ["String methods match/replace/search/split take the pattern as a string: s.replace('a+', 'b')."],
  },
  template: {
    code: 'js/no-template-literal',
    severity: 'error',
    text: 'Template literals (`...`) are not supported in sandboxed JavaScript.',
    notes: ["Concatenate strings with + instead: 'a' + x + 'b'."],
  },
  try: {
    code: 'js/no-try',
    severity: 'error',
    text: 'try/catch/finally is not supported in sandboxed JavaScript.',
    notes: ['APIs report failure by their return value (JSON.parse returns undefined) or a callback.'],
  },
  throw: {
    code: 'js/no-throw',
    severity: 'error',
    text: '`throw` is not supported in sandboxed JavaScript.',
    notes: ['Report the failure instead: call data.gtmOnFailure() and return.'],
  },
  class: {
    code: 'js/no-class',
    severity: 'error',
    text: 'Classes are not supported in sandboxed JavaScript.',
    notes: ['Use plain objects and functions.'],
  },
  spread: {
    code: 'js/no-spread',
    severity: 'error',
    text: 'Spread and rest syntax (...) is not supported in sandboxed JavaScript.',
    notes: ['Copy or combine explicitly (concat, a loop, or `arguments` inside a function).'],
  },
  destructuring: {
    code: 'js/no-destructuring',
    severity: 'error',
    text: 'Destructuring is not supported in sandboxed JavaScript.',
    notes: ['Read the properties one by one: const a = obj.a;'],
  },
  defaultParam: {
    code: 'js/no-default-param',
    severity: 'error',
    text: 'Default parameter values are not supported in sandboxed JavaScript.',
    notes: ['Default inside the function: x = x === undefined ? 1 : x;'],
  },
  accessor: {
    code: 'js/no-accessor',
    severity: 'error',
    text: 'Getters and setters are not supported in sandboxed JavaScript.',
    notes: ['Use a plain property or a function.'],
  },
  generator: {
    code: 'js/no-generator',
    severity: 'error',
    text: 'Generator functions are not supported in sandboxed JavaScript.',
  },
  async: {
    code: 'js/no-async',
    severity: 'error',
    text: 'async/await is not supported in sandboxed JavaScript.',
    notes: ['Use the callbacks the APIs take (injectScript(url, onSuccess, onFailure)).'],
  },
  with: {
    code: 'js/no-with',
    severity: 'error',
    text: '`with` is not supported in sandboxed JavaScript.',
  },
  delete: {
    code: 'js/no-delete',
    severity: 'warning',
    text: 'The `delete` operator is not known to work in sandboxed JavaScript.',
    notes: ["Use require('Object').delete(obj, key) instead."],
  },
  instanceof: {
    code: 'js/no-instanceof',
    severity: 'warning',
    text: '`instanceof` is not known to work in sandboxed JavaScript (there are no constructors).',
    notes: ["Use require('getType')(value) instead."],
  },
  in: {
    code: 'js/no-in-operator',
    severity: 'warning',
    text: 'The `in` operator is not known to work in sandboxed JavaScript.',
    notes: ["Compare with undefined (obj[key] !== undefined) or use require('Object').keys."],
  },
} satisfies Record<string, Rule>;

function unsupported(what: string): Rule {
  return {
    code: 'js/unsupported-syntax',
    severity: 'error',
    text: `${what} is not supported in sandboxed JavaScript (ECMAScript 5.1 plus let/const and arrow functions).`,
  };
}

/** Checks an already parsed program (the checker parses template code once for several checks). */
export function checkSandboxProgram(program: Program, options: SandboxJsOptions): Diagnostic[] {
  const list = nodeList(program);
  if (list.depth > MAX_AST_DEPTH) return [tooDeep()];
  const at = (node: Node) => nodePosition(program, node);
  const out: Diagnostic[] = [];
  const report = (rule: Rule, node: Node, text = rule.text) =>
    out.push({
      code: rule.code,
      severity: rule.severity,
      text,
      ...at(node),
      ...(rule.notes ? { notes: [...rule.notes] } : {}),
    });

  // Names bound to require('x'), each to the API it names: calls on them are API methods, not
  // native methods.
  const apiBindings = new Map<string, string>(options.apiBindings ?? []);
  const context = options.context ?? 'WEB';

  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    switch (node.type) {
      case 'NewExpression':
        report(RULES.new, node);
        break;
      case 'ThisExpression':
        report(RULES.this, node);
        break;
      case 'Literal':
        if ('regex' in node && node.regex) report(RULES.regex, node);
        else if ('bigint' in node && node.bigint !== undefined) report(unsupported('A BigInt literal'), node);
        break;
      case 'TemplateLiteral':
        if (parent?.type !== 'TaggedTemplateExpression') report(RULES.template, node);
        break;
      case 'TaggedTemplateExpression':
        report(RULES.template, node);
        break;
      case 'TryStatement':
        report(RULES.try, node);
        break;
      case 'ThrowStatement':
        report(RULES.throw, node);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        report(RULES.class, node);
        break;
      case 'SpreadElement':
      case 'RestElement':
        report(RULES.spread, node);
        break;
      case 'ObjectPattern':
      case 'ArrayPattern':
        report(RULES.destructuring, node);
        break;
      case 'AssignmentPattern':
        if (
          parent &&
          parent.type !== 'ObjectPattern' &&
          parent.type !== 'ArrayPattern' &&
          parent.type !== 'Property'
        )
          report(RULES.defaultParam, node);
        break;
      case 'Property':
        if (node.kind === 'get' || node.kind === 'set') report(RULES.accessor, node);
        break;
      case 'MethodDefinition':
        if (node.kind === 'get' || node.kind === 'set') report(RULES.accessor, node);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.generator) report(RULES.generator, node);
        if (node.async) report(RULES.async, node);
        break;
      case 'WithStatement':
        report(RULES.with, node);
        break;
      case 'ChainExpression':
        report(unsupported('Optional chaining (?.)'), node);
        break;
      case 'LogicalExpression':
        if (node.operator === '??') report(unsupported('The ?? operator'), node);
        break;
      case 'BinaryExpression':
        if (node.operator === '**') report(unsupported('The ** operator'), node);
        else if (node.operator === 'instanceof') report(RULES.instanceof, node);
        else if (node.operator === 'in') report(RULES.in, node);
        break;
      case 'AssignmentExpression':
        if (['**=', '??=', '||=', '&&='].includes(node.operator))
          report(unsupported(`The ${node.operator} operator`), node);
        break;
      case 'UnaryExpression':
        if (node.operator === 'delete') report(RULES.delete, node);
        break;
      case 'ImportExpression':
        report(unsupported('import()'), node);
        break;
      case 'MetaProperty':
        report(unsupported(`${node.meta.name}.${node.property.name}`), node);
        break;
      case 'CallExpression':
        checkCall(node);
        break;
      default:
        break;
    }
  };

  const checkCall = (node: Extract<AnyNode, { type: 'CallExpression' }>) => {
    const callee = node.callee;
    if (callee.type === 'Identifier' && callee.name === 'require') {
      const arg = node.arguments[0];
      if (!arg || arg.type !== 'Literal' || typeof arg.value !== 'string') {
        out.push({
          code: 'js/dynamic-require',
          severity: 'warning',
          text: 'require() should be called with a constant string: GTM detects the permissions a template needs from these names.',
          ...at(node),
        });
        return;
      }
      const info = apiInfo(arg.value);
      if (!info) {
        out.push({
          code: 'js/unknown-api',
          severity: 'warning',
          text: `require('${arg.value}'): '${arg.value}' is not a sandbox API this toolchain knows.`,
          notes: [
            'Check the spelling against https://developers.google.com/tag-platform/tag-manager/templates/api.',
          ],
          ...at(arg),
        });
      } else if (!info.contexts.includes(context)) {
        out.push({
          code: 'js/api-wrong-context',
          severity: 'error',
          text: `require('${arg.value}'): '${arg.value}' exists only in ${info.contexts.join('/')} templates, not in ${context} ones.`,
          ...at(arg),
        });
      }
      return;
    }
    if (options.kind === 'test' && callee.type === 'Identifier' && MOCK_APIS.has(callee.name)) {
      checkMockedName(callee.name, node.arguments[0]);
      return;
    }
    if (callee.type !== 'MemberExpression') return;
    const method =
      !callee.computed && callee.property.type === 'Identifier'
        ? callee.property.name
        : callee.property.type === 'Literal' && typeof callee.property.value === 'string'
          ? callee.property.value
          : undefined;
    if (!method) return;
    const object = callee.object;
    if (options.kind === 'test' && object.type === 'CallExpression') {
      checkAssertion(object, method, callee.property);
    }
    // Methods of the sandbox's own objects (JSON, Object, localStorage…) are their API, not natives.
    const api =
      object.type === 'Identifier'
        ? apiBindings.get(object.name)
        : object.type === 'CallExpression' &&
            object.callee.type === 'Identifier' &&
            object.callee.name === 'require'
          ? (requiredName(object) ?? '')
          : undefined;
    // An API that is an object of methods answers for its members (an unknown API is left alone);
    // a function API is a function like any other (it has no `apply`, `call` or `bind` either).
    const info = api === undefined ? undefined : apiInfo(api);
    if (api !== undefined && (!info || info.members)) {
      if (info?.members) checkApiMember(api, info.members, method, callee.property);
      return;
    }
    if (!REMOVED_NATIVE_METHODS.has(method)) return;
    out.push({
      code: 'js/non-whitelisted-method',
      severity: 'warning',
      text: `.${method}() is not in the sandbox's standard library; it may be undefined at run time.`,
      notes: [
        `Allowed String methods: ${STRING_METHODS.join(' ')}.`,
        `Allowed Array methods: ${ARRAY_METHODS.join(' ')}.`,
        `Every object has: ${OBJECT_METHODS.join(' ')}; numbers, booleans and functions have no other method.`,
      ],
      ...at(callee.property),
    });
  };

  // A method the API object does not have is undefined when the call runs (GTM's sandbox answers
  // "Object has no '…' property"); every object still has toString and hasOwnProperty.
  const checkApiMember = (api: string, members: readonly string[], method: string, where: AnyNode) => {
    if (members.includes(method) || OBJECT_METHODS.includes(method)) return;
    out.push({
      code: 'js/unknown-api-member',
      severity: 'warning',
      text: `${api}.${method}() is not a method of the ${api} API; the call fails when it runs.`,
      notes: [`The ${api} API has: ${members.join(' ')}.`],
      ...at(where),
    });
  };

  // assertThat(x) and assertApi(name) return subjects with a fixed set of methods (Google's test API
  // reference); any other method is undefined, and calling it fails the scenario with a TypeError.
  // `subject` is the call the method is read from: assertThat(…), assertApi(…), or a chain of
  // their assertions (each returns the subject; the chain's own links are checked where they are).
  const checkAssertion = (subject: AnyNode, method: string, where: AnyNode) => {
    let root = subject;
    while (
      root.type === 'CallExpression' &&
      root.callee.type === 'MemberExpression' &&
      !root.callee.computed &&
      root.callee.property.type === 'Identifier' &&
      ((ASSERT_THAT_METHODS as readonly string[]).includes(root.callee.property.name) ||
        (ASSERT_API_METHODS as readonly string[]).includes(root.callee.property.name))
    ) {
      root = root.callee.object;
    }
    if (root.type !== 'CallExpression' || root.callee.type !== 'Identifier') return;
    const fn = root.callee.name;
    const methods: readonly string[] | undefined =
      fn === 'assertThat' ? ASSERT_THAT_METHODS : fn === 'assertApi' ? ASSERT_API_METHODS : undefined;
    if (!methods || methods.includes(method) || OBJECT_METHODS.includes(method)) return;
    out.push({
      code: 'tests/unknown-assertion',
      severity: 'warning',
      text: `${fn}(…).${method}() is not an assertion of GTM's test API; the call fails when the scenario runs.`,
      notes: [`${fn}(…) has: ${methods.join(' ')}.`],
      ...at(where),
    });
  };

  // mock() and mockObject() take "the same string as passed to require()" (Google's test API
  // reference); any other name replaces nothing, and the code under test calls the real API.
  const checkMockedName = (fn: string, arg: AnyNode | undefined) => {
    if (!arg || arg.type !== 'Literal' || typeof arg.value !== 'string') return;
    const name = arg.value;
    if (apiInfo(name)) return;
    const required = options.requiredByTemplate?.(name) ?? false;
    out.push({
      code: 'tests/mock-unknown-api',
      severity: 'warning',
      text: required
        ? `${fn}('${name}', …): '${name}' is not a name require() accepts; the template's require('${name}') gets this mock in its tests, but in a container GTM's sandbox has no such API.`
        : `${fn}('${name}', …): '${name}' is not a name require() accepts, so this mock replaces nothing; the code under test calls the real API.`,
      notes: [unknownMockAdvice(name)],
      ...at(arg),
    });
  };

  collectApiBindings(list.nodes, apiBindings);
  for (let i = 1; i < list.nodes.length; i++) visit(list.nodes[i]!, list.parents[i]);

  const globals = new Set<string>([
    ...(options.kind === 'test' ? TEST_GLOBALS : TEMPLATE_GLOBALS),
    ...(options.globals ?? []),
  ]);
  const reported = new Set<string>();
  for (const free of findFreeIdentifiers(program, { globals })) {
    if (reported.has(free.name)) continue;
    reported.add(free.name);
    out.push({
      code: 'js/undeclared-variable',
      severity: 'error',
      text: undeclaredVariableMessage(free.name),
      line: free.line,
      column: free.column,
      notes: [undeclaredVariableNote(free.name, options.kind, options.context ?? 'WEB')],
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** How to fix an undeclared name, for the kind of code it is in. */
function undeclaredVariableNote(name: string, kind: string, context: 'WEB' | 'SERVER'): string {
  if (name === 'arguments')
    return '`arguments` exists only inside a function (an arrow has its own), not at the top level of the code.';
  // Test code's most common slip: `data` is what runCode hands the template code, not a test global.
  if (kind === 'test' && name === 'data')
    return 'Test code has no `data`: it is the object a scenario passes to runCode(…), which only the template code sees. Read the values from that object instead (e.g. runCode(mockData), then mockData.field).';
  const statement = requireStatementFor(name, context);
  if (statement) {
    const where = kind === 'test' ? ' (in the setup, every scenario sees it)' : '';
    return `${name} is a sandbox API, obtained with require(): add \`${statement}\` before its first use${where}.`;
  }
  return `The sandbox has no browser globals; declare ${name}, or obtain it with require() (e.g. const JSON = require('JSON');).`;
}

/** The top-level `const x = require('…')` declarations of a program: name → required API. */
export function topLevelApiBindings(program: Program): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const statement of program.body as AnyNode[])
    if (statement.type === 'VariableDeclaration') collectApiBindings(statement.declarations, bindings);
  return bindings;
}

/** Names declared as `x = require('…')`. */
function collectApiBindings(nodes: readonly AnyNode[], into: Map<string, string>): void {
  for (const node of nodes) {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
      const init = node.init;
      if (
        init.type === 'CallExpression' &&
        init.callee.type === 'Identifier' &&
        init.callee.name === 'require'
      )
        into.set(node.id.name, requiredName(init) ?? '');
    }
  }
}

/** The API a `require(...)` call names, when its argument is a constant string. */
function requiredName(call: Extract<AnyNode, { type: 'CallExpression' }>): string | undefined {
  const arg = call.arguments[0];
  return arg && arg.type === 'Literal' && typeof arg.value === 'string' ? arg.value : undefined;
}

/** The finding for code nested too deeply to analyse (walking it would exhaust the stack). */
export function tooDeep(): Diagnostic {
  return {
    code: 'js/too-deep',
    severity: 'error',
    text: `The code nests more than ${MAX_AST_DEPTH} levels deep; it was not analysed further.`,
    line: 1,
    column: 1,
    notes: ['Split long expressions into several statements.'],
  };
}

/** The finding for code that does not parse. */
export function syntaxDiagnostic(error: JsSyntaxError): Diagnostic {
  return {
    code: 'js/syntax',
    severity: 'error',
    text: `JavaScript syntax error: ${error.message}.`,
    line: error.line,
    column: error.column,
  };
}

/** Parses and checks one piece of sandboxed JavaScript. Never throws. */
export function checkSandboxJs(code: string, options: SandboxJsOptions): Diagnostic[] {
  const parsed = parseSandboxJs(code, { locations: false });
  return parsed.ok ? checkSandboxProgram(parsed.program, options) : [syntaxDiagnostic(parsed.error)];
}

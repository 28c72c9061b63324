// `init`: the files of a new template project, as data. A tag or a variable, for web or server
// containers: a small form, code that uses it, and scenarios that pass, so the project builds,
// checks with zero findings and passes its tests the moment it is written (test/init/ proves it
// for every kind).
// The CLI (src/cli/init.ts) decides the folder and writes the files; nothing here touches disk.

import {
  SERVER_TAG_FIELDS,
  SERVER_TAG_MAIN,
  SERVER_TAG_TESTS,
  SERVER_VARIABLE_FIELDS,
  SERVER_VARIABLE_MAIN,
  SERVER_VARIABLE_TESTS,
} from './server-starters.js';

export type StarterKind = 'TAG' | 'MACRO';
export type StarterContext = 'WEB' | 'SERVER';

export interface InitOptions {
  /** The project's folder name: the npm package name and the template's display name derive from it. */
  name: string;
  type?: StarterKind;
  context?: StarterContext;
  /** The version range of gtm-template the project's package.json asks for, e.g. '^0.1.0'. */
  toolchainVersion: string;
}

export interface InitResult {
  /** Project-relative path → content. */
  files?: Map<string, string>;
  /** Why no project was made (a stable code and the text). */
  error?: { code: string; text: string };
}

/** `my_cool-tag` → `My Cool Tag`. */
export function displayNameOf(name: string): string {
  const words = name
    .replace(/\.[^.]*$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return 'My Template';
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

/** A valid npm package name from a folder name (lower case, URL-safe). */
export function packageNameOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return slug || 'gtm-template-project';
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/**
 * The tsconfig.json every project gets: the editor resolves 'gtm' and 'gtm/test' through it (the
 * server preset has the server APIs).
 */
export function projectTsconfig(context: StarterContext = 'WEB'): string {
  return json({
    extends: `gtm-template/${context === 'SERVER' ? 'tsconfig.server.json' : 'tsconfig.template.json'}`,
    include: ['src', 'tests'],
  });
}

export const PROJECT_GITIGNORE = 'node_modules/\n.cache/\n';

/** package.json of a template project: the toolchain as a dev dependency, and the scripts. */
export function projectPackageJson(
  name: string,
  type: StarterKind | 'CLIENT',
  toolchainVersion: string,
): string {
  const once = type === 'TAG' ? ' --once' : '';
  return json({
    name: packageNameOf(name),
    version: '0.1.0',
    private: true,
    scripts: {
      build: 'gtm-template build . --out build',
      watch: 'gtm-template watch . --out build',
      test: `gtm-template build . --out build && gtm-template test build/template.tpl${once}`,
      check: 'gtm-template check build/template.tpl',
    },
    devDependencies: { 'gtm-template': toolchainVersion },
  });
}

const TAG_FIELDS = `// The tag's form. Each property is one field in GTM and one key of \`data\`; the JSDoc says how the
// field looks and what it accepts (the vocabulary: docs/start-a-template.md in gtm-template).

export interface Fields {
  /**
   * The ID of your account, as your dashboard shows it.
   * @title Account ID
   * @valueHint e.g. AB-123
   * @pattern ^[A-Z]{2}-[0-9]+$
   * @errorMessage An account ID looks like AB-123.
   */
  accountId: string;
  /**
   * Sent with every hit; leave it empty to send page_view.
   * @title Event name
   * @default page_view
   */
  eventName?: string;
  /**
   * @title Logging
   * @checkboxText Log each hit to the console (only in GTM's preview and debug mode)
   */
  debug?: boolean;
}
`;

const TAG_MAIN = `import { encodeUriComponent, logToConsole, sendPixel } from 'gtm';
import type { TagData } from 'gtm';
import type { Fields } from './fields';

// GTM runs this once per firing, with the form's values in \`data\`. A tag must end by calling
// data.gtmOnSuccess() or data.gtmOnFailure(), exactly once.
export default function main(data: TagData<Fields>): void {
  const event = data.eventName || 'page_view';
  const url =
    'https://collect.example.com/hit?account=' +
    encodeUriComponent(data.accountId) +
    '&event=' +
    encodeUriComponent(event);
  if (data.debug) logToConsole('Sending hit:', url);
  sendPixel(url, data.gtmOnSuccess, data.gtmOnFailure);
}
`;

const TAG_TESTS = `// Scenarios for GTM's Tests tab; \`npm test\` runs them offline. Each scenario runs the code with
// \`runCode(data)\` against mocked APIs and asserts what it did.
import { assertApi, assertThat, mock, runCode, scenario } from 'gtm/test';

const mockData = { accountId: 'AB-123', eventName: 'signup', debug: false };

scenario('sends one hit with the account and the event, then succeeds', () => {
  let sent = '';
  mock('sendPixel', (url: string, onSuccess: () => void) => {
    sent = url;
    onSuccess();
  });
  runCode(mockData);
  assertThat(sent).isEqualTo('https://collect.example.com/hit?account=AB-123&event=signup');
  assertApi('gtmOnSuccess').wasCalled();
  assertApi('gtmOnFailure').wasNotCalled();
});

scenario('sends page_view when no event name is given', () => {
  let sent = '';
  mock('sendPixel', (url: string, onSuccess: () => void) => {
    sent = url;
    onSuccess();
  });
  runCode({ accountId: 'AB-123' });
  assertThat(sent).isEqualTo('https://collect.example.com/hit?account=AB-123&event=page_view');
});

scenario('fails when the hit cannot be sent', () => {
  mock('sendPixel', (url: string, onSuccess: () => void, onFailure: () => void) => onFailure());
  runCode(mockData);
  assertApi('gtmOnFailure').wasCalled();
  assertApi('gtmOnSuccess').wasNotCalled();
});

scenario('logs the hit only with logging ticked', () => {
  mock('sendPixel', (url: string, onSuccess: () => void) => onSuccess());
  runCode({ accountId: 'AB-123', debug: true });
  assertApi('logToConsole').wasCalledWith(
    'Sending hit:',
    'https://collect.example.com/hit?account=AB-123&event=page_view',
  );
});
`;

const VARIABLE_FIELDS = `// The variable's form. Each property is one field in GTM and one key of \`data\`; the JSDoc says how
// the field looks and what it accepts (the vocabulary: docs/start-a-template.md in gtm-template).

export interface Fields {
  /**
   * The query parameter to read from the page's URL, e.g. utm_source.
   * @title Query parameter
   * @valueHint utm_source
   */
  parameter: string;
  /**
   * Returned when the URL does not have the parameter.
   * @title Fallback value
   */
  fallback?: string;
  /**
   * @title Letter case
   * @default keep
   * @labels {"keep": "Keep as it is", "lower": "Lower case"}
   */
  letterCase: 'keep' | 'lower';
}
`;

const VARIABLE_MAIN = `import { getQueryParameters } from 'gtm';
import type { VariableData } from 'gtm';
import type { Fields } from './fields';

// GTM runs this whenever the variable is read; what it returns is the variable's value.
export default function main(data: VariableData<Fields>): string | undefined {
  const found = getQueryParameters(data.parameter);
  const value = typeof found === 'string' && found !== '' ? found : data.fallback;
  if (value === undefined) return undefined;
  return data.letterCase === 'lower' ? value.toLowerCase() : value;
}
`;

const VARIABLE_TESTS = `// Scenarios for GTM's Tests tab; \`npm test\` runs them offline. Each scenario runs the code with
// \`runCode(data)\` against mocked APIs and asserts what it returned.
import { assertThat, mock, runCode, scenario } from 'gtm/test';

scenario('returns the query parameter', () => {
  mock('getQueryParameters', (key: string) => (key === 'utm_source' ? 'Newsletter' : undefined));
  const value = runCode({ parameter: 'utm_source', letterCase: 'keep' });
  assertThat(value).isEqualTo('Newsletter');
});

scenario('lower-cases the value when asked to', () => {
  mock('getQueryParameters', () => 'Newsletter');
  assertThat(runCode({ parameter: 'utm_source', letterCase: 'lower' })).isEqualTo('newsletter');
});

scenario('returns the fallback when the URL lacks the parameter', () => {
  mock('getQueryParameters', () => undefined);
  const value = runCode({ parameter: 'utm_source', fallback: 'direct', letterCase: 'keep' });
  assertThat(value).isEqualTo('direct');
});

scenario('is undefined without parameter and fallback', () => {
  mock('getQueryParameters', () => undefined);
  assertThat(runCode({ parameter: 'utm_source', letterCase: 'keep' })).isUndefined();
});
`;

function readme(displayName: string, type: StarterKind): string {
  const what = type === 'TAG' ? 'tag' : 'variable';
  return `# ${displayName}

A Google Tag Manager custom ${what} template, written in TypeScript with
[gtm-template](https://www.npmjs.com/package/gtm-template).

\`\`\`sh
npm install        # once: installs gtm-template
npm run build      # src/, tests/ and template.json → build/template.tpl
npm test           # builds, then runs the scenarios in tests/ offline
npm run watch      # rebuilds on every change
\`\`\`

Import \`build/template.tpl\` in GTM: Templates → ${type === 'TAG' ? 'Tag' : 'Variable'} Templates → New → ⋮ → Import.

- \`template.json\`: the template's name, description, brand, categories and permission overrides.
- \`src/fields.ts\`: the form, one property per field, with JSDoc for titles, help, defaults, validation.
- \`src/main.ts\`: the code. Sandbox APIs come from \`import { … } from 'gtm'\`.
- \`tests/*.test.ts\`: scenarios for GTM's Tests tab (\`gtm/test\`).
`;
}

interface Starter {
  fields: string;
  main: string;
  tests: string;
  description: string;
  /** What template.json must declare because the compiler cannot infer it. */
  permissions?: Record<string, Record<string, unknown>>;
}

const STARTERS: Record<StarterContext, Record<StarterKind, Starter>> = {
  WEB: {
    TAG: {
      fields: TAG_FIELDS,
      main: TAG_MAIN,
      tests: TAG_TESTS,
      description: 'Sends a hit to example.com with the account ID and an event name.',
    },
    MACRO: {
      fields: VARIABLE_FIELDS,
      main: VARIABLE_MAIN,
      tests: VARIABLE_TESTS,
      description: 'Reads a query parameter from the page URL, with a fallback value.',
    },
  },
  SERVER: {
    TAG: {
      fields: SERVER_TAG_FIELDS,
      main: SERVER_TAG_MAIN,
      tests: SERVER_TAG_TESTS,
      description: "Sends each event's name to a collection endpoint.",
    },
    MACRO: {
      fields: SERVER_VARIABLE_FIELDS,
      main: SERVER_VARIABLE_MAIN,
      tests: SERVER_VARIABLE_TESTS,
      description: 'Reads a key of the event data, with a fallback value.',
      // The key comes from the form, so which event data it reads is declared: any.
      permissions: { read_event_data: { eventDataAccess: 'any' } },
    },
  },
};

/** The files of a new project, or why none can be made. */
export function initProject(options: InitOptions): InitResult {
  const type = options.type ?? 'TAG';
  const context = options.context ?? 'WEB';
  const starter = STARTERS[context][type];
  const displayName = displayNameOf(options.name);
  const config = {
    displayName,
    description: starter.description,
    type,
    context,
    categories: type === 'TAG' ? ['ANALYTICS'] : ['UTILITY'],
    brand: { displayName },
    fields: { file: 'src/fields.ts', type: 'Fields' },
    main: 'src/main.ts',
    tests: 'tests',
    ...(starter.permissions ? { permissions: starter.permissions } : {}),
  };
  const files = new Map<string, string>([
    ['template.json', json(config)],
    ['src/fields.ts', starter.fields],
    ['src/main.ts', starter.main],
    [type === 'TAG' ? 'tests/tag.test.ts' : 'tests/variable.test.ts', starter.tests],
    ['tsconfig.json', projectTsconfig(context)],
    ['package.json', projectPackageJson(options.name, type, options.toolchainVersion)],
    ['.gitignore', PROJECT_GITIGNORE],
    ['README.md', readme(displayName, type)],
  ]);
  return { files };
}

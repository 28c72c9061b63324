// Every scenario of every server corpus template with ___TESTS___ runs in the sandbox. Server
// templates must not pass falsely: a scenario that cannot run reports the missing APIs by name.

import { describe, expect, test } from 'vitest';
import { parse, type Template } from '../../src/tpl/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { corpusFiles } from '../helpers/corpus.js';

const server = corpusFiles()
  .map((f) => ({ ...f, template: parse(f.text) as Template }))
  .filter((f) => f.template.context === 'SERVER' && (f.template.tests?.scenarios.length ?? 0) > 0);

describe('server corpus scenarios', () => {
  test.each(server.map((f) => [f.name, f] as const))(
    '%s: no false pass, missing APIs named',
    (_name, file) => {
      for (const r of runTests(file.template)) {
        if (r.status === 'pass') continue;
        expect(r.status, r.name).toBe('error');
        expect(r.message, r.name).toMatch(/not supported: \w+/);
      }
    },
  );
});

// The shipped template passes the checker with nothing to report (no errors, no warnings), and its
// own ___TESTS___ scenarios pass offline with --once (exactly one outcome per run).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { runTests } from '../../src/sandbox/index.js';
import { builtTemplate, templatePath } from './built-template.js';

describe('build/template.tpl', () => {
  it('gtm-template check finds no errors and no warnings', () => {
    expect(checkSource(readFileSync(templatePath, 'utf8'))).toEqual([]);
  });

  it('passes its own scenarios (at least 25) with --once', () => {
    const results = runTests(builtTemplate(), { once: true });
    expect(results.length).toBeGreaterThanOrEqual(25);
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
  });
});

// The shipped template passes the checker with nothing to report: no errors and no warnings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { templatePath } from './built-template.js';

describe('gtm-template check on build/template.tpl', () => {
  it('finds no errors and no warnings', () => {
    expect(checkSource(readFileSync(templatePath, 'utf8'))).toEqual([]);
  });
});

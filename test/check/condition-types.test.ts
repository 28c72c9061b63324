// Enabling-condition types: the ones GTM exports carry are accepted, any other still warns.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { webVariable } from './fixtures.js';

/** A web variable with a SELECT that takes variables and a CHECKBOX shown by `conditionType`. */
function variableShownBy(conditionType: string): string {
  const params = [
    {
      type: 'SELECT',
      name: 'format',
      displayName: 'Format',
      macrosInSelect: true,
      selectItems: [
        { value: true, displayValue: 'Short' },
        { value: false, displayValue: 'Long' },
      ],
      simpleValueType: true,
      defaultValue: false,
    },
    {
      type: 'CHECKBOX',
      name: 'trim',
      checkboxText: 'Trim the result',
      simpleValueType: true,
      enablingConditions: [
        { paramName: 'format', paramValue: true, type: 'EQUALS' },
        { paramName: 'format', paramValue: '', type: conditionType },
      ],
    },
  ];
  return webVariable('Formatted Flag', params, 'return data.trim ? "short" : "long";');
}

const codes = (text: string) => checkSource(text).map((d) => `${d.severity} ${d.code}`);

describe('enabling-condition types', () => {
  it('accepts IS_MACRO_REFERENCE, which GTM exports write beside an EQUALS on a variable SELECT', () => {
    expect(codes(variableShownBy('IS_MACRO_REFERENCE'))).toEqual([]);
  });

  it('still warns about a type GTM does not write', () => {
    expect(codes(variableShownBy('IS_VARIABLE'))).toEqual(['warning params/unknown-condition-type']);
  });
});

// Enabling conditions on the validators of a SIMPLE_TABLE column: they may name another column of
// the same table (GTM's editor offers the row's columns there), and are checked against it.
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/index.js';
import { webVariable } from './fixtures.js';

/** A web variable whose only field is a table with a SELECT column and a TEXT column. */
function variableWithTable(textColumnValidators: unknown[]): string {
  const params = [
    {
      type: 'SIMPLE_TABLE',
      name: 'rules',
      displayName: 'Rules',
      simpleTableColumns: [
        {
          defaultValue: 'word',
          displayName: 'Kind',
          name: 'kind',
          type: 'SELECT',
          selectItems: [
            { value: 'word', displayValue: 'Word' },
            { value: 'pattern', displayValue: 'Pattern' },
          ],
        },
        {
          defaultValue: '',
          displayName: 'Text',
          name: 'text',
          type: 'TEXT',
          valueValidators: textColumnValidators,
        },
      ],
    },
  ];
  return webVariable('Rule Count', params, 'return (data.rules || []).length;');
}

const codes = (text: string) => checkSource(text).map((d) => `${d.severity} ${d.code}`);

describe('conditions on SIMPLE_TABLE column validators', () => {
  it('accept a sibling column of the same table', () => {
    const text = variableWithTable([
      {
        type: 'NON_EMPTY',
        enablingConditions: [{ paramName: 'kind', paramValue: 'pattern', type: 'EQUALS' }],
      },
    ]);
    expect(codes(text)).toEqual([]);
  });

  it('check the value against the sibling SELECT column', () => {
    const text = variableWithTable([
      { type: 'NON_EMPTY', enablingConditions: [{ paramName: 'kind', paramValue: 'regex', type: 'EQUALS' }] },
    ]);
    expect(codes(text)).toEqual(['warning params/impossible-condition-value']);
  });

  it('still warn about a name that is neither a column nor a field', () => {
    const text = variableWithTable([
      {
        type: 'NON_EMPTY',
        enablingConditions: [{ paramName: 'kinds', paramValue: 'pattern', type: 'EQUALS' }],
      },
    ]);
    expect(codes(text)).toEqual(['warning params/unknown-condition-field']);
  });
});

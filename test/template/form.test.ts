// The built form (___TEMPLATE_PARAMETERS___): the data contract's field names (DESIGN.md §5), a label
// and help on every field, fields shown only when they apply, and the validators GTM runs on what a
// person types (REGEX is a full match in GTM).
import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../src/tpl/index.js';
import { builtTemplate, HS256_TOKEN, ORGANIZATION_ID } from './built-template.js';

/** Every field with a value in `data`: groups flattened, as GTM does. */
function fields(): Map<string, Parameter> {
  const out = new Map<string, Parameter>();
  const visit = (params: Parameter[]) => {
    for (const p of params) {
      if (p.type === 'GROUP') visit(p.subParams ?? []);
      else if (p.type !== 'LABEL' && p.name) out.set(p.name, p);
    }
  };
  visit(builtTemplate().parameters ?? []);
  return out;
}

function field(name: string): Parameter {
  const p = fields().get(name);
  if (!p) throw new Error(`no field ${name}`);
  return p;
}

/** Whether GTM's REGEX validators of `p` accept `value` (full match). */
function acceptedByRegex(
  p: Parameter | { valueValidators?: Parameter['valueValidators'] },
  value: string,
): boolean {
  const regexes = (p.valueValidators ?? []).filter((v) => v.type === 'REGEX');
  expect(regexes.length).toBeGreaterThan(0);
  return regexes.every((v) => new RegExp(`^(?:${String(v.args?.[0])})$`).test(value));
}

/** The fields that enable `name`, as "field=value" strings (conditions are OR-ed). */
function enabledBy(name: string): string[] {
  return (field(name).enablingConditions ?? []).map((c) => `${c.paramName}=${String(c.paramValue)}`);
}

describe('the giosg form', () => {
  it('has exactly the data contract’s fields', () => {
    expect([...fields().keys()].sort()).toEqual(
      [
        'action',
        'properties',
        'propertiesObject',
        'signing',
        'token',
        'checksum',
        'checksumExpiry',
        'replaceExisting',
        'rooms',
        'removeKeys',
        'loadClient',
        'organizationId',
      ].sort(),
    );
    expect(field('action').radioItems?.map((i) => i.value)).toEqual(['submit', 'remove', 'removeAll']);
    expect(field('signing').selectItems?.map((i) => i.value)).toEqual([
      'plain',
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'RS384',
      'RS512',
      'md5',
      'sha1',
    ]);
    expect(field('properties').simpleTableColumns?.map((c) => c.name)).toEqual(['key', 'value', 'type']);
    expect(field('rooms').simpleTableColumns?.map((c) => c.name)).toEqual(['by', 'room']);
    expect([field('action').defaultValue, field('signing').defaultValue]).toEqual(['submit', 'plain']);
    expect([field('replaceExisting').defaultValue, field('loadClient').defaultValue]).toEqual([false, false]);
  });

  it('gives every field a label and help that shows an example', () => {
    for (const [name, p] of fields()) {
      expect(p.displayName ?? p.checkboxText, name).toBeTruthy();
      expect(p.help ?? '', name).toMatch(/e\.g\.|<code>/);
    }
    expect(field('properties').help).toContain('<code>username</code>');
    expect(field('rooms').help).toMatch(/Room settings.*legacy room id/s);
    expect(field('signing').help).toMatch(/server.*signing key must never reach/s);
  });

  it('shows fields only when they apply', () => {
    expect(enabledBy('token')).toEqual(
      ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'].map((a) => `signing=${a}`),
    );
    expect(enabledBy('checksum')).toEqual(['signing=md5', 'signing=sha1']);
    expect(enabledBy('properties')).toEqual(['signing=plain', 'signing=md5', 'signing=sha1']);
    expect(enabledBy('removeKeys')).toEqual(['action=remove']);
    expect(enabledBy('organizationId')).toEqual(['loadClient=true']);
    const groups = (builtTemplate().parameters ?? []).filter((p) => p.type === 'GROUP');
    const submitOnly = groups.filter((g) => g.enablingConditions?.some((c) => c.paramValue === 'submit'));
    expect(submitOnly.flatMap((g) => g.subParams?.map((p) => p.name))).toEqual(
      expect.arrayContaining(['properties', 'signing', 'rooms']),
    );
  });

  it('validates what GTM can: non-empty unique keys, UUID organization ID, JWT shape', () => {
    const key = field('properties').simpleTableColumns!.find((c) => c.name === 'key')!;
    expect(key.isUnique).toBe(true);
    expect(key.valueValidators?.map((v) => v.type)).toContain('NON_EMPTY');
    expect(field('removeKeys').simpleTableColumns![0]!.isUnique).toBe(true);

    const organization = field('organizationId');
    expect(acceptedByRegex(organization, ORGANIZATION_ID)).toBe(true);
    expect(acceptedByRegex(organization, '{{giosg organization}}')).toBe(true);
    expect(acceptedByRegex(organization, '826100fd-b473-49b0-bafd')).toBe(false);
    expect(acceptedByRegex(organization, '3057')).toBe(false);

    const token = field('token');
    expect(acceptedByRegex(token, HS256_TOKEN)).toBe(true);
    expect(acceptedByRegex(token, '{{DLV - giosgToken}}')).toBe(true);
    expect(acceptedByRegex(token, 'eyJhbGciOiJIUzI1NiJ9.eyJ9')).toBe(false);
    expect(acceptedByRegex(token, 'my secret key')).toBe(false);

    expect(acceptedByRegex(field('checksum'), 'e584526251c396fc937e27561c9597c8')).toBe(true);
    expect(acceptedByRegex(field('checksum'), 'e584526251c396fc')).toBe(false);
    expect(acceptedByRegex(field('checksumExpiry'), '1371720939')).toBe(true);
    expect(acceptedByRegex(field('checksumExpiry'), 'tomorrow')).toBe(false);
  });
});

// template.json and recipe.json: mistakes are reported with the key or the entity they concern.
import { describe, expect, it } from 'vitest';
import { containerJson, containerProblems } from '../../src/tpl/container.js';
import { emptyTemplate } from '../../src/tpl/model.js';
import { BASE_CONFIG, compileMemory, configOf, tagMain } from './helpers.js';

const config = configOf;

describe('template.json', () => {
  const valid = BASE_CONFIG;

  it('accepts a minimal project', () => {
    expect(config(valid).errors).toEqual([]);
  });

  it('names the key of each mistake', () => {
    const texts = config({
      ...valid,
      type: 'VARIABLE',
      colour: 'red',
      gallery: { homepage: 'x', versions: [{ sha: 'abc', changeNotes: '' }] },
    }).errors.map((d) => d.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^template\.json: \(top level\) .*unknown key 'colour'/),
        expect.stringMatching(/^template\.json: type .*"TAG", "MACRO"/),
        expect.stringMatching(/^template\.json: gallery\.versions\.0\.sha /),
      ]),
    );
  });

  it('reports a main file that does not exist', () => {
    expect(config({ ...valid, main: 'src/nope.ts' }).errors.map((d) => d.text)).toEqual([
      "template.json: main names 'src/nope.ts', which does not exist in the project",
    ]);
  });
});

describe('recipe.json', () => {
  const template = emptyTemplate();
  template.parameters = [
    { type: 'TEXT', name: 'a' },
    { type: 'GROUP', name: 'g', subParams: [{ type: 'CHECKBOX', name: 'b' }] },
  ];

  it('takes tags as GTM exports them and gives them the template type', () => {
    const { container, errors } = containerJson(template, 'x', {
      tag: [{ name: 't', parameter: [{ type: 'TEMPLATE', key: 'a', value: '1' }], parameters: { b: true } }],
    });
    expect(errors).toEqual([]);
    expect(containerProblems(container)).toEqual([]);
    const tag = (container as any).containerVersion.tag[0];
    expect(tag.type).toBe('cvt_100000001_1');
    expect(tag.parameter).toEqual([
      { type: 'TEMPLATE', key: 'a', value: '1' },
      { type: 'BOOLEAN', key: 'b', value: 'true' },
    ]);
  });

  it('reports parameters that are not fields and triggers that do not exist', () => {
    const { errors } = containerJson(template, 'x', {
      tag: [{ name: 't', parameters: { g: 'x', c: 1 }, firingTriggers: ['Nope'] }],
    });
    expect(errors).toEqual([
      "recipe tag 't': 'g' is not a field of the template",
      "recipe tag 't': 'c' is not a field of the template",
      "recipe tag 't': no trigger named 'Nope' (define it in triggers, or use 'All Pages')",
    ]);
  });
});

describe('permissions the compiler does not infer', () => {
  it('must be declared, and then they are used as declared', async () => {
    const main = tagMain("  getCookieValues('session');", "import { getCookieValues } from 'gtm';");
    const missing = await compileMemory({ 'src/main.ts': main });
    expect(missing.errors).toEqual([
      expect.objectContaining({ code: 'permissions/not-inferable', file: 'src/main.ts', line: 5 }),
    ]);
    expect(missing.errors[0]!.text).toContain("'get_cookies'");
    const declared = await compileMemory(
      { 'src/main.ts': main },
      { permissions: { get_cookies: { cookieAccess: 'specific', cookieNames: ['session'] } } },
    );
    expect(declared.errors).toEqual([]);
    expect(declared.template!.permissions!.map((p) => p.instance.key.publicId)).toEqual(['get_cookies']);
  });
});

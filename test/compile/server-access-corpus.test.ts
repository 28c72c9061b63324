// The table of what each server API asks (src/gtm/api-access.ts), against real templates: every
// ask that the constant arguments of a corpus server template's code make is allowed by the
// permissions GTM's editor gave that template, under the permission semantics the sandbox
// enforces. The exceptions are listed exactly, each with the reason it is the template's own gap.
import { describe, expect, it } from 'vitest';
import { inferPermissions } from '../../src/compile/permissions.js';
import { permissionDenial } from '../../src/gtm/permissions.js';
import { permissionId, permissionParams } from '../../src/gtm/typed-value.js';
import { findApiUsage } from '../../src/js/api-usage.js';
import { parseSandboxJs } from '../../src/js/parse.js';
import { parse } from '../../src/tpl/parse.js';
import { allCorpusFiles } from '../helpers/corpus.js';
import { asksOf, UNKNOWN } from './helpers.js';

/** `file: permission(args)` → why the template's own permissions do not allow it. */
const KNOWN_DENIALS: Record<string, string> = {
  // send_http is "specific" with no URL at all: every request would be denied in GTM. Its
  // scenarios mock sendHttpRequest, and GTM does not check permissions for mocked APIs.
  'AdPageGroup+spotler-server-tag__template.tpl: send_http(["https://api.squeezely.tech/v1/track"])':
    'the template declares no URL',
};

const hasUnknown = (value: unknown): boolean =>
  value === UNKNOWN || (typeof value === 'object' && value !== null && Object.values(value).some(hasUnknown));

describe('server API access against the corpus', () => {
  const found: string[] = [];
  const shapes: string[] = [];
  let asked = 0;
  let inferred = 0;
  for (const file of allCorpusFiles()) {
    const template = parse(file.text);
    if (template.context !== 'SERVER' || typeof template.code !== 'string') continue;
    const parsed = parseSandboxJs(template.code);
    if (!parsed.ok) continue;
    const declared = new Map(
      (template.permissions ?? []).map((p) => [permissionId(p), permissionParams(p)] as const),
    );
    const usage = findApiUsage(parsed.program);
    // Where the code fixes every argument, the inferred permissions are ones the template has,
    // and no wider: where an inferred parameter says "any", the template's says so too.
    const result = inferPermissions(usage, {}, undefined, template.code, 'SERVER');
    if (result.errors.length === 0) {
      inferred++;
      for (const p of result.permissions) {
        const id = permissionId(p)!;
        const theirs = declared.get(id);
        if (!theirs) shapes.push(`${file.name}: ${id} is not declared`);
        else
          for (const [key, value] of Object.entries(permissionParams(p)))
            if (value === 'any' && theirs[key] !== 'any')
              shapes.push(
                `${file.name}: ${id}.${key} is "any" where the template's is ${JSON.stringify(theirs[key])}`,
              );
      }
    }
    for (const [id, args] of asksOf(usage, false)) {
      if (args.some(hasUnknown)) continue;
      asked++;
      const params = declared.get(id);
      if (!params || permissionDenial(id, params, args) !== undefined)
        found.push(`${file.name}: ${id}(${JSON.stringify(args)})`);
    }
  }

  it('asks what GTM granted, in hundreds of calls with constant arguments', () => {
    expect(asked).toBeGreaterThan(400);
    expect(found.sort()).toEqual(Object.keys(KNOWN_DENIALS).sort());
  });

  it('infers, for code that fixes its arguments, only permissions the template declares, no wider', () => {
    expect(inferred).toBeGreaterThan(30);
    expect(shapes).toEqual([]);
  });
});

// The container recipe (build/container.json) does what the README promises: after importing it, a
// site's `dataLayer.push({ event: 'giosg.visitor', giosgVisitor: {…} })` sends those variables, and
// `{ event: 'giosg.logout' }` removes them all. The tags' parameters are fired through the built
// template, with the Data Layer Variable resolved the way GTM resolves it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTemplate } from '../../src/sandbox/index.js';
import { containerProblems } from '../../src/tpl/container.js';
import { parse } from '../../src/tpl/index.js';
import { builtTemplate, buildDir, queued } from './built-template.js';

interface GtmParameter {
  type: string;
  key: string;
  value?: string;
  list?: GtmParameter[];
  map?: GtmParameter[];
}
interface Entity {
  name: string;
  type: string;
  parameter?: GtmParameter[];
  customEventFilter?: { type: string; parameter: GtmParameter[] }[];
  firingTriggerId?: string[];
  triggerId?: string;
  [key: string]: unknown;
}

const container = JSON.parse(readFileSync(path.join(buildDir, 'container.json'), 'utf8'));
const version = container.containerVersion as {
  containerId: string;
  tag: Entity[];
  trigger: Entity[];
  variable: Entity[];
  customTemplate: { templateId: string; containerId: string; templateData: string }[];
};

const param = (entity: Entity, key: string) => entity.parameter?.find((p) => p.key === key)?.value;

/** The custom event a trigger listens for. */
function eventOf(trigger: Entity): string | undefined {
  const filter = trigger.customEventFilter?.find((f) => f.type === 'EQUALS');
  const args = filter?.parameter ?? [];
  return args.find((p) => p.key === 'arg0')?.value === '{{_event}}'
    ? args.find((p) => p.key === 'arg1')?.value
    : undefined;
}

/** A tag's `data` as GTM builds it: text with {{variables}} resolved, checkboxes as booleans. */
function tagData(tag: Entity, variables: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const p of tag.parameter ?? []) {
    if (p.type === 'BOOLEAN') data[p.key] = p.value === 'true';
    else if (p.type === 'TEMPLATE') {
      // A field holding exactly one variable gets the variable's value with its own type.
      const whole = /^\{\{(.+)\}\}$/.exec(p.value ?? '');
      data[p.key] = whole ? variables[whole[1]!] : p.value;
    } else throw new Error(`the recipe's tags use only TEMPLATE and BOOLEAN parameters, not ${p.type}`);
  }
  return data;
}

function tagFiredBy(event: string): Entity {
  const trigger = version.trigger.find((t) => eventOf(t) === event);
  expect(trigger, `a trigger for the custom event ${event}`).toBeDefined();
  const tags = version.tag.filter((t) => t.firingTriggerId?.includes(trigger!.triggerId!));
  expect(tags).toHaveLength(1);
  return tags[0]!;
}

describe('the container recipe', () => {
  it('holds the template, and its tags use it', () => {
    expect(container.exportFormatVersion).toBe(2);
    expect(version.customTemplate).toHaveLength(1);
    const template = version.customTemplate[0]!;
    expect(parse(template.templateData).code).toBe(builtTemplate().code);
    for (const tag of version.tag) expect(tag.type).toBe(`cvt_${version.containerId}_${template.templateId}`);
  });

  it('looks like a real export: a fixed exportTime, the Event built-in, one non-zero account and container id', () => {
    // Real exports carry exportTime as 'YYYY-MM-DD HH:MM:SS' (format notes §6.1); a fixed one keeps builds reproducible.
    expect(container.exportTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const cv = container.containerVersion;
    expect(cv.accountId).toMatch(/^[1-9]\d*$/);
    expect(cv.containerId).toMatch(/^[1-9]\d*$/);
    // The recipe's triggers read {{_event}}: the Event built-in variable is enabled, as in real exports.
    expect(version.trigger.some((t) => eventOf(t) !== undefined)).toBe(true);
    expect(cv.builtInVariable).toEqual([
      { accountId: cv.accountId, containerId: cv.containerId, type: 'EVENT', name: 'Event' },
    ]);
    const path = `accounts/${cv.accountId}/containers/${cv.containerId}`;
    expect([cv.path, cv.container.path]).toEqual([`${path}/versions/0`, path]);
    for (const entity of [cv.container, ...cv.tag, ...cv.trigger, ...cv.variable, ...cv.customTemplate]) {
      expect([entity.accountId, entity.containerId]).toEqual([cv.accountId, cv.containerId]);
    }
    expect(containerProblems(container)).toEqual([]);
    // The structural check notices an entity that names another account or container.
    const edited = JSON.parse(JSON.stringify(container));
    edited.containerVersion.tag[0].accountId = '2000000002';
    edited.containerVersion.builtInVariable[0].containerId = '200000002';
    expect(containerProblems(edited)).toEqual([
      `tag '${edited.containerVersion.tag[0].name}' has another accountId`,
      "builtInVariable 'Event' has another containerId",
    ]);
  });

  it('reads giosgVisitor from the data layer', () => {
    const variable = version.variable.find((v) => v.name === 'DLV - giosgVisitor')!;
    expect(variable.type).toBe('v');
    expect(param(variable, 'name')).toBe('giosgVisitor');
    expect(param(variable, 'dataLayerVersion')).toBe('2');
  });

  it('sends what the site pushes with giosg.visitor', () => {
    const pushed = { username: 'Jane Doe', email: 'jane@example.com', customerNumber: 1234 };
    const data = tagData(tagFiredBy('giosg.visitor'), { 'DLV - giosgVisitor': pushed });
    const result = runTemplate(builtTemplate(), data);
    expect(result.outcome).toBe('success');
    expect(queued(result.window)).toEqual([['visitor', 'submit', pushed, 'plain', false]]);
  });

  it('removes all variables on giosg.logout', () => {
    const result = runTemplate(builtTemplate(), tagData(tagFiredBy('giosg.logout'), {}));
    expect(result.outcome).toBe('success');
    expect(queued(result.window)).toEqual([['visitor', 'removeAll']]);
  });
});

// One cold pass of the checker's stages over the given files, in this (fresh) process, printed as
// JSON (wall and CPU time). `bench/check.ts` runs it in new processes to show where a fresh
// `gtm-template check` spends its time: reading the sections (JSON, YAML), then also parsing every piece of JavaScript (the
// template's code and each scenario's), then the whole check. Module loading is not included.
// Usage: node scripts/run-ts.js bench/check-cold.ts <parse|parse+js|check> <file.tpl>...

import { readFileSync } from 'node:fs';
import { checkSource } from '../src/check/index.js';
import { tuneEngineFor } from '../src/cli/engine.js';
import { parseSandboxJs } from '../src/js/parse.js';
import { parse } from '../src/tpl/parse.js';

const [stage, ...files] = process.argv.slice(2);
// The engine as `gtm-template check` tunes its own process.
tuneEngineFor(['check']);
const texts = files.map((f) => readFileSync(f, 'utf8'));

const stages: Record<string, (text: string) => void> = {
  parse: (text) => void parse(text),
  'parse+js': (text) => {
    const template = parse(text);
    const tests = template.tests as { scenarios?: { code?: unknown }[]; setup?: unknown } | undefined;
    const codes = [template.code, tests?.setup, ...(tests?.scenarios ?? []).map((s) => s?.code)];
    for (const code of codes) if (typeof code === 'string') parseSandboxJs(code, { locations: false });
  },
  check: (text) => void checkSource(text),
};
const run = stages[stage ?? ''];
if (!run) throw new Error(`stage must be one of ${Object.keys(stages).join(', ')}`);
const started = performance.now();
const cpuBefore = process.cpuUsage();
for (const text of texts) run(text);
const ms = performance.now() - started;
// CPU time of the whole process (every thread: V8 compiles and collects garbage beside this one).
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');

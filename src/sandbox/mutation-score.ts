// Mutation score of a template's own tests under this runner: each mutant of the template code is
// run against the scenarios that pass on the original; it is killed when one of them no longer
// passes. A high score shows the runner really executes the code with GTM's semantics (a runner
// that passed everything would score 0).

import type { Template } from '../tpl/model.js';
import { generateMutants, type Mutant, type MutantKind } from './mutate.js';
import { NodeRealm } from './node-realm.js';
import { runTests } from './run-tests.js';

export interface MutantResult {
  mutant: Omit<Mutant, 'code'>;
  killed: boolean;
  /** The scenario that noticed it. */
  killedBy?: string;
}

export interface MutationReport {
  /** Scenarios passing on the unmutated template (the ones mutants are run against). */
  baseline: string[];
  mutants: MutantResult[];
  killed: number;
  total: number;
  byKind: Record<MutantKind, { killed: number; total: number }>;
}

export interface MutationOptions {
  /** Spread the work over at most this many mutants (evenly sampled, deterministic). */
  maxMutants?: number;
}

function sample<T>(items: T[], max: number | undefined): T[] {
  if (max === undefined || items.length <= max) return items;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.floor((i * items.length) / max)]!);
  return out;
}

export function mutationScore(template: Template, options: MutationOptions = {}): MutationReport {
  // One realm for the whole template keeps compiled scenario code cached across mutants.
  const shared = new NodeRealm();
  const realm = () => shared;
  const baseline = runTests(template, { realm })
    .filter((r) => r.status === 'pass')
    .map((r) => r.name);
  const byKind: MutationReport['byKind'] = {
    'drop-gtmOnSuccess': { killed: 0, total: 0 },
    'api-literal': { killed: 0, total: 0 },
    'flip-condition': { killed: 0, total: 0 },
  };
  const results: MutantResult[] = [];
  for (const mutant of sample(generateMutants(template.code ?? ''), options.maxMutants)) {
    const mutated: Template = { ...template, code: mutant.code };
    let killedBy: string | undefined;
    for (const name of baseline) {
      const [r] = runTests(template, { only: [name], templateOverride: mutated, realm });
      if (r && r.status !== 'pass') {
        killedBy = name;
        break;
      }
    }
    const { code: _code, ...described } = mutant;
    results.push({ mutant: described, killed: killedBy !== undefined, ...(killedBy ? { killedBy } : {}) });
    byKind[mutant.kind].total++;
    if (killedBy) byKind[mutant.kind].killed++;
  }
  return {
    baseline,
    mutants: results,
    killed: results.filter((r) => r.killed).length,
    total: results.length,
    byKind,
  };
}

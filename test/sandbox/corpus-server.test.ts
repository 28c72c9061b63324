// Server scenarios of both corpus folders against test/sandbox/corpus-server-known-failures.json
// (exact both ways), and at least 95% of them passing, as issue 9 asks.
import { describeScenarioConformance } from './scenario-conformance.js';

describeScenarioConformance({
  context: 'SERVER',
  knownFailuresFile: 'corpus-server-known-failures.json',
  minScenarios: 200,
  minPassRate: 0.95,
});

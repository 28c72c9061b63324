// The executable's V8 tuning (src/cli/engine.ts): only the batch commands change the engine.
import { describe, expect, it } from 'vitest';
import { tuneEngineFor } from '../../src/cli/engine.js';

describe('tuneEngineFor', () => {
  it('turns off TurboFan inlining for check and test, the short batches over cold code', () => {
    expect(tuneEngineFor(['check', 'a.tpl'])).toEqual(['--no-turbo-inlining']);
    expect(tuneEngineFor(['test', '--workers', '0', 'b.tpl'])).toEqual(['--no-turbo-inlining']);
  });

  it('leaves the engine alone for every other command and for no command', () => {
    for (const argv of [['build'], ['watch'], ['preview'], ['import', 'x.tpl'], ['format'], ['--help'], []])
      expect(tuneEngineFor(argv)).toEqual([]);
  });
});

// The executable when its reader stops early (`gtm-template check … | head`): the closed pipe is
// not the command's error, so there is no stack trace, and the command's own exit code stands.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { template, webTagInfo } from '../check/fixtures.js';
import { repoRoot } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

const cli = path.join(repoRoot, 'bin/gtm-template.js');

describe('gtm-template with its output closed early', () => {
  it('finishes without a stack trace and exits with the exit code of its findings', async () => {
    // Thousands of findings: far more output than a pipe buffers, so writes are still pending
    // when the reader goes away.
    const uses = Array.from({ length: 3000 }, (_, i) => `undeclaredName${i};`).join('\n');
    const file = path.join(tempDir('gtm-pipe-'), 'many.tpl');
    writeFileSync(
      file,
      template([
        ['INFO', webTagInfo()],
        ['TEMPLATE_PARAMETERS', '[]'],
        ['SANDBOXED_JS_FOR_WEB_TEMPLATE', `${uses}\ndata.gtmOnSuccess();`],
      ]),
    );
    const child = spawn(process.execPath, [cli, 'check', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let firstChunk = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      firstChunk = d.toString();
      child.stdout.destroy(); // as `head` does once it has its lines
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(firstChunk).toContain('error js/undeclared-variable');
    expect(stderr).toBe('');
    expect(code).toBe(1);
  }, 30_000);
});

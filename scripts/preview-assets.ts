// Writes the preview page's script and styles, prebuilt, into dist/preview/ for the packed package,
// which ships dist/ but not src/ (`npm pack` runs it through prepack; see src/preview/assets.ts).
// It reports on stderr: `npm pack --json` prints its JSON on stdout.
import { writePrebuiltAssets } from '../src/preview/assets.js';

for (const file of await writePrebuiltAssets()) process.stderr.write(`wrote ${file}\n`);

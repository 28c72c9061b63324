// `npm run bench`: every benchmark of the project in one process, one after the other, so the
// figures printed side by side were measured under the same machine load.
import { run as checkBench } from './check.js';
import { run as sandboxBench } from './sandbox.js';
import { run as compileBench } from './compile.js';
import { run as giosgBench } from './giosg.js';
import { run as browserBench } from './browser.js';
import { run as previewBench } from './preview.js';
import { run as importBench } from './import.js';

const started = performance.now();
console.log(`# gtm-template benchmarks (node ${process.version}, ${new Date().toISOString()})`);
console.log('Shared, noisy machines: compare figures within one run; medians over repeated runs.');
await checkBench();
await sandboxBench();
await compileBench();
await giosgBench();
await browserBench();
await previewBench();
await importBench();
console.log(`\nAll benchmarks: ${((performance.now() - started) / 1000).toFixed(1)} s`);

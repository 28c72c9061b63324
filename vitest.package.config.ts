import { defineConfig } from 'vitest/config';

// `npm run test:package`: packs the project and installs the tarball into a temporary folder (CI
// runs it after `npm test`; it rebuilds dist/, so it does not run beside the other suites).
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Template projects used as test data hold their own GTM scenario files (*.test.ts); the package
    // test (npm run test:package) packs and installs the project, so it runs on its own.
    exclude: ['test/fixtures/**', 'node_modules/**', 'test/package/**'],
    // Prints the one line that says the browser suites cannot run here, when Chromium is missing.
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

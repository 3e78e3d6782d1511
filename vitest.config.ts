import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start local servers and a local DynamoDB; CDK synth bundles with esbuild.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: keep files in parallel but bounded.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start local servers and a local DynamoDB; CDK synth bundles with esbuild. These are
    // limits against hangs, not speed checks: on a loaded machine (2 shared cores, a CPU hog beside) the
    // child-process scenarios take several times longer than on an idle one.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores here and in CI: keep files in parallel but bounded.
    maxWorkers: 2,
  },
});

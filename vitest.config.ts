import { defineConfig } from 'vitest/config';
import { SDK_NODE_WARNING_SWITCH } from './dev/sdk-node-warning.js';

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
    // Only the AWS SDK's "Node < 22 unsupported from 2027" notice is switched off (dev/sdk-node-warning.ts).
    env: { [SDK_NODE_WARNING_SWITCH]: process.env[SDK_NODE_WARNING_SWITCH] ?? 'true' },
  },
});

/**
 * The AWS SDK's Node-version notice stays out of the demo and the tests, and nothing else does: a process with
 * the test environment builds an SDK client and emits another warning; only that other warning shows.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { quietSdkNodeVersionWarning, SDK_NODE_WARNING_SWITCH } from '../../dev/sdk-node-warning.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Builds a client (the SDK checks the Node version then), then emits a warning of its own. */
const CHILD = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
new DynamoDBClient({ region: 'us-east-1' });
process.emitWarning('a real warning that must still show', 'ExampleWarning');
`;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** The stderr of a Node process running {@link CHILD} with `env`. */
function stderrOf(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(stderr));
  });
}

describe("the AWS SDK's Node-version notice", () => {
  it('is off in the test environment, while other warnings still show', async () => {
    // Prepare: the environment every test and the child processes it starts inherit
    const env = { ...process.env };

    // Act
    const stderr = await stderrOf(env);

    // Assess
    expect(env[SDK_NODE_WARNING_SWITCH]).toBe('true');
    expect(stderr).toContain('ExampleWarning: a real warning that must still show');
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  });

  it.runIf(NODE_MAJOR < 22)('shows without the switch (so the check above can fail)', async () => {
    // Prepare
    const env = { ...process.env };
    delete env[SDK_NODE_WARNING_SWITCH];

    // Act
    const stderr = await stderrOf(env);

    // Assess
    expect(stderr).toContain('NodeVersionSupportWarning');
    expect(stderr).toContain('ExampleWarning: a real warning that must still show');
  });

  it('is switched off only where nobody set the variable (an explicit value wins)', () => {
    // Prepare
    const unset: NodeJS.ProcessEnv = {};
    const explicit: NodeJS.ProcessEnv = { [SDK_NODE_WARNING_SWITCH]: 'false' };

    // Act
    quietSdkNodeVersionWarning(unset);
    quietSdkNodeVersionWarning(explicit);

    // Assess
    expect(unset[SDK_NODE_WARNING_SWITCH]).toBe('true');
    expect(explicit[SDK_NODE_WARNING_SWITCH]).toBe('false');
  });
});

/**
 * The AWS SDK's notice that its releases after the first week of January 2027 need Node ≥ 22. `@aws-sdk/core`
 * (`emitWarningIfUnsupportedVersion`) emits it once per process, as a `NodeVersionSupportWarning` on stderr,
 * when the first client is built under Node < 22, unless `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED` is
 * `"true"`. It says nothing about the deployed function (Node 24) and is noise in a demo or a test run on
 * Node 20. The SDK's own switch turns off exactly that notice: every other process warning still shows.
 */

/** The SDK's switch (read by `@aws-sdk/core` when the first client is built). */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Turns the notice off in `env`, unless the variable is already set (an explicit value wins). */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env[SDK_NODE_WARNING_SWITCH] ??= 'true';
}

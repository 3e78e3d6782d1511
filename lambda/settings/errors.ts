import { ConfigError } from '../core/errors.js';

/**
 * A setting the collector cannot work with. `label` is the name the operator used: the environment variable
 * at run time, the context key or construct prop at synth time, so the message always names what to fix.
 */
export function settingError(label: string, problem: string): ConfigError {
  return new ConfigError(`${label} ${problem}`);
}

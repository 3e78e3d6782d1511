/**
 * A construct property that the collector cannot work with, found at synth time. The message names the
 * property, what is wrong and, where it helps, an example; `cdk synth` prints it without a stack trace.
 */
export class InvalidPropsError extends Error {
  public override readonly name = 'InvalidPropsError';
}

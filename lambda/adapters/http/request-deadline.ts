/**
 * One HTTP request's abort signal: the caller's signal (the invocation's deadline, a shutdown) combined with
 * the request's own timeout. Keeping both at hand lets an adapter tell "the caller gave up" (rethrow the
 * caller's reason, the core knows what it means) from "the far end was too slow" (retryable).
 */

export class RequestDeadline {
  /** Pass to `fetch`: it aborts the request and the reading of its body. */
  public readonly signal: AbortSignal;
  private readonly timeout: AbortSignal;

  public constructor(
    private readonly caller: AbortSignal,
    public readonly timeoutMs: number,
  ) {
    this.timeout = AbortSignal.timeout(timeoutMs);
    this.signal = AbortSignal.any([caller, this.timeout]);
  }

  /** True when the caller aborted (whatever the timeout did): rethrow {@link callerReason}. */
  public get callerAborted(): boolean {
    return this.caller.aborted;
  }

  /** The caller's abort reason, to rethrow unchanged. */
  public get callerReason(): unknown {
    return this.caller.reason as unknown;
  }

  /** True when this request's own timeout fired. */
  public get timedOut(): boolean {
    return this.timeout.aborted && !this.caller.aborted;
  }
}

/**
 * An Okta event held as the bytes Okta served: the page body is never decoded to a string, and Sumo gets the
 * same bytes. Its text is decoded only if something asks for `json` (a filter, a test, a log of one event).
 */
import type { OktaEvent } from './ports.js';

/** An {@link OktaEvent} over a view of the page's bytes. */
export class ServedEvent implements OktaEvent {
  public constructor(
    /** The event's UTF-8 bytes, on one line. */
    public readonly bytes: Buffer,
    public readonly published: string | undefined,
  ) {}

  public get json(): string {
    return this.bytes.toString('utf8');
  }
}

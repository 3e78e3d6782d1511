/**
 * The `User-Agent` the collector sends to Okta and Sumo Logic, so their support teams (and an admin reading
 * Okta's System Log `client.userAgent`) can tell this integration's traffic apart from everything else.
 */

/** `okta-sumo-collector/<version> node/<version>`. */
export const USER_AGENT = `okta-sumo-collector/0.1.0 node/${process.versions.node}`;

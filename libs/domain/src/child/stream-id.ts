/** An authority id, as packs (policy-pack.schema.json) and case events name one: e.g. `kent`. */
const AUTHORITY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A stream id was asked for with something that is not an authority id. */
export class InvalidAuthority extends Error {
  readonly code = 'INVALID_AUTHORITY';
  constructor(readonly authority: string) {
    super(`not an authority id (lower-case letters, digits and hyphens): ${JSON.stringify(authority)}`);
  }
}

/**
 * The one place stream ids are made (STYLE.md "Naming"): `child/<authority>/<childId>`. An authority
 * never contains "/", so the id says where the authority ends: (kent, east-C1) and (kent-east, C1)
 * get different streams, as they did not under `child-<authority>-<childId>`.
 */
export function childStreamId(authority: string, childId: string): string {
  if (!AUTHORITY_ID.test(authority)) throw new InvalidAuthority(authority);
  return `child/${authority}/${childId}`;
}

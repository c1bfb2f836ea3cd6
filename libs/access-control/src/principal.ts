/**
 * Who is calling, as the access checks see it: the token's subject, the roles it grants that this
 * system knows, and the authorities (tenants) it is scoped to.
 */

/**
 * - integration: a case-management system posting case events;
 * - manager: a team manager answering transfers;
 * - reader: dashboards and queries;
 * - admin: operations (the clock outside production).
 */
export const ROLES = ['integration', 'manager', 'reader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  roles: Role[];
  /** Authority ids, e.g. `kent`: the tenants this token may read and write. */
  authorities: string[];
}

/** Where the access guard leaves the verified principal on the request. */
export const PRINCIPAL = Symbol('cto:access:principal');

/** The same shape as a case event's `authority` and a pack's authorities. */
export const AUTHORITY_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * The principal a verified token's claims describe. Unknown roles and malformed authority ids are
 * dropped rather than refused, so an identity provider may put other roles in the same claim.
 */
export function principalOf(claims: { sub?: unknown; roles?: unknown; authorities?: unknown }): Principal {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    subject: String(claims.sub),
    roles: [...new Set(strings(claims.roles).filter(isRole))],
    authorities: [...new Set(strings(claims.authorities).filter((a) => AUTHORITY_ID.test(a)))],
  };
}

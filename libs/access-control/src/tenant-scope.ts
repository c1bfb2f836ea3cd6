/**
 * Tenant isolation: a token reads and writes only the authorities it is scoped to. Handlers call
 * these once they know which authority a request is about.
 */
import { AccessDenied } from './access-errors';
import { AUTHORITY_ID, type Principal } from './principal';

export const mayAccess = (principal: Principal, authority: string): boolean => principal.authorities.includes(authority);

/** 403 unless the token is scoped to this authority. */
export function assertMayAccess(principal: Principal, authority: string): void {
  if (!mayAccess(principal, authority)) throw new AccessDenied(`this token is not scoped to authority ${authority}`);
}

/**
 * 403 naming every envelope of a case-event batch (one envelope or an array) whose `authority` the
 * token is not scoped to, so that none of the batch is recorded. An envelope whose `authority` is
 * not an authority id at all cannot belong to any tenant: contract validation answers 400 for it.
 */
export function assertCaseEventsInScope(principal: Principal, body: unknown): void {
  const envelopes: unknown[] = Array.isArray(body) ? body : [body];
  const errors = envelopes.flatMap((envelope, index) => {
    const authority = typeof envelope === 'object' && envelope !== null ? (envelope as { authority?: unknown }).authority : undefined;
    if (typeof authority !== 'string' || !AUTHORITY_ID.test(authority) || mayAccess(principal, authority)) return [];
    return [{ index, path: '/authority', reason: `this token is not scoped to authority ${authority}` }];
  });
  if (errors.length) {
    throw new AccessDenied('some case events are for authorities this token is not scoped to; none of this request was recorded', errors);
  }
}

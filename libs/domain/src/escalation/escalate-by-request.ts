/**
 * A person escalates a matter to the next rung of the ladder: `POST /v1/escalations/{id}/escalate`
 * or the case event EscalationRequested. Time climbs a ladder only where the procedure gives a
 * timescale; some rungs it gives none, and the rung below decides: 003 §4, the Service Manager
 * "where necessary, escalate[s] their concerns to the relevant Assistant Director for a
 * resolution". Any rung may be escalated by hand, timed or not; the top rung and a resolved
 * escalation cannot.
 */
import type { LocalDate } from '../calendar/local-date';
import type { ChildState, EscalationState } from '../child/child-state';
import type { Decision } from '../events/decision-events';
import type { CompiledPack } from '../policy/engine';
import { alsoToldAt, escalationReference, rungDueBy } from './ladder';

export interface EscalationRequest {
  escalationId: string;
  /** Who escalates: the token's subject, or the case event's `by`. */
  by: string;
  /** Why, in their words. */
  reason: string;
  /** The day it is escalated: the new rung's timescale, if it has one, runs from it. */
  on: LocalDate;
  /** The case event asking, when the case-management system asked. */
  requestEventId?: string;
}

export type EscalationRefusal =
  | { ok: false; problem: 'escalation-not-found'; message: string }
  | { ok: false; problem: 'escalation-resolved' | 'escalation-at-top-rung'; message: string; rung: number; role: string; status: 'open' | 'resolved' };

export type EscalateOutcome = { ok: true; decisions: [Decision<'EscalationRaised'>]; rung: number; role: string } | EscalationRefusal;

/** The escalation one rung up, said to be a person's doing; or why not, with where it stands. */
export function escalateByRequest(state: ChildState, compiled: CompiledPack, request: EscalationRequest): EscalateOutcome {
  const { ladder } = compiled.pack.escalation;
  const e: EscalationState | undefined = state.escalations.find((x) => x.escalationId === request.escalationId);
  if (!e) return { ok: false, problem: 'escalation-not-found', message: `no escalation ${request.escalationId} for this child` };
  const where = { rung: e.rung, role: e.role, status: e.resolved ? ('resolved' as const) : ('open' as const) };
  if (e.resolved) return { ok: false, problem: 'escalation-resolved', message: `escalation ${e.escalationId} is resolved`, ...where };
  // A ladder shortened by a later pack version: an escalation standing above its top is at the top.
  if (e.rung >= ladder.length) return { ok: false, problem: 'escalation-at-top-rung', message: `escalation ${e.escalationId} is at the top of the ladder (rung ${e.rung}, ${e.role})`, ...where };
  const rung = e.rung + 1;
  const { role } = ladder[rung - 1];
  const alsoTold = alsoToldAt(rung, e.reason, state, request.on, compiled);
  const raised: Decision<'EscalationRaised'> = {
    type: 'EscalationRaised',
    data: {
      ...escalationReference(compiled.pack, e.reason, rung),
      escalationId: e.escalationId,
      ...(e.transferId ? { transferId: e.transferId } : {}),
      rung,
      role,
      reason: e.reason,
      dueBy: rungDueBy(rung, request.on, compiled),
      ...(e.itemId ? { itemId: e.itemId } : {}),
      ...(e.itemIds ? { itemIds: e.itemIds } : {}),
      ...(e.deadlineId ? { deadlineId: e.deadlineId } : {}),
      ...(e.coWorkId ? { coWorkId: e.coWorkId } : {}),
      ...(e.about ? { about: e.about } : {}),
      ...(alsoTold.length ? { alsoTold } : {}),
      escalatedBy: request.by,
      escalatedBecause: request.reason,
      ...(request.requestEventId ? { requestEventId: request.requestEventId } : {}),
    },
  };
  return { ok: true, decisions: [raised], rung, role };
}

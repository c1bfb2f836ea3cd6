/**
 * The allocation decisions that stand on a child's stream, in words that do not depend on ids made
 * from the delivery (event ids of decisions, transfer ids): what a delivery-order property compares.
 * A proposal that reconciliation withdrew as superseded (`supersededBy`), everything recorded about
 * it, and its withdrawal do not stand: they are the trace a late fact leaves, never a difference.
 */
import { subjectOf, transferIdOf, type ChildStreamEvent } from '@cto/domain';

const ALLOCATION_DECISIONS = new Set([
  'TransferProposed',
  'TransferRescheduled',
  'TransferAccepted',
  'TransferCompleted',
  'TransferDisputed',
  'TransferWithdrawn',
  'CaseRetained',
  'CoWorkRequired',
  'CoWorkWithdrawn',
]);

/** `normalize` rewrites ids that differ between deliveries of the same history (e.g. a run prefix). */
export function standingDecisions(entries: readonly ChildStreamEvent[], normalize: (id: string) => string = (id) => id): string[] {
  const decisions = entries.flatMap((e) => (e.kind === 'decision' && ALLOCATION_DECISIONS.has(e.decision.type) ? [e] : []));
  // Transfers and co-works reconciliation withdrew as superseded, by their ids.
  const superseded = new Set(
    decisions.flatMap(({ decision }) => ((decision.type === 'TransferWithdrawn' || decision.type === 'CoWorkWithdrawn') && decision.data.supersededBy ? [subjectOf(decision)] : [])),
  );
  const proposals = new Map(
    decisions.flatMap((e) => {
      if (e.decision.type !== 'TransferProposed') return [];
      const p = e.decision.data;
      return [[p.transferId, `${p.ruleId} on ${normalize(p.trigger.eventId)}`] as const];
    }),
  );
  const transfer = (id: string) => proposals.get(id) ?? `unknown transfer ${id}`;
  return decisions
    .filter((e) => !superseded.has(subjectOf(e.decision)))
    .map(({ decision, causationId }) => {
      const cause = normalize(causationId);
      switch (decision.type) {
        case 'TransferProposed': {
          const p = decision.data;
          return `TransferProposed ${p.ruleId} on ${normalize(p.trigger.eventId)}: ${p.fromTeam} → ${p.toTeam}${p.toArea ? ` (${p.toArea})` : ''}, due ${p.dueBy} (${p.handoverPoint.basis})`;
        }
        case 'CaseRetained': {
          const r = decision.data;
          return `CaseRetained ${r.ruleId} on ${normalize(r.trigger.eventId)}: ${r.team}`;
        }
        case 'CoWorkRequired': {
          const c = decision.data;
          return `CoWorkRequired ${c.ruleId} on ${normalize(c.trigger.eventId)}: ${c.coWorkingTeam} beside ${c.holdingTeam}, due ${c.dueBy}`;
        }
        case 'TransferRescheduled': {
          const r = decision.data;
          return `TransferRescheduled ${transfer(r.transferId)} by ${cause}: due ${r.dueBy} (${r.handoverPoint.basis})`;
        }
        default:
          return `${decision.type} ${transfer(transferIdOf(decision) ?? '')} by ${cause}`;
      }
    })
    .sort();
}


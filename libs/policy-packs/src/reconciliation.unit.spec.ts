/**
 * Deciding by reconciliation, on the shipped 000 pack (internal-transfer-v11): the cases a real
 * feed produces — a fact recorded late, a fact delivered twice, a late fact that takes a proposal
 * away and one that brings it back, a checklist item reported before its transfer — each written
 * as the child's stream in the order it was recorded.
 */
import {
  compilePack,
  historyOf,
  inCausalOrder,
  reconcileAllocation,
  reconcileChecklists,
  type CaseEvent,
  type ChildStreamEvent,
  type DecisionDataByType,
  type PendingDecision,
} from '@cto/domain';
import { caseEvent, heldBy, icpcHeld, SCENARIO_AUTHORITY, SCENARIO_CHILD_ID } from '@cto/testing';
import { loadPolicyPacks } from './load-policy-pack';

const compiled = compilePack(loadPolicyPacks().find((p) => p.id === 'internal-transfer-v11')!);
const NOW = '2026-05-20T09:00:00Z';

/** A stream as recorded, with allocation (and, when asked, checklists) reconciling after each step. */
class Stream {
  readonly entries: ChildStreamEvent[] = [];

  record(...facts: CaseEvent[]): this {
    for (const fact of facts) this.entries.push({ kind: 'fact', fact });
    return this;
  }

  allocate(): PendingDecision[] {
    return this.append(reconcileAllocation(historyOf(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID, this.entries), compiled, NOW));
  }

  openChecklists(): PendingDecision[] {
    return this.append(reconcileChecklists(historyOf(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID, this.entries), compiled, NOW));
  }

  private append(pending: PendingDecision[]): PendingDecision[] {
    for (const p of pending) this.entries.push({ kind: 'decision', eventId: `d-${p.identity}`, decidedAt: NOW, causationId: p.causationId, decision: p.decision });
    return pending;
  }
}

const proposals = (pending: PendingDecision[]) => pending.filter((p) => p.decision.type === 'TransferProposed').map((p) => p.decision.data as DecisionDataByType['TransferProposed']);

describe('000 ¶12 — a worker allocated on 1 April and recorded after the 1 May ICPC', () => {
  it('proposes A&I → FSP due 2026-05-18 once the late allocation arrives (the ICPC alone had no team to move from)', () => {
    const stream = new Stream();
    const icpc = icpcHeld({ on: '2026-05-01' });
    expect(stream.record(icpc).allocate()).toEqual([]);
    const [proposal] = proposals(stream.record(heldBy('A&I', { since: '2026-04-01' })).allocate());
    expect(proposal).toMatchObject({ fromTeam: 'A&I', toTeam: 'FSP', ruleId: 'child-protection-plan-to-fsp', dueBy: '2026-05-18', trigger: { eventId: icpc.eventId } });
    expect(proposal.citation).toBe('000_c0d212b149d080fa.txt ¶12');
  });

  it('records nothing more when the same facts are reconciled again, or delivered twice', () => {
    const stream = new Stream();
    const allocated = heldBy('A&I', { since: '2026-04-01' });
    const icpc = icpcHeld({ on: '2026-05-01' });
    stream.record(allocated, icpc).allocate();
    expect(stream.allocate()).toEqual([]);
    // A store refuses a repeated event id; a case-management system's retry with a new id for the same conference is a new fact.
    expect(stream.record({ ...icpc }).allocate()).toEqual([]);
  });
});

describe('a late fact that takes a recorded proposal away', () => {
  it('withdraws it as superseded-by-late-fact, naming the late fact, and leaves it on the stream', () => {
    const stream = new Stream();
    const icpc = icpcHeld({ on: '2026-05-01' });
    const [proposal] = proposals(stream.record(heldBy('A&I', { since: '2026-04-01' }), icpc).allocate());
    // Recorded late: the child had already moved to FSP on 20 April, so the conference moved nobody.
    const moved = heldBy('FSP', { since: '2026-04-20', workerId: 'W-9' });
    const [withdrawal, ...rest] = stream.record(moved).allocate();
    expect(rest).toEqual([]);
    expect(withdrawal.decision).toEqual({
      type: 'TransferWithdrawn',
      data: expect.objectContaining({
        transferId: proposal.transferId,
        reason: 'superseded-by-late-fact',
        supersededBy: [{ eventId: moved.eventId, type: 'WorkerAllocated', occurredOn: '2026-04-20' }],
        citation: proposal.citation,
      }),
    });
    expect(stream.entries.filter((e) => e.kind === 'decision' && e.decision.type === 'TransferProposed')).toHaveLength(1);
    expect(stream.allocate()).toEqual([]);
  });

  it('proposes it anew, under a new transfer id, when a later fact brings it back', () => {
    const stream = new Stream();
    const icpc = icpcHeld({ on: '2026-05-01' });
    const [first] = proposals(stream.record(heldBy('A&I', { since: '2026-04-01' }), icpc).allocate());
    stream.record(heldBy('FSP', { since: '2026-04-20', workerId: 'W-9' })).allocate();
    // …and the allocation back to A&I on 25 April, recorded later still: A&I held the child at the ICPC after all.
    const [again] = proposals(stream.record(heldBy('A&I', { since: '2026-04-25', workerId: 'W-10' })).allocate());
    expect(again).toMatchObject({ fromTeam: 'A&I', toTeam: 'FSP', transferId: `${first.transferId}-2`, dueBy: '2026-05-18' });
    expect(stream.allocate()).toEqual([]);
  });

  it('leaves a transfer a manager already withdrew as it is', () => {
    const stream = new Stream();
    const [proposal] = proposals(stream.record(heldBy('A&I', { since: '2026-04-01' }), icpcHeld({ on: '2026-05-01' })).allocate());
    const ref = { ruleId: proposal.ruleId, ruleVersion: proposal.ruleVersion, packId: proposal.packId, packVersion: proposal.packVersion, citation: proposal.citation };
    stream.entries.push({ kind: 'decision', eventId: 'cmd-1', decidedAt: '2026-05-05T09:00:00Z', causationId: 'cmd-1', decision: { type: 'TransferWithdrawn', data: { ...ref, transferId: proposal.transferId, reason: 'not needed' } } });
    expect(stream.record(heldBy('FSP', { since: '2026-04-20', workerId: 'W-9' })).allocate()).toEqual([]);
  });
});

describe('causal order', () => {
  it('puts facts in the order they happened, each decision after its cause, and a manager’s answer after the facts recorded before it', () => {
    const icpc = icpcHeld({ on: '2026-05-01' });
    const late = heldBy('A&I', { since: '2026-04-01' });
    const future = caseEvent('CoreGroupHeld', '2026-06-01', { sequence: 1 });
    const entries: ChildStreamEvent[] = [
      { kind: 'fact', fact: icpc },
      { kind: 'fact', fact: future },
      { kind: 'decision', eventId: 'cmd-1', decidedAt: '2026-05-10T09:00:00Z', causationId: 'cmd-1', decision: { type: 'AllocationRequired', data: { ruleId: 'x', ruleVersion: 1, packId: 'p', packVersion: '1', citation: 'c', reason: 'r', dueBy: null } } },
      { kind: 'fact', fact: late },
    ];
    const ids = inCausalOrder(entries).map((e) => (e.kind === 'fact' ? e.fact.eventId : e.eventId));
    expect(ids).toEqual([late.eventId, icpc.eventId, future.eventId, 'cmd-1']);
  });
});

describe('000 ¶3–¶8 — a checklist item reported done before its transfer was proposed', () => {
  it('is met as soon as the checklist opens', () => {
    const stream = new Stream();
    const icpc = icpcHeld({ on: '2026-05-01' });
    const [proposal] = proposals(stream.record(heldBy('A&I', { since: '2026-04-01' }), icpc).allocate());
    // The item is reported before the checklist service has opened the checklist.
    stream.record(caseEvent('ChecklistItemCompleted', '2026-05-02', { transferId: proposal.transferId, itemId: 'transfer-request-shared' }));
    const decisions = stream.openChecklists().map((p) => p.decision.type);
    expect(decisions).toEqual(['ChecklistOpened', 'ChecklistItemMet']);
    expect(stream.openChecklists()).toEqual([]);
  });
});

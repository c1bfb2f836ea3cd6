/**
 * Deciding by reconciliation, on the shipped 000 pack (internal-transfer-v11): the cases a real
 * feed produces — a fact recorded late, a fact delivered twice, a late fact that takes a proposal
 * away and one that brings it back, a checklist item reported before its transfer — each written
 * as the child's stream in the order it was recorded. Then a handover point that is a later fact
 * (004 PTC 1–2 on the southampton pack), delivered in every order.
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
  type CompiledPack,
  type PendingDecision,
} from '@cto/domain';
import {
  caseEvent,
  claReviewHeld,
  heldBy,
  icpcHeld,
  orderMade,
  proceedingsIssued,
  SCENARIO_AUTHORITY,
  SCENARIO_CHILD_ID,
  standingDecisions,
} from '@cto/testing';
import { loadPolicyPacks } from './load-policy-pack';

const compiled = compilePack(loadPolicyPacks().find((p) => p.id === 'internal-transfer-v11')!);
const NOW = '2026-05-20T09:00:00Z';

/** A stream as recorded, with allocation (and, when asked, checklists) reconciling after each step. */
class Stream {
  readonly entries: ChildStreamEvent[] = [];

  constructor(private readonly pack: CompiledPack = compiled) {}

  record(...facts: CaseEvent[]): this {
    for (const fact of facts) this.entries.push({ kind: 'fact', fact });
    return this;
  }

  allocate(): PendingDecision[] {
    return this.append(reconcileAllocation(historyOf(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID, this.entries), this.pack, NOW));
  }

  openChecklists(): PendingDecision[] {
    return this.append(reconcileChecklists(historyOf(SCENARIO_AUTHORITY, SCENARIO_CHILD_ID, this.entries), this.pack, NOW));
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

describe('a manager’s answer stands when its trigger is judged again', () => {
  it('does not propose a withdrawn transfer anew when a late fact before its trigger changes nothing about it', () => {
    const stream = new Stream();
    const [proposal] = proposals(stream.record(heldBy('A&I', { since: '2026-04-01' }), icpcHeld({ on: '2026-05-01' })).allocate());
    const ref = { ruleId: proposal.ruleId, ruleVersion: proposal.ruleVersion, packId: proposal.packId, packVersion: proposal.packVersion, citation: proposal.citation };
    stream.entries.push({ kind: 'decision', eventId: 'cmd-1', decidedAt: '2026-05-05T09:00:00Z', causationId: 'cmd-1', decision: { type: 'TransferWithdrawn', data: { ...ref, transferId: proposal.transferId, reason: 'not needed' } } });
    // Recorded late, before the ICPC: the child's details, which change nothing the ICPC's rule reads.
    expect(stream.record(caseEvent('ChildDetailsRecorded', '2026-04-15', { dateOfBirth: '2014-02-03' })).allocate()).toEqual([]);
  });
});

describe('004 PTC 1, PTC 2 — a transfer flagged at the 2nd LAC review and dated at the final order, in every order of delivery', () => {
  const southampton = compilePack(loadPolicyPacks().find((p) => p.id === 'southampton')!);
  const facts = (finalOrder: 'care-order' | 'placement-order') => [
    heldBy('SWF', { since: '2026-01-05' }),
    proceedingsIssued({ on: '2026-02-02' }),
    orderMade({ on: '2026-02-03', order: 'ICO' }),
    claReviewHeld({ on: '2026-03-02', sequence: 1 }),
    claReviewHeld({ on: '2026-06-01', sequence: 2, plan: 'long-term-fostering' }),
    orderMade({ on: '2026-08-28', order: finalOrder }),
  ];
  const decided = (stream: Stream) => stream.entries.flatMap((e) => (e.kind === 'decision' ? [e.decision] : []));
  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));

  it('proposes the transfer undated at the review, opens its checklist with undated items, and dates both at the final care order', () => {
    const stream = new Stream(southampton);
    const all = facts('care-order');
    const [review2, order] = all.slice(4);
    stream.record(...all.slice(0, 5)).allocate();
    const [proposal] = proposals(stream.entries.flatMap((e) => (e.kind === 'decision' ? [{ decision: e.decision, causationId: e.causationId, identity: e.eventId }] : [])));
    expect(proposal).toMatchObject({ ruleId: 'permanence-in-proceedings-to-ptc', toTeam: 'PTC', dueBy: null, trigger: { eventId: review2.eventId } });
    const [opened] = stream.openChecklists();
    const items = (opened.decision.data as DecisionDataByType['ChecklistOpened']).items;
    expect(items.filter((i) => ['receiving-social-worker-identified', 'handover-visit-before-final-order'].includes(i.itemId)).map((i) => i.dueBy)).toEqual([null, null]);

    const [rescheduled, ...rest] = stream.record(order).allocate();
    expect(rest).toEqual([]);
    expect(rescheduled.decision).toMatchObject({
      type: 'TransferRescheduled',
      data: { transferId: proposal.transferId, previousDueBy: null, dueBy: '2026-08-28', handoverPoint: { basis: 'fact', fact: { eventId: order.eventId } } },
    });
    const redated = (rescheduled.decision.data as DecisionDataByType['TransferRescheduled']).checklist!.items;
    expect(redated).toEqual(expect.arrayContaining([
      { itemId: 'receiving-social-worker-identified', dueBy: '2026-08-28' },
      { itemId: 'handover-visit-before-final-order', dueBy: '2026-08-28' },
    ]));
    expect(stream.allocate()).toEqual([]);
  });

  it.each(['care-order', 'placement-order'] as const)('leaves the same decisions standing whatever order the facts arrive in, duplicated or not (final order: %s)', (finalOrder) => {
    const inOrder = facts(finalOrder);
    const reference = new Stream(southampton);
    for (const fact of inOrder) reference.record(fact).allocate();
    const expected = standingDecisions(reference.entries);
    expect(expected.some((d) => d.startsWith('TransferProposed permanence-in-proceedings-to-ptc'))).toBe(true);
    for (const order of permutations(inOrder)) {
      const stream = new Stream(southampton);
      for (const fact of order) stream.record(fact).allocate();
      // The final order sent again under a new id (a retry of the case-management system): a second
      // order of the same kind, judged after the first.
      stream.record({ ...order[order.length - 1], eventId: `${order[order.length - 1].eventId}-again` }).allocate();
      expect(stream.allocate()).toEqual([]);
      expect(standingDecisions(stream.entries).filter((d) => !d.includes('-again'))).toEqual(expected);
    }
  });

  it('withdraws the flag at a placement order, proposes the transfer to Adoption, and keeps both when the order is recorded late', () => {
    const stream = new Stream(southampton);
    const [held, issued, ico, review1, review2, order] = facts('placement-order');
    stream.record(held, issued, ico, order).allocate();
    stream.record(review1, review2).allocate();
    const types = decided(stream).map((d) => `${d.type} ${(d.data as { ruleId: string }).ruleId}${d.type === 'TransferWithdrawn' ? ` ${(d.data as { reason: string }).reason}` : ''}`);
    // Judged on the whole history, the placement order came after the flag: it lapses the flag, and
    // the Adoption proposal recorded when the order arrived alone still stands.
    expect(types).toEqual([
      'TransferProposed placement-order-to-adoption',
      'TransferProposed permanence-in-proceedings-to-ptc',
      'TransferWithdrawn permanence-in-proceedings-to-ptc handover-point-lapsed',
    ]);
  });

  it('supersedes a lapsed flag that a late fact takes away, so nothing of it stands', () => {
    const stream = new Stream(southampton);
    const [held, issued, ico, review1, review2, order] = facts('placement-order');
    stream.record(held, issued, ico, review1, review2, order).allocate();
    // Recorded late: the child had moved to Pathways Through Care on 4 May, before the 2nd review.
    stream.record(heldBy('PTC', { since: '2026-05-04', workerId: 'W-2' })).allocate();
    const reference = new Stream(southampton);
    reference.record(held, issued, ico, review1, heldBy('PTC', { since: '2026-05-04', workerId: 'W-2' }), review2, order).allocate();
    expect(standingDecisions(stream.entries).map((d) => d.replace(/ on \S+/, ''))).toEqual(standingDecisions(reference.entries).map((d) => d.replace(/ on \S+/, '')));
    expect(stream.allocate()).toEqual([]);
  });
});

/**
 * The lifecycle, checklists and supervision together, on a small pack: the mechanics no single
 * pack shows. Each pack's own ladder and checklists are pinned beside the packs and end to end.
 */
import {
  ALLOWED_ACTIONS,
  compilePack,
  decide,
  decideLifecycleFact,
  decideTransferCommand,
  escalateByRequest,
  evolve,
  evolveFact,
  initialChildState,
  meetChecklistItem,
  openChecklist,
  reconcileAllocation,
  supervise,
  TRANSFER_ACTIONS,
  TRANSFER_STATUSES,
  type CaseEvent,
  type ChildStreamEvent,
  type Decision,
  type DecisionDataByType,
  type PolicyPack,
} from '../index';
import { smallPack } from '../test-support/small-pack';

const pack = smallPack;

let seq = 0;
const fact = (type: CaseEvent['type'], on: string, data: object): ChildStreamEvent => ({
  kind: 'fact',
  fact: { eventId: `f${++seq}`, type, authority: 'demo', childId: 'C', occurredAt: `${on}T10:00:00Z`, source: 't', data } as CaseEvent,
});
const decided = (d: Decision, on: string, causationId = 'x'): ChildStreamEvent => ({ kind: 'decision', eventId: `d${++seq}`, decidedAt: `${on}T10:00:01Z`, causationId, decision: d });
const fold = (stream: ChildStreamEvent[]) => stream.reduce(evolve, initialChildState('demo', 'C'));
const id = { authority: 'demo', childId: 'C' };

/** A child held by A, proposed to B on an ICPC on Friday 1 May 2026 (due Monday 18 May: 4 May is a bank holiday). */
function proposedToB(p = pack()): { stream: ChildStreamEvent[]; transferId: string } {
  const compiled = compilePack(p);
  const stream = [fact('ReferralReceived', '2026-04-01', {}), fact('ThresholdDecisionMade', '2026-04-01', { outcome: 'cin' }), fact('WorkerAllocated', '2026-04-01', { team: 'A', workerId: 'W' })];
  const icpc = fact('ICPCHeld', '2026-05-01', { outcome: 'cin-plan' });
  stream.push(icpc);
  const proposal: Decision = {
    type: 'TransferProposed',
    data: {
      ruleId: 'cp-to-b',
      ruleVersion: 1,
      packId: p.id,
      packVersion: p.version,
      citation: 'seed.txt ¶12',
      transferId: 'tr-1',
      fromTeam: 'A',
      toTeam: 'B',
      trigger: { eventId: 'f', type: 'ICPCHeld', occurredOn: '2026-05-01' },
      handoverPoint: { description: 'd', basis: 'timescale', steps: [] },
      dueBy: '2026-05-18',
      explanation: [],
    },
  };
  stream.push(decided(proposal, '2026-05-01'));
  for (const d of openChecklist(fold(stream), 'tr-1', compiled)) stream.push(decided(d, '2026-05-01'));
  return { stream, transferId: 'tr-1' };
}

describe('the transfer lifecycle', () => {
  it('allows exactly the transitions of its table, and refuses the rest with the status and what is allowed', () => {
    const { stream } = proposedToB();
    for (const status of TRANSFER_STATUSES) {
      const state = fold(stream);
      state.transfers[0] = { ...state.transfers[0], status };
      for (const action of TRANSFER_ACTIONS) {
        const outcome = decideTransferCommand(state, { action, transferId: 'tr-1', reason: 'because', on: '2026-05-05' });
        if (ALLOWED_ACTIONS[status].includes(action)) expect(outcome.ok).toBe(true);
        else expect(outcome).toMatchObject({ ok: false, problem: 'illegal-transition', status, allowed: ALLOWED_ACTIONS[status] });
      }
    }
  });

  it('needs a reason to reject, dispute or withdraw', () => {
    const state = fold(proposedToB().stream);
    expect(decideTransferCommand(state, { action: 'reject', transferId: 'tr-1', reason: '  ', on: '2026-05-05' })).toMatchObject({ ok: false, problem: 'reason-required' });
    expect(decideTransferCommand(state, { action: 'accept', transferId: 'tr-1', on: '2026-05-05' })).toMatchObject({ ok: true });
  });

  it('refuses to accept or complete under a blocking pack until every checklist item is met (002 Key Principles)', () => {
    const blocking = pack({ checklists: { ...pack().checklists, gating: 'blocking' } });
    const compiled = compilePack(blocking);
    const { stream } = proposedToB(blocking);
    expect(decideTransferCommand(fold(stream), { action: 'accept', transferId: 'tr-1', on: '2026-05-05' })).toMatchObject({
      ok: false,
      problem: 'checklist-not-signed-off',
      unmetItems: ['chronology', 'letter-to-family'],
      allowed: ['reject', 'dispute', 'withdraw'],
    });
    for (const item of ['chronology', 'letter-to-family']) {
      const outcome = meetChecklistItem(fold(stream), 'tr-1', item, compiled);
      if (!outcome.ok) throw new Error(outcome.message);
      outcome.decisions.forEach((d) => stream.push(decided(d, '2026-05-05')));
    }
    expect(fold(stream).checklists[0].completed).toBe(true);
    expect(decideTransferCommand(fold(stream), { action: 'accept', transferId: 'tr-1', on: '2026-05-05' })).toMatchObject({ ok: true });
  });

  it('completes a transfer when the receiving team allocates a worker, accepting it first if nobody had', () => {
    const { stream } = proposedToB();
    const allocated = fact('WorkerAllocated', '2026-05-06', { team: 'B', workerId: 'W2' });
    const decisions = decideLifecycleFact(evolveFact(fold(stream), (allocated as { fact: CaseEvent }).fact), (allocated as { fact: CaseEvent }).fact);
    expect(decisions.map((d) => d.type)).toEqual(['TransferAccepted', 'TransferCompleted']);
    const state = fold([...stream, allocated, ...decisions.map((d) => decided(d, '2026-05-06'))]);
    expect(state).toMatchObject({ team: 'B', workerId: 'W2' });
    expect(state.transfers[0].status).toBe('completed');
  });
});

describe('checklists', () => {
  it('opens one checklist from every template that applies, with due dates from the handover point', () => {
    const state = fold(proposedToB().stream);
    expect(state.checklists).toEqual([
      expect.objectContaining({
        checklistId: 'cl-tr-1',
        gating: 'non-blocking-escalate',
        items: [
          { itemId: 'chronology', description: 'chronology up to date', dueBy: '2026-05-18', met: false },
          { itemId: 'letter-to-family', description: 'letter to the family', dueBy: '2026-05-20', met: false },
        ],
      }),
    ]);
    expect(openChecklist(state, 'tr-1', compilePack(pack()))).toEqual([]);
  });

  it('puts an item with `when` on the checklist only where its conditions held at the proposal', () => {
    const conditional = pack();
    conditional.checklists.templates[0].items.push({
      id: 'later-life-letter',
      description: 'Later Life Letter (care plan of adoption)',
      when: [{ fact: 'child.carePlan', is: 'adoption' }, { fact: 'event.outcome', is: 'cin-plan' }],
    });
    const compiled = compilePack(conditional);
    const { stream } = proposedToB(conditional);
    const withoutChecklist = stream.filter((e) => e.kind === 'fact' || e.decision.type !== 'ChecklistOpened');
    const icpc = stream.find((e) => e.kind === 'fact' && e.fact.type === 'ICPCHeld') as Extract<ChildStreamEvent, { kind: 'fact' }>;
    const before = fold(withoutChecklist.slice(0, withoutChecklist.indexOf(icpc)));
    const itemsFor = (b: typeof before) =>
      (openChecklist(fold(withoutChecklist), 'tr-1', compiled, { before: b, fact: icpc.fact })[0].data as { items: { itemId: string }[] }).items.map((i) => i.itemId);

    expect(itemsFor(before)).toEqual(['chronology', 'letter-to-family']);
    const adoptionPlan = evolveFact(before, (fact('CLAReviewHeld', '2026-04-20', { sequence: 2, plan: 'adoption' }) as { fact: CaseEvent }).fact);
    expect(itemsFor(adoptionPlan)).toEqual(['chronology', 'letter-to-family', 'later-life-letter']);
    // Without the proposal (the fact that fired it), the conditions cannot be shown to hold.
    expect((openChecklist(fold(withoutChecklist), 'tr-1', compiled)[0].data as { items: unknown[] }).items).toHaveLength(2);
  });

  it('re-dates the items that follow the handover point when a meeting dates it, and supervision escalates them from then', () => {
    const atMeeting = pack({
      meetingKinds: [{ kind: 'core-group', name: 'core group' }],
      rules: [{ ...pack().rules[0], handover: { description: 'the core group', meeting: 'core-group' } }],
    });
    atMeeting.checklists.templates[0].items.push({ id: 'visit', description: 'visit', due: { within: '5 working days', after: 'proposal' } });
    const compiled = compilePack(atMeeting);
    const stream = [fact('ReferralReceived', '2026-04-01', {}), fact('WorkerAllocated', '2026-04-01', { team: 'A', workerId: 'W' }), fact('ICPCHeld', '2026-05-01', { outcome: 'cp-plan' })];
    const proposal = decide(fold(stream.slice(0, 2)), (stream[2] as { fact: CaseEvent }).fact, compiled);
    proposal.forEach((d) => stream.push(decided(d, '2026-05-01')));
    const transferId = (proposal[0].data as DecisionDataByType['TransferProposed']).transferId;
    openChecklist(fold(stream), transferId, compiled).forEach((d) => stream.push(decided(d, '2026-05-01')));
    const dates = () => fold(stream).checklists[0].items.map((i) => [i.itemId, i.dueBy]);
    expect(dates()).toEqual([['chronology', null], ['letter-to-family', null], ['visit', '2026-05-11']]);

    const scheduled = fact('MeetingScheduled', '2026-05-05', { kind: 'core-group', on: '2026-05-14' });
    const rescheduling = decide(fold(stream), (scheduled as { fact: CaseEvent }).fact, compiled);
    expect(rescheduling).toEqual([
      expect.objectContaining({
        type: 'TransferRescheduled',
        data: expect.objectContaining({
          dueBy: '2026-05-14',
          checklist: { checklistId: `cl-${transferId}`, items: [{ itemId: 'chronology', dueBy: '2026-05-14' }, { itemId: 'letter-to-family', dueBy: '2026-05-18' }] },
        }),
      }),
    ]);
    stream.push(scheduled, ...rescheduling.map((d) => decided(d, '2026-05-05')));
    expect(dates()).toEqual([['chronology', '2026-05-14'], ['letter-to-family', '2026-05-18'], ['visit', '2026-05-11']]);
    // Friday 15 May: the chronology (due by the core group on Thursday 14) is late, beside the visit.
    const raised = supervise(stream, compiled, '2026-05-15', id).decisions.map((d) => d.data as DecisionDataByType['EscalationRaised']);
    expect(raised.filter((d) => d.reason === 'checklist-incomplete').map((d) => d.itemIds)).toEqual([['chronology', 'visit']]);
  });

  it('meets an item once, completes the checklist with the last, and names an unknown item', () => {
    const compiled = compilePack(pack());
    const { stream } = proposedToB();
    const first = meetChecklistItem(fold(stream), 'tr-1', 'chronology', compiled);
    expect(first.ok && first.decisions.map((d) => d.type)).toEqual(['ChecklistItemMet']);
    if (first.ok) first.decisions.forEach((d) => stream.push(decided(d, '2026-05-05')));
    expect(meetChecklistItem(fold(stream), 'tr-1', 'chronology', compiled)).toEqual({ ok: true, decisions: [] });
    const last = meetChecklistItem(fold(stream), 'tr-1', 'letter-to-family', compiled);
    expect(last.ok && last.decisions.map((d) => d.type)).toEqual(['ChecklistItemMet', 'ChecklistCompleted']);
    expect(meetChecklistItem(fold(stream), 'tr-1', 'passport', compiled)).toMatchObject({ ok: false, problem: 'unknown-item' });
  });
});

describe('supervision', () => {
  const compiled = compilePack(pack());
  const run = (stream: ChildStreamEvent[], today: string) => {
    const result = supervise(stream, compiled, today, id);
    result.decisions.forEach((d) => stream.push(decided(d, today, 'supervision')));
    return result;
  };

  it('raises a dispute at its entry rung, due in that rung’s working days, climbs when unanswered, and resolves when settled', () => {
    const { stream } = proposedToB();
    const dispute = decideTransferCommand(fold(stream), { action: 'dispute', transferId: 'tr-1', reason: 'not yet', on: '2026-05-07' });
    if (!dispute.ok) throw new Error(dispute.message);
    dispute.decisions.forEach((d) => stream.push(decided(d, '2026-05-07')));

    const raised = run(stream, '2026-05-07');
    expect(raised.decisions).toEqual([
      expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ reason: 'disputed', rung: 2, role: 'service manager', dueBy: '2026-05-08', transferId: 'tr-1' }) }),
    ]);
    expect(raised.nextWake).toBe('2026-05-09');
    expect(run(stream, '2026-05-08').decisions).toEqual([]);

    // Friday's answer did not come: on Monday 11 May the assistant director is told.
    const climbed = run(stream, '2026-05-11');
    expect(climbed.decisions).toEqual([expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ rung: 3, role: 'assistant director', dueBy: null }) })]);
    expect(run(stream, '2026-05-12').decisions).toEqual([]);

    const accepted = decideTransferCommand(fold(stream), { action: 'accept', transferId: 'tr-1', on: '2026-05-12' });
    if (!accepted.ok) throw new Error(accepted.message);
    accepted.decisions.forEach((d) => stream.push(decided(d, '2026-05-12')));
    expect(run(stream, '2026-05-12').decisions).toEqual([
      expect.objectContaining({ type: 'EscalationResolved', data: expect.objectContaining({ resolution: 'the dispute is settled: the transfer is accepted' }) }),
    ]);
  });

  it('sends a capacity dispute to its own rung (002: to the Senior Leadership team)', () => {
    const { stream } = proposedToB();
    const dispute = decideTransferCommand(fold(stream), { action: 'dispute', transferId: 'tr-1', reason: 'no capacity', capacity: true, on: '2026-05-07' });
    if (dispute.ok) dispute.decisions.forEach((d) => stream.push(decided(d, '2026-05-07')));
    expect(run(stream, '2026-05-07').decisions[0].data).toMatchObject({ reason: 'capacity', rung: 3 });
  });

  const raisedOf = (d: Decision) => d.data as DecisionDataByType['EscalationRaised'];
  const summaryOf = (decisions: Decision[]) =>
    decisions.map((d) => (d.type === 'EscalationRaised' ? [d.type, raisedOf(d).reason, raisedOf(d).rung, raisedOf(d).itemId ?? raisedOf(d).itemIds] : [d.type, (d.data as { resolution?: string }).resolution]));
  const notOverdue = (d: Decision) => d.type !== 'EscalationRaised' || raisedOf(d).reason !== 'overdue';
  const meet = (stream: ChildStreamEvent[], itemId: string, on: string, p = pack()) => {
    const outcome = meetChecklistItem(fold(stream), 'tr-1', itemId, compilePack(p));
    if (!outcome.ok) throw new Error(outcome.message);
    outcome.decisions.forEach((d) => stream.push(decided(d, on)));
  };

  it('escalates an overdue transfer, and its checklist items unmet by their due dates as one escalation naming them, climbing rungs the clock jumped past', () => {
    const { stream } = proposedToB();
    expect(run(stream, '2026-05-18').decisions).toEqual([]);
    const late = run(stream, '2026-05-21');
    expect(summaryOf(late.decisions)).toEqual([
      ['EscalationRaised', 'overdue', 1, undefined],
      ['EscalationRaised', 'checklist-incomplete', 1, ['chronology', 'letter-to-family']],
    ]);
    expect(raisedOf(late.decisions[1]).about).toBe('2 checklist items for transfer A → B unmet, due from 2026-05-18: chronology, letter-to-family');
    const weekLater = run(stream, '2026-05-28');
    expect(weekLater.decisions.filter((d) => d.type === 'EscalationRaised').map((d) => raisedOf(d).rung)).toEqual([2, 3, 2, 3]);
  });

  it('keeps one checklist escalation as items fall due and are met, raised again at its rung and due date with the items now unmet, and resolves it when none is', () => {
    const { stream } = proposedToB();
    // Tuesday 19 May: only the chronology (due Monday 18) is late; the letter is due Wednesday 20.
    const first = run(stream, '2026-05-19');
    const escalation = first.decisions.find((d) => d.type === 'EscalationRaised' && raisedOf(d).reason === 'checklist-incomplete')!;
    expect(raisedOf(escalation)).toMatchObject({ rung: 1, dueBy: '2026-05-20', itemIds: ['chronology'] });
    meet(stream, 'chronology', '2026-05-20');
    expect(summaryOf(run(stream, '2026-05-20').decisions)).toEqual([['EscalationResolved', 'every item it named is met (chronology)']]);

    // Thursday 21 May: the letter is late too. A new occurrence of the matter, a new id.
    const again = run(stream, '2026-05-21').decisions.find((d) => d.type === 'EscalationRaised' && raisedOf(d).reason === 'checklist-incomplete')!;
    expect(raisedOf(again)).toMatchObject({ rung: 1, dueBy: '2026-05-22', itemIds: ['letter-to-family'], escalationId: `${raisedOf(escalation).escalationId}-2` });
  });

  it('updates the list in place when an item is met while others stay unmet', () => {
    const p = pack();
    p.checklists.templates[0].items.push({ id: 'genogram', description: 'genogram', due: { within: '2 working days', after: 'handover' } });
    const { stream } = proposedToB(p);
    const compiledP = compilePack(p);
    const runP = (today: string) => {
      const result = supervise(stream, compiledP, today, id);
      result.decisions.forEach((d) => stream.push(decided(d, today, 'supervision')));
      return result.decisions.filter(notOverdue);
    };
    const [raised] = runP('2026-05-21').filter((d) => d.type === 'EscalationRaised');
    expect(raisedOf(raised).itemIds).toEqual(['chronology', 'letter-to-family', 'genogram']);
    meet(stream, 'letter-to-family', '2026-05-21', p);
    const [updated, ...rest] = runP('2026-05-21');
    expect(rest.filter((d) => raisedOf(d).reason === 'checklist-incomplete')).toEqual([]);
    expect(raisedOf(updated)).toMatchObject({ escalationId: raisedOf(raised).escalationId, rung: 1, dueBy: raisedOf(raised).dueBy, itemIds: ['chronology', 'genogram'] });
    expect(fold(stream).escalations.filter((e) => !e.resolved && e.reason === 'checklist-incomplete')).toHaveLength(1);
    expect(runP('2026-05-21')).toEqual([]);
  });

  it('escalates an item the pack marks escalatesAlone on its own, beside the escalation of the others', () => {
    const p = pack();
    p.checklists.templates[0].items[1] = { ...p.checklists.templates[0].items[1], escalatesAlone: true };
    const { stream } = proposedToB(p);
    expect(summaryOf(supervise(stream, compilePack(p), '2026-05-21', id).decisions)).toEqual([
      ['EscalationRaised', 'overdue', 1, undefined],
      ['EscalationRaised', 'checklist-incomplete', 1, 'letter-to-family'],
      ['EscalationRaised', 'checklist-incomplete', 1, ['chronology']],
    ]);
  });

  it('resolves an escalation of a single item recorded before items were grouped, and the group takes over at its rung and due date', () => {
    const { stream } = proposedToB();
    // As the previous version recorded it: chronology alone, already at the service manager.
    const legacy: Decision = {
      type: 'EscalationRaised',
      data: { ruleId: 'escalation-checklist-incomplete', ruleVersion: 1, packId: 'supervision-test', packVersion: '1', citation: 'seed.txt ¶14', escalationId: 'esc-chronology', transferId: 'tr-1', rung: 2, role: 'service manager', reason: 'checklist-incomplete', dueBy: '2026-05-22', itemId: 'chronology', about: 'checklist item chronology for transfer A → B was due by 2026-05-18' },
    };
    stream.push(decided(legacy, '2026-05-20', 'supervision'));
    const decisions = run(stream, '2026-05-21').decisions.filter(notOverdue);
    expect(summaryOf(decisions)).toEqual([
      ['EscalationResolved', 'item chronology is escalated with the other unmet items of its checklist'],
      ['EscalationRaised', 'checklist-incomplete', 2, ['chronology', 'letter-to-family']],
    ]);
    expect(raisedOf(decisions[1]).dueBy).toBe('2026-05-22');
    expect(fold(stream).escalations.filter((e) => !e.resolved && e.reason === 'checklist-incomplete').map((e) => e.itemIds)).toEqual([['chronology', 'letter-to-family']]);
    // Met before the group was raised: the old escalation is resolved as met.
    const { stream: metFirst } = proposedToB();
    metFirst.push(decided(legacy, '2026-05-20', 'supervision'));
    meet(metFirst, 'chronology', '2026-05-20');
    expect(summaryOf(run(metFirst, '2026-05-20').decisions.filter(notOverdue))).toEqual([['EscalationResolved', 'item chronology is met']]);
  });

  it('requires a named worker at once for a child on a CP plan without one, and escalates when none comes in time', () => {
    const stream = [fact('ReferralReceived', '2026-05-01', {}), fact('ThresholdDecisionMade', '2026-05-01', {}), fact('ICPCHeld', '2026-05-05', { outcome: 'cp-plan' })];
    const now = run(stream, '2026-05-05');
    expect(now.decisions).toEqual([expect.objectContaining({ type: 'AllocationRequired', data: expect.objectContaining({ dueBy: '2026-05-06', citation: 'seed.txt ¶9' }) })]);
    expect(run(stream, '2026-05-06').decisions).toEqual([]);
    expect(run(stream, '2026-05-07').decisions).toEqual([expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ reason: 'no-named-worker', rung: 1 }) })]);
    stream.push(fact('WorkerAllocated', '2026-05-07', { team: 'A', workerId: 'W' }));
    expect(run(stream, '2026-05-07').decisions).toEqual([expect.objectContaining({ type: 'EscalationResolved', data: expect.objectContaining({ resolution: 'a named worker is allocated' }) })]);
  });

  it('requires a named worker for every child a team holds when the pack says so (004 Principle 3), not for one still at the front door', () => {
    const everyChild = compilePack(pack({ escalation: { ...pack().escalation, namedWorker: { within: '0 days', citation: 'seed.txt ¶3', children: 'every-child-held-by-a-team' } } }));
    const referred = [fact('ReferralReceived', '2026-05-01', {})];
    expect(supervise(referred, everyChild, '2026-05-01', id).decisions).toEqual([]);
    expect(supervise(referred, compiled, '2026-05-01', id).decisions).toEqual([]);
    const { stream, transferId } = proposedToB(pack());
    const completed = decideTransferCommand(fold(stream), { action: 'accept', transferId, on: '2026-05-05' });
    if (!completed.ok) throw new Error(completed.message);
    completed.decisions.forEach((d) => stream.push(decided(d, '2026-05-05')));
    const done = decideTransferCommand(fold(stream), { action: 'complete', transferId, on: '2026-05-05' });
    if (!done.ok) throw new Error(done.message);
    done.decisions.forEach((d) => stream.push(decided(d, '2026-05-05')));
    // Held by B with no worker (the sending team's worker stays behind).
    expect(supervise(stream, everyChild, '2026-05-05', id).decisions).toEqual([
      expect.objectContaining({ type: 'AllocationRequired', data: expect.objectContaining({ reason: 'the child is held by B and has no named worker', dueBy: '2026-05-05' }) }),
    ]);
    expect(supervise(stream, compiled, '2026-05-05', id).decisions.filter((d) => d.type === 'AllocationRequired')).toEqual([]);
  });

  it('escalates a pack deadline missed, and resolves it when the fact that meets it arrives', () => {
    const stream = [fact('ReferralReceived', '2026-05-01', {})];
    expect(supervise(stream, compiled, '2026-05-01', id).nextWake).toBe('2026-05-06');
    expect(run(stream, '2026-05-06').decisions).toEqual([expect.objectContaining({ data: expect.objectContaining({ reason: 'overdue', deadlineId: 'front-door-decision', rung: 1 }) })]);
    stream.push(fact('ThresholdDecisionMade', '2026-05-06', { outcome: 'cin' }));
    expect(run(stream, '2026-05-06').decisions).toEqual([expect.objectContaining({ type: 'EscalationResolved', data: expect.objectContaining({ resolution: 'deadline front-door-decision is met' }) })]);
  });

  it('meets a deadline only with a fact whose metBy conditions hold (a worker of one team, not any team)', () => {
    const withPaDeadline = compilePack(
      pack({
        deadlines: [
          {
            id: 'pa-allocated',
            title: 'a personal adviser from 18+ allocated within 5 working days',
            citation: 'seed.txt ¶20',
            starts: { events: ['ICPCHeld'], conditions: [] },
            metBy: { events: ['WorkerAllocated'], conditions: [{ fact: 'event.team', is: '18+' }] },
            within: '5 working days',
          },
        ],
      }),
    );
    const stream = [fact('ReferralReceived', '2026-05-01', {}), fact('ICPCHeld', '2026-05-05', { outcome: 'cin-plan' }), fact('WorkerAllocated', '2026-05-06', { team: 'A', workerId: 'W' })];
    // Tuesday 5 May + 5 working days = Tuesday 12 May; overdue from Wednesday 13 May.
    expect(supervise(stream, withPaDeadline, '2026-05-13', id).decisions).toEqual([
      expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ deadlineId: 'pa-allocated' }) }),
    ]);
    stream.push(fact('WorkerAllocated', '2026-05-11', { team: '18+', workerId: 'PA' }));
    expect(supervise(stream, withPaDeadline, '2026-05-13', id).decisions).toEqual([]);
  });

  it('announces an age milestone ahead as the pack says, once, and not when the case-management system already sent it', () => {
    const stream = [fact('ReferralReceived', '2025-01-01', {}), fact('ThresholdDecisionMade', '2025-01-01', {}), fact('WorkerAllocated', '2025-01-01', { team: 'B', workerId: 'W' }), fact('ChildDetailsRecorded', '2025-01-02', { dateOfBirth: '2009-03-15' })];
    // 17½ on 15 September 2026, announced a month ahead.
    expect(supervise(stream, compiled, '2026-05-01', id).nextWake).toBe('2026-08-15');
    expect(run(stream, '2026-08-14').decisions).toEqual([]);
    expect(run(stream, '2026-08-15').decisions).toEqual([expect.objectContaining({ type: 'BirthdayApproaching', data: expect.objectContaining({ ageYears: 17.5, on: '2026-09-15' }) })]);
    expect(run(stream, '2026-08-16').decisions).toEqual([]);

    const sentByCms = [...stream.slice(0, 4), fact('BirthdayApproaching', '2026-08-10', { ageYears: 17.5, on: '2026-09-15' })];
    expect(supervise(sentByCms, compiled, '2026-08-15', id).decisions).toEqual([]);
  });

  it('escalates a co-worker not allocated by the co-work’s due date, and resolves it when one is', () => {
    const coWork: Decision = {
      type: 'CoWorkRequired',
      data: {
        ruleId: 'pa-co-works',
        ruleVersion: 1,
        packId: 'supervision-test',
        packVersion: '1',
        citation: 'seed.txt ¶20',
        coWorkId: 'cw-1',
        holdingTeam: 'B',
        coWorkingTeam: '18+',
        trigger: { eventId: 'f', type: 'BirthdayApproaching', occurredOn: '2026-09-15' },
        handoverPoint: { description: 'at 17½', basis: 'timescale', steps: [] },
        dueBy: '2026-09-15',
        explanation: [],
      },
    };
    const stream = [fact('ReferralReceived', '2025-01-01', {}), fact('ThresholdDecisionMade', '2025-01-01', {}), fact('WorkerAllocated', '2025-01-01', { team: 'B', workerId: 'W' }), decided(coWork, '2026-09-15')];
    expect(supervise(stream, compiled, '2026-09-15', id).nextWake).toBe('2026-09-16');
    expect(run(stream, '2026-09-16').decisions).toEqual([
      expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ reason: 'overdue', coWorkId: 'cw-1', rung: 1, about: 'a co-worker from 18+ was due by 2026-09-15' }) }),
    ]);
    stream.push(fact('WorkerAllocated', '2026-09-17', { team: '18+', workerId: 'PA' }));
    expect(fold(stream)).toMatchObject({ team: 'B', workerId: 'W' });
    expect(run(stream, '2026-09-17').decisions).toEqual([expect.objectContaining({ type: 'EscalationResolved', data: expect.objectContaining({ resolution: 'the co-worker is allocated' }) })]);
  });

  it('never announces a milestone already past when the date of birth is learnt', () => {
    const stream = [fact('ReferralReceived', '2026-10-01', {}), fact('ChildDetailsRecorded', '2026-10-01', { dateOfBirth: '2009-03-15' })];
    expect(supervise(stream, compiled, '2026-10-01', id).decisions).toEqual([]);
  });
});

describe('supervision: several lead times for one age milestone (AgeMilestone.warnAhead)', () => {
  // 17½ on Tuesday 15 September 2026: announced a month ahead (15 August), warned 3 months ahead
  // (15 June) and a week ahead (8 September).
  const warned = compilePack(pack({ ageMilestones: [{ ageYears: 17.5, ahead: '1 month', warnAhead: ['3 months', '1 week'], citation: 'seed.txt ¶20' }] }));
  const heldByB = (dobRecordedOn = '2025-01-02') => [
    fact('ReferralReceived', '2025-01-01', {}),
    fact('ThresholdDecisionMade', '2025-01-01', {}),
    fact('WorkerAllocated', '2025-01-01', { team: 'B', workerId: 'W' }),
    fact('ChildDetailsRecorded', dobRecordedOn, { dateOfBirth: '2009-03-15' }),
  ];
  const run = (stream: ChildStreamEvent[], today: string) => {
    const result = supervise(stream, warned, today, id);
    result.decisions.forEach((d) => stream.push(decided(d, today, 'supervision')));
    return result;
  };
  const warning = (warnAhead: string) => expect.objectContaining({ type: 'BirthdayApproaching', data: expect.objectContaining({ ageYears: 17.5, on: '2026-09-15', warnAhead }) });
  const announcement = expect.objectContaining({ type: 'BirthdayApproaching', data: expect.not.objectContaining({ warnAhead: expect.anything() }) });

  it('warns at each lead time and announces once, each on its day, waking for each, and never twice', () => {
    const stream = heldByB();
    expect(run(stream, '2026-05-01')).toMatchObject({ decisions: [], nextWake: '2026-06-15' });
    expect(run(stream, '2026-06-15')).toMatchObject({ decisions: [warning('3 months')], nextWake: '2026-08-15' });
    expect(run(stream, '2026-06-16').decisions).toEqual([]);
    expect(run(stream, '2026-08-15')).toMatchObject({ decisions: [announcement], nextWake: '2026-09-08' });
    expect(run(stream, '2026-09-08')).toMatchObject({ decisions: [warning('1 week')], nextWake: undefined });
    expect(run(stream, '2026-09-08').decisions).toEqual([]);
    expect(run(stream, '2026-09-15').decisions).toEqual([]);
    expect(fold(stream).milestonesAnnounced).toEqual([17.5]);
  });

  it('gives the rules the announcement only: a warning proposes nothing and announces nothing', () => {
    const stream = heldByB();
    run(stream, '2026-06-15');
    const history = { authority: 'demo', childId: 'C', entries: stream };
    expect(fold(stream).milestonesAnnounced).toEqual([]);
    expect(reconcileAllocation(history, warned, '2026-06-15T12:00:00Z')).toEqual([]);
    run(stream, '2026-08-15');
    expect(reconcileAllocation(history, warned, '2026-08-15T12:00:00Z').map((p) => p.decision)).toEqual([
      expect.objectContaining({ type: 'TransferProposed', data: expect.objectContaining({ ruleId: 'leaving-care', toTeam: '18+' }) }),
    ]);
  });

  it('sends only the latest warning due when the date of birth is learnt late, and none the announcement already told', () => {
    const learntInJuly = heldByB('2026-07-01');
    expect(run(learntInJuly, '2026-07-01').decisions).toEqual([warning('3 months')]);
    const learntInSeptember = heldByB('2026-09-10');
    // Announced late (before the birthday), on a day after the week-ahead warning's: that warning is told by it.
    expect(run(learntInSeptember, '2026-09-10')).toMatchObject({ decisions: [announcement], nextWake: undefined });
  });

  it('still warns a week ahead after the case-management system announced the milestone itself, but not after the birthday nor for a closed case', () => {
    const sentByCms = [...heldByB(), fact('BirthdayApproaching', '2026-08-20', { ageYears: 17.5, on: '2026-09-15' })];
    expect(run(sentByCms, '2026-09-08').decisions).toEqual([warning('1 week')]);
    const sentLate = [...heldByB(), fact('BirthdayApproaching', '2026-09-09', { ageYears: 17.5, on: '2026-09-15' })];
    expect(run(sentLate, '2026-09-09').decisions).toEqual([]);
    expect(supervise(heldByB(), warned, '2026-09-15', id).decisions).toEqual([announcement]);
    const closed = [...heldByB(), fact('CaseClosed', '2026-06-01', {})];
    expect(supervise(closed, warned, '2026-06-15', id).decisions).toEqual([]);
  });

  it('counts a working-day lead on the authority’s calendar (the August bank holiday)', () => {
    // 18 on Tuesday 1 September 2026; 10 working days before, skipping Monday 31 August: Monday 17 August.
    const at18 = compilePack(pack({ ageMilestones: [{ ageYears: 18, warnAhead: ['10 working days'], citation: 'seed.txt ¶20' }] }));
    const stream = [...heldByB().slice(0, 3), fact('ChildDetailsRecorded', '2025-01-02', { dateOfBirth: '2008-09-01' })];
    expect(supervise(stream, at18, '2026-08-01', id).nextWake).toBe('2026-08-17');
    expect(supervise(stream, at18, '2026-08-14', id).decisions).toEqual([]);
    expect(supervise(stream, at18, '2026-08-17', id).decisions).toEqual([expect.objectContaining({ data: expect.objectContaining({ ageYears: 18, warnAhead: '10 working days' }) })]);
  });
});

describe('supervision: a transfer between authorities not done in its timescale, and roles told beside a rung (003 §4, §9)', () => {
  // cp-to-b stands for a transfer to another authority: B is the pack's team for one (frontDoor.inbound).
  // A delay enters at the service manager (003 §9: "The Service Manager should be notified if there is
  // any delay in the receiving local authority accepting responsibility of the child").
  const delayed = (over: Partial<PolicyPack['escalation']> = {}): PolicyPack => {
    const p = pack();
    return {
      ...p,
      frontDoor: { team: 'A', inbound: 'B' },
      rules: p.rules.map((r) => (r.id === 'cp-to-b' ? { ...r, overdueAs: 'inter-authority-delay' as const } : r)),
      escalation: { ...p.escalation, entry: { ...p.escalation.entry, 'inter-authority-delay': 2 }, ...over },
    };
  };
  const runUnder = (p: PolicyPack) => {
    const compiled = compilePack(p);
    return (stream: ChildStreamEvent[], today: string) => {
      const result = supervise(stream, compiled, today, id);
      result.decisions.forEach((d) => stream.push(decided(d, today, 'supervision')));
      return result.decisions;
    };
  };
  const raised = (decisions: Decision[]) => decisions.filter((d) => d.type === 'EscalationRaised').map((d) => d.data as DecisionDataByType['EscalationRaised']);

  it('raises it as inter-authority-delay at its entry rung on the day after the handover point, with the id an overdue escalation would have, climbs by time, and resolves when the transfer completes', () => {
    const p = delayed();
    const run = runUnder(p);
    const { stream } = proposedToB(p);
    // Due Monday 18 May 2026: nothing that day; on Tuesday 19 May, the service manager, 1 working day to answer.
    expect(raised(run(stream, '2026-05-18'))).toEqual([]);
    const [delay] = raised(run(stream, '2026-05-19')).filter((d) => d.transferId === 'tr-1' && !d.itemIds);
    expect(delay).toMatchObject({ reason: 'inter-authority-delay', rung: 2, role: 'service manager', dueBy: '2026-05-20', ruleId: 'escalation-inter-authority-delay', about: 'transfer A → B between authorities was due by 2026-05-18' });
    expect(delay.alsoTold).toBeUndefined();

    const plain = proposedToB();
    const [overdue] = raised(runUnder(pack())(plain.stream, '2026-05-19')).filter((d) => d.reason === 'overdue');
    expect(overdue).toMatchObject({ rung: 1, role: 'team manager', dueBy: '2026-05-20' });
    expect(delay.escalationId).toBe(overdue.escalationId);

    // Unanswered by Wednesday 20 May: on Thursday 21 May the assistant director is told.
    expect(raised(run(stream, '2026-05-21')).filter((d) => d.reason === 'inter-authority-delay')).toEqual([expect.objectContaining({ rung: 3, role: 'assistant director', dueBy: null })]);

    for (const action of ['accept', 'complete'] as const) {
      const outcome = decideTransferCommand(fold(stream), { action, transferId: 'tr-1', on: '2026-05-22' });
      if (!outcome.ok) throw new Error(outcome.message);
      outcome.decisions.forEach((d) => stream.push(decided(d, '2026-05-22')));
    }
    expect(run(stream, '2026-05-22').filter((d) => d.type === 'EscalationResolved' && (d.data as { escalationId: string }).escalationId === delay.escalationId)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ resolution: 'the transfer is completed' }) }),
    ]);
  });

  it('leaves a late transfer of a rule without overdueAs an overdue escalation at rung 1', () => {
    const p = delayed();
    const run = runUnder({ ...p, rules: pack().rules });
    const { stream } = proposedToB(p);
    expect(raised(run(stream, '2026-05-19')).filter((d) => !d.itemIds)).toEqual([expect.objectContaining({ reason: 'overdue', rung: 1, role: 'team manager' })]);
  });

  // 003 §4: "The Child Protection Chair or IRO should be kept updated if there are difficulties
  // experienced in transferring a child". This child is on a child in need plan (ICPC: cin-plan), not looked after.
  const notices: PolicyPack['escalation']['ladder'][number]['alsoTell'] = [
    { role: 'conference chair', citation: 'seed.txt ¶14', reasons: ['inter-authority-delay', 'disputed'], when: [{ fact: 'child.plan', is: 'cin' }] },
    { role: 'independent reviewing officer', citation: 'seed.txt ¶14', when: [{ fact: 'child.lookedAfter', is: true }] },
    { role: 'dispute panel', citation: 'seed.txt ¶14', reasons: ['disputed'] },
  ];
  const ladderWithNotices = () => pack().escalation.ladder.map((rung, i) => (i > 0 ? { ...rung, alsoTell: notices } : rung));

  it('names on the escalation the roles the rung also tells, for its reasons and where the child’s conditions hold that day, and on each rung it climbs to', () => {
    const p = delayed({ ladder: ladderWithNotices() });
    const run = runUnder(p);
    const { stream } = proposedToB(p);
    const [delay] = raised(run(stream, '2026-05-19')).filter((d) => d.reason === 'inter-authority-delay');
    expect(delay).toMatchObject({ rung: 2, alsoTold: ['conference chair'] });
    expect(raised(run(stream, '2026-05-21')).filter((d) => d.reason === 'inter-authority-delay')).toEqual([expect.objectContaining({ rung: 3, alsoTold: ['conference chair'] })]);
  });

  it('tells the roles of the rung a dispute enters at, and those of the rung a person escalates it to', () => {
    const p = delayed({ ladder: ladderWithNotices() });
    const compiled = compilePack(p);
    const run = runUnder(p);
    const { stream } = proposedToB(p);
    const dispute = decideTransferCommand(fold(stream), { action: 'dispute', transferId: 'tr-1', reason: 'thresholds', on: '2026-05-07' });
    if (!dispute.ok) throw new Error(dispute.message);
    dispute.decisions.forEach((d) => stream.push(decided(d, '2026-05-07')));
    const [raisedDispute] = raised(run(stream, '2026-05-07'));
    expect(raisedDispute).toMatchObject({ reason: 'disputed', rung: 2, alsoTold: ['conference chair', 'dispute panel'] });
    const byHand = escalateByRequest(fold(stream), compiled, { escalationId: raisedDispute.escalationId, by: 'sm', reason: 'no agreement', on: '2026-05-07' });
    if (!byHand.ok) throw new Error(byHand.message);
    expect(byHand.decisions[0].data).toMatchObject({ rung: 3, alsoTold: ['conference chair', 'dispute panel'], escalatedBy: 'sm' });
  });

  it('tells nobody else at a rung without alsoTell, nor for a reason the notice does not take', () => {
    const p = delayed({ ladder: ladderWithNotices() });
    const run = runUnder(p);
    const { stream } = proposedToB(p);
    // The checklist's unmet items (checklist-incomplete) enter at rung 1, which has no notice.
    const items = raised(run(stream, '2026-05-19')).find((d) => d.reason === 'checklist-incomplete')!;
    expect(items).toMatchObject({ rung: 1 });
    expect(items.alsoTold).toBeUndefined();
    // Unanswered by Wednesday 20 May, it climbs on Thursday 21 May to rung 2, whose notices take other reasons.
    const climbed = raised(run(stream, '2026-05-21')).find((d) => d.reason === 'checklist-incomplete')!;
    expect(climbed.rung).toBe(2);
    expect(climbed.alsoTold).toBeUndefined();
  });
});

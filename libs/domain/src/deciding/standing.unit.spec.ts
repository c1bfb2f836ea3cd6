/**
 * A child's standing today: allocation, checklists and supervision reconciled in turn until
 * nothing more is required — what an import's dry run reports before anything is recorded.
 */
import { smallPack } from '../test-support/small-pack';
import { compilePack, historyOf, milestoneDatesOf, standingOf, type CaseEvent, type ChildStreamEvent } from '../index';

// Teams A, B, 18+; A → B on an ICPC (10 working days); B → 18+ at 17½, announced a month ahead.
const compiled = compilePack(smallPack());

const fact = (eventId: string, type: CaseEvent['type'], on: string, data: object): ChildStreamEvent => ({
  kind: 'fact',
  fact: { eventId, type, authority: 'demo', childId: 'C', occurredAt: `${on}T12:00:00Z`, source: 'ssda903', data } as CaseEvent,
});
const conference = [fact('alloc', 'WorkerAllocated', '2026-04-01', { team: 'A', workerId: 'W-1' }), fact('icpc', 'ICPCHeld', '2026-05-01', { outcome: 'cp-plan' })];

describe('standingOf', () => {
  it('proposes what the pack requires, opens its checklist, and escalates what is already overdue today', () => {
    const { state, decisions } = standingOf(historyOf('demo', 'C', conference), compiled, '2026-06-15T12:00:00Z');

    expect(decisions.map((d) => d.decision.type)).toEqual(['TransferProposed', 'ChecklistOpened', 'EscalationRaised', 'EscalationRaised']);
    expect(state.transfers).toEqual([expect.objectContaining({ fromTeam: 'A', toTeam: 'B', status: 'proposed', dueBy: '2026-05-18', ruleId: 'cp-to-b' })]);
    expect(state.escalations.filter((e) => !e.resolved).map((e) => e.reason).sort()).toEqual(['checklist-incomplete', 'overdue']);
  });

  it('settles: what it reports, once recorded, requires nothing more', () => {
    const first = standingOf(historyOf('demo', 'C', conference), compiled, '2026-06-15T12:00:00Z');

    expect(standingOf(first.history, compiled, '2026-06-15T12:00:00Z').decisions).toEqual([]);
  });

  it('is the same whatever order the return gave the facts in', () => {
    const inOrder = standingOf(historyOf('demo', 'C', conference), compiled, '2026-06-15T12:00:00Z');
    const reversed = standingOf(historyOf('demo', 'C', [...conference].reverse()), compiled, '2026-06-15T12:00:00Z');

    expect(reversed.decisions.map((d) => d.identity).sort()).toEqual(inOrder.decisions.map((d) => d.identity).sort());
  });

  it('announces a milestone whose window is open today, and the rule it triggers fires', () => {
    // 17½ on 2026-07-01, announced a month ahead (1 June): open on 15 June.
    const history = historyOf('demo', 'C', [
      fact('dob', 'ChildDetailsRecorded', '2009-01-01', { dateOfBirth: '2009-01-01' }),
      fact('alloc', 'WorkerAllocated', '2020-01-01', { team: 'B', workerId: 'W-1' }),
    ]);

    const { state, decisions } = standingOf(history, compiled, '2026-06-15T12:00:00Z');

    expect(decisions[0].decision.type).toBe('BirthdayApproaching');
    expect(state.transfers).toEqual([expect.objectContaining({ fromTeam: 'B', toTeam: '18+', dueBy: '2027-01-01' })]);
  });

  it('proposes nothing for a child no rule concerns', () => {
    expect(standingOf(historyOf('demo', 'C', [fact('alloc', 'WorkerAllocated', '2026-04-01', { team: 'B', workerId: 'W-1' })]), compiled, '2026-06-15T12:00:00Z').decisions).toEqual([]);
  });
});

describe('milestoneDatesOf', () => {
  it('gives each milestone of the pack its birthday and the day it is announced', () => {
    expect(milestoneDatesOf(compiled, '2009-01-01')).toEqual([{ ageYears: 17.5, birthday: '2026-07-01', announceOn: '2026-06-01', citation: 'seed.txt ¶20' }]);
  });
});

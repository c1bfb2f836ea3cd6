/**
 * A child's standing today: allocation, checklists and supervision reconciled in turn until
 * nothing more is required — what an import's dry run reports before anything is recorded.
 */
import { compilePack, historyOf, milestoneDatesOf, standingOf, type CaseEvent, type ChildStreamEvent, type PolicyPack } from '../index';

const pack: PolicyPack = {
  id: 'standing-test',
  version: '1',
  title: 'standing test',
  source: 'seed.txt',
  authorities: ['demo'],
  teams: ['A', 'B', '18+'].map((code) => ({ code, name: code, managerRole: code })),
  frontDoor: { team: 'A' },
  meetingKinds: [],
  nonWorkingDays: [],
  notEncoded: [],
  rules: [
    {
      id: 'cp-to-b',
      version: 1,
      title: 'cp plan to B',
      citation: 'seed.txt ¶12',
      from: ['A'],
      to: 'B',
      when: { events: ['ICPCHeld'], conditions: [] },
      unless: [],
      handover: { description: '10 working days', within: '10 working days', after: 'trigger' },
      priority: 0,
    },
    {
      id: 'leaving-care',
      version: 1,
      title: 'to 18+ at 17½',
      citation: 'seed.txt ¶20',
      from: ['B'],
      to: '18+',
      when: { events: ['BirthdayApproaching'], conditions: [{ fact: 'event.ageYears', in: [17.5] }] },
      unless: [],
      handover: { description: 'the 18th birthday', before: { age: '18 years' } },
      priority: 0,
    },
  ],
  checklists: {
    gating: 'non-blocking-escalate',
    citation: 'seed.txt ¶2',
    templates: [{ id: 'standards', title: 'standards', citation: 'seed.txt ¶3', appliesTo: {}, items: [{ id: 'chronology', description: 'chronology up to date' }] }],
  },
  escalation: { citation: 'seed.txt ¶14', ladder: [{ role: 'team manager', within: '1 working day' }, { role: 'service manager' }], entry: {}, namedWorker: { within: '1 working day', citation: 'seed.txt ¶9' } },
  deadlines: [],
  ageMilestones: [{ ageYears: 17.5, ahead: '1 month', citation: 'seed.txt ¶20' }],
};
const compiled = compilePack(pack);

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

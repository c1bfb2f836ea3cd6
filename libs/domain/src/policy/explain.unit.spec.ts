import { compilePack, NO_PROCEDURES, explainStream, type CaseEvent, type ChildStreamEvent, type PolicyPack } from '../index';

const pack: PolicyPack = {
  id: 'explain-test',
  version: '1',
  title: 'explain test',
  source: 'seed.txt',
  authorities: ['demo'],
  teams: [
    { code: 'A', name: 'A', managerRole: 'a' },
    { code: 'B', name: 'B', managerRole: 'b' },
  ],
  frontDoor: { team: 'A' },
  meetingKinds: [],
  nonWorkingDays: [],
  notEncoded: [],
  ...NO_PROCEDURES,
  rules: [
    {
      id: 'cp-to-b',
      version: 1,
      title: 'cp to B',
      citation: 'seed.txt ¶1',
      from: ['A'],
      to: 'B',
      when: { events: ['ICPCHeld'], conditions: [{ fact: 'event.outcome', is: 'cp-plan' }] },
      unless: [],
      handover: { description: 'in 10 working days', within: '10 working days', after: 'trigger' },
      priority: 0,
    },
  ],
};

const fact = (eventId: string, type: CaseEvent['type'], occurredAt: string, data: object): ChildStreamEvent => ({
  kind: 'fact',
  fact: { eventId, type, authority: 'demo', childId: 'C', occurredAt, source: 't', data } as CaseEvent,
});

describe('explainStream', () => {
  const compiled = compilePack(pack);
  const stream = [
    fact('e1', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A', workerId: 'W' }),
    fact('e2', 'ICPCHeld', '2026-04-20T09:00:00+01:00', { outcome: 'cin-plan' }),
    fact('e3', 'ICPCHeld', '2026-05-01T09:00:00+01:00', { outcome: 'cp-plan' }),
  ];

  it('says why a rule did not fire, and what fired, fact by fact', () => {
    const [allocated, cin, cp] = explainStream('demo', 'C', stream, compiled);
    expect(allocated.rules).toEqual([]);
    expect(cin.rules[0]).toMatchObject({ ruleId: 'cp-to-b', outcome: 'conditions-not-met' });
    expect(cin.rules[0].account.join('\n')).toContain('event.outcome is cp-plan (was cin-plan): not met');
    expect(cp).toMatchObject({ heldBy: 'A', occurredOn: '2026-05-01', rules: [{ outcome: 'proposed' }] });
    expect(cp.decisions[0].data).toMatchObject({ toTeam: 'B', dueBy: '2026-05-18' });
  });

  it('shows the decision recorded at the time beside what the pack decides now', () => {
    const recorded: ChildStreamEvent = {
      kind: 'decision',
      eventId: 'd1',
      decidedAt: '2026-05-01T09:00:01Z',
      causationId: 'e3',
      decision: { type: 'TransferProposed', data: { transferId: 'tr-x', toTeam: 'B' } as never },
    };
    const explained = explainStream('demo', 'C', [...stream, recorded], compiled);
    expect(explained[2].recorded).toHaveLength(1);
  });

  it('replays deterministically: the same stream gives the same decisions and transfer ids', () => {
    const once = explainStream('demo', 'C', stream, compiled).flatMap((e) => e.decisions);
    const again = explainStream('demo', 'C', stream, compiled).flatMap((e) => e.decisions);
    expect(again).toEqual(once);
    expect(once).toHaveLength(1);
  });
});

describe('explainStream reads the stream in causal order', () => {
  it('judges a fact recorded before the previous fact was decided with that decision folded in', () => {
    const withMeeting: PolicyPack = {
      ...pack,
      meetingKinds: [{ kind: 'core-group', name: 'core group' }],
      rules: [{ ...pack.rules[0], handover: { description: 'the core group', meeting: 'core-group', within: '10 working days', after: 'trigger' } }],
    };
    const compiled = compilePack(withMeeting);
    const allocated = fact('e1', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A', workerId: 'W' });
    const icpc = fact('e2', 'ICPCHeld', '2026-05-01T09:00:00+01:00', { outcome: 'cp-plan' });
    const scheduled = fact('e3', 'MeetingScheduled', '2026-05-02T09:00:00+01:00', { kind: 'core-group', on: '2026-05-07' });
    const proposed = explainStream('demo', 'C', [allocated, icpc], compiled)[1].decisions[0];
    // The store's order: all three facts, then the proposal for e2.
    const stored: ChildStreamEvent[] = [allocated, icpc, scheduled, { kind: 'decision', eventId: 'd2', decidedAt: '2026-05-01T09:00:01Z', causationId: 'e2', decision: proposed }];
    const [, , meeting] = explainStream('demo', 'C', stored, compiled);
    expect(meeting.decisions).toEqual([expect.objectContaining({ type: 'TransferRescheduled', data: expect.objectContaining({ dueBy: '2026-05-07' }) })]);
  });

  // 000 ¶11: a rule tied to time passing carries the pack's reading of its words, so explain shows what proposes it.
  it("gives each rule's reading beside its account, where the pack gives one", () => {
    const reading = { citation: 'seed.txt ¶1, “where involvement is extended”', text: 'proposed when a review extends involvement; the duration alone proposes nothing' };
    const read = compilePack({ ...pack, rules: [{ ...pack.rules[0], reading }] });
    const stream = [fact('r1', 'WorkerAllocated', '2026-04-01T09:00:00+01:00', { team: 'A', workerId: 'W' }), fact('r2', 'ICPCHeld', '2026-05-01T09:00:00+01:00', { outcome: 'cp-plan' })];
    expect(explainStream('demo', 'C', stream, read)[1].rules[0]).toMatchObject({ ruleId: 'cp-to-b', outcome: 'proposed', reading });
    expect(explainStream('demo', 'C', stream, compilePack(pack))[1].rules[0]).not.toHaveProperty('reading');
  });
});

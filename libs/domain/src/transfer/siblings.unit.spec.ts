/** 000 ¶1 and 004 Work with Siblings 1: a sibling held by the same team moves alongside, unless a separation is recorded. */
import { compilePack, evolve, initialChildState, NO_PROCEDURES, siblingProposal, type CaseEvent, type ChildState, type DecisionDataByType, type PolicyPack } from '../index';

const pack = (siblings: PolicyPack['siblings']): PolicyPack => ({
  id: 'siblings-test',
  version: '1',
  title: 't',
  source: 'seed.txt',
  authorities: ['demo'],
  teams: ['A', 'B', 'C'].map((code) => ({ code, name: code, managerRole: code })),
  frontDoor: { team: 'A' },
  meetingKinds: [],
  nonWorkingDays: [],
  notEncoded: [],
  rules: [],
  ...NO_PROCEDURES,
  ...(siblings ? { siblings } : {}),
});

const proposal: DecisionDataByType['TransferProposed'] = {
  ruleId: 'cp-to-b',
  ruleVersion: 1,
  packId: 'siblings-test',
  packVersion: '1',
  citation: 'seed.txt ¶12',
  transferId: 'tr-1',
  fromTeam: 'A',
  toTeam: 'B',
  trigger: { eventId: 'e1', type: 'ICPCHeld', occurredOn: '2026-05-01' },
  handoverPoint: { description: 'd', basis: 'timescale', steps: [] },
  dueBy: '2026-05-18',
  explanation: [],
};

const child = (...facts: [CaseEvent['type'], object][]): ChildState =>
  facts.reduce(
    (s, [type, data], i) =>
      evolve(s, { kind: 'fact', fact: { eventId: `s${i}`, type, authority: 'demo', childId: 'S', familyId: 'F', occurredAt: '2026-04-01T09:00:00Z', source: 't', data } as CaseEvent }),
    initialChildState('demo', 'S'),
  );

const withPack = compilePack(pack({ citation: 'seed.txt ¶1' }));

describe('keeping siblings together', () => {
  it('proposes a sibling held by the same team to the same team, with the same handover point and due date, citing the siblings paragraph', () => {
    const { outcome, decisions } = siblingProposal(proposal, child(['WorkerAllocated', { team: 'A', workerId: 'W' }]), withPack);
    expect(outcome).toBe('proposed');
    expect(decisions).toEqual([
      expect.objectContaining({
        type: 'TransferProposed',
        data: expect.objectContaining({ ruleId: 'keep-siblings-together', citation: 'seed.txt ¶1', fromTeam: 'A', toTeam: 'B', dueBy: '2026-05-18', trigger: proposal.trigger }),
      }),
    ]);
    expect((decisions[0].data as { transferId: string }).transferId).not.toBe('tr-1');
  });

  it.each([
    ['the pack says nothing of siblings', compilePack(pack(undefined)), child(['WorkerAllocated', { team: 'A', workerId: 'W' }]), 'no-sibling-rule'],
    ['the sibling is held by another team', withPack, child(['WorkerAllocated', { team: 'C', workerId: 'W' }]), 'held-by-another-team'],
    ['the sibling is already with the team', withPack, child(['WorkerAllocated', { team: 'B', workerId: 'W' }]), 'already-with-team'],
    ['the sibling has no open case', withPack, child(['ReferralReceived', {}], ['CaseClosed', {}]), 'not-open'],
    [
      'a separation is recorded for the sibling (000 ¶1: not in the best interest)',
      withPack,
      child(['WorkerAllocated', { team: 'A', workerId: 'W' }], ['SiblingSeparationRecorded', { reason: 'best interest' }]),
      'separation-recorded',
    ],
  ])('proposes nothing when %s', (_why, compiled, sibling, outcome) => {
    expect(siblingProposal(proposal, sibling, compiled)).toEqual({ outcome, decisions: [] });
  });

  it('moves the sibling again once the separation is withdrawn', () => {
    const sibling = child(['WorkerAllocated', { team: 'A', workerId: 'W' }], ['SiblingSeparationRecorded', { reason: 'x' }], ['SiblingSeparationRecorded', { reason: 'ended', withdrawn: true }]);
    expect(siblingProposal(proposal, sibling, withPack).outcome).toBe('proposed');
  });
});

/** 003 §6: only the care-proceedings transfers take the siblings along, and only those in proceedings, at their own meeting. */
describe('keeping siblings together under a sibling rule', () => {
  const perRule = compilePack({
    ...pack([
      {
        id: 'siblings-in-proceedings',
        version: 2,
        title: 't',
        citation: 'seed.txt §6',
        rules: ['cp-to-b'],
        when: [{ fact: 'child.inProceedings', is: true }],
        handover: { description: "the sibling's core group", meeting: 'core-group' },
      },
    ]),
    meetingKinds: [{ kind: 'core-group', name: 'Core group' }],
  });
  const inProceedings = child(['WorkerAllocated', { team: 'A', workerId: 'W' }], ['CareProceedingsIssued', {}], ['MeetingScheduled', { kind: 'core-group', on: '2026-05-12' }]);

  it("proposes a sibling the rule selects, citing the sibling rule, dated at the sibling's own meeting", () => {
    const { outcome, decisions } = siblingProposal(proposal, inProceedings, perRule);
    expect(outcome).toBe('proposed');
    expect(decisions[0].data).toMatchObject({
      ruleId: 'siblings-in-proceedings',
      ruleVersion: 2,
      citation: 'seed.txt §6',
      fromTeam: 'A',
      toTeam: 'B',
      dueBy: '2026-05-12',
      handoverPoint: { basis: 'meeting', meeting: 'core-group' },
      trigger: proposal.trigger,
    });
  });

  it('proposes nothing for a transfer of a rule it does not name, or for a sibling its conditions do not select', () => {
    expect(siblingProposal({ ...proposal, ruleId: 'to-18-plus' }, inProceedings, perRule).outcome).toBe('no-sibling-rule');
    expect(siblingProposal(proposal, child(['WorkerAllocated', { team: 'A', workerId: 'W' }]), perRule).outcome).toBe('conditions-not-met');
  });

  it('takes nobody along from a sibling moved alongside (no chains)', () => {
    expect(siblingProposal({ ...proposal, ruleId: 'siblings-in-proceedings' }, inProceedings, perRule).outcome).toBe('no-sibling-rule');
    expect(siblingProposal({ ...proposal, ruleId: 'keep-siblings-together' }, inProceedings, withPack).outcome).toBe('no-sibling-rule');
  });
});

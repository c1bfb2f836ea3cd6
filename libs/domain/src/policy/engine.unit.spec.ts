/**
 * Engine mechanics that no single pack rule shows: an authority's own non-working days, the
 * priority tie-break, and one open transfer at a time. Pack rules are tested as scenarios beside
 * each pack (libs/policy-packs/src/*.scenarios.int.spec.ts).
 */
import { compilePack, NO_PROCEDURES, decide, evaluate, evolve, initialChildState, type CaseEvent, type ChildState, type PolicyPack, type TransferRule } from '../index';

const rule = (over: Partial<TransferRule>): TransferRule => ({
  id: 'cp-to-b',
  version: 1,
  title: 't',
  citation: 'seed.txt ¶1',
  from: ['A'],
  to: 'B',
  when: { events: ['ICPCHeld'], conditions: [{ fact: 'event.outcome', is: 'cp-plan' }] },
  unless: [],
  handover: { description: '10 working days', within: '10 working days', after: 'trigger' },
  priority: 0,
  ...over,
});

const packWith = (rules: TransferRule[], nonWorkingDays: string[] = []): PolicyPack => ({
  id: 'engine-test',
  version: '1',
  title: 'engine test',
  source: 'seed.txt',
  authorities: ['demo'],
  teams: ['A', 'B', 'C'].map((code) => ({ code, name: code, managerRole: code })),
  frontDoor: { team: 'A' },
  meetingKinds: [],
  nonWorkingDays,
  notEncoded: [],
  ...NO_PROCEDURES,
  rules,
});

const event = (eventId: string, type: CaseEvent['type'], on: string, data: object): CaseEvent =>
  ({ eventId, type, authority: 'demo', childId: 'C', occurredAt: `${on}T10:00:00+01:00`, source: 't', data }) as CaseEvent;

const heldByA = (): ChildState =>
  evolve(initialChildState('demo', 'C'), { kind: 'fact', fact: event('a', 'WorkerAllocated', '2026-04-01', { team: 'A', workerId: 'W' }) });

describe('the policy engine', () => {
  it("counts an authority's own non-working days as well as bank holidays", () => {
    const [standard] = decide(heldByA(), event('e', 'ICPCHeld', '2026-05-01', { outcome: 'cp-plan' }), compilePack(packWith([rule({})])));
    const [withClosure] = decide(
      heldByA(),
      event('e', 'ICPCHeld', '2026-05-01', { outcome: 'cp-plan' }),
      compilePack(packWith([rule({})], ['2026-05-11', '2026-05-12'])),
    );
    expect((standard.data as { dueBy: string }).dueBy).toBe('2026-05-18');
    expect((withClosure.data as { dueBy: string }).dueBy).toBe('2026-05-20');
  });

  it('lets the higher priority win when two rules fire on one fact, and says so', () => {
    const compiled = compilePack(packWith([rule({ id: 'to-b' }), rule({ id: 'to-c', to: 'C', priority: 5 })]));
    const { decisions, rules } = evaluate(heldByA(), event('e', 'ICPCHeld', '2026-05-01', { outcome: 'cp-plan' }), compiled);
    expect(decisions).toHaveLength(1);
    expect(decisions[0].data).toMatchObject({ toTeam: 'C', ruleId: 'to-c' });
    expect(rules.find((r) => r.ruleId === 'to-b')).toMatchObject({ outcome: 'lower-priority' });
  });

  it('proposes nothing while another transfer is open (000 ¶1), and names it', () => {
    const compiled = compilePack(packWith([rule({}), rule({ id: 'rcpc-to-c', to: 'C', when: { events: ['RCPCHeld'], conditions: [] } })]));
    const first = event('e1', 'ICPCHeld', '2026-05-01', { outcome: 'cp-plan' });
    const after = evaluate(heldByA(), first, compiled);
    const state = after.decisions.reduce(
      (s, d) => evolve(s, { kind: 'decision', eventId: 'd', decidedAt: '2026-05-01T10:00:01Z', causationId: 'e1', decision: d }),
      after.state,
    );
    const second = evaluate(state, event('e2', 'RCPCHeld', '2026-06-01', { outcome: 'cp-plan-continues' }), compiled);
    expect(second.decisions).toEqual([]);
    expect(second.rules[0].outcome).toBe('already-on-transfer');
    expect(second.rules[0].account.join(' ')).toContain('an open transfer to B must be resolved first');
  });

  it('proposes nothing to the team that already holds the child', () => {
    const compiled = compilePack(packWith([rule({ from: ['A', 'B'], to: 'A' })]));
    const { decisions, rules } = evaluate(heldByA(), event('e', 'ICPCHeld', '2026-05-01', { outcome: 'cp-plan' }), compiled);
    expect(decisions).toEqual([]);
    expect(rules[0].outcome).toBe('already-with-team');
  });
});

describe('re-referral after closure', () => {
  it('measures child.timeSinceClosure on the re-referral itself, from the last closure', () => {
    const compiled = compilePack(
      packWith([
        rule({
          id: 're-referral-to-closing-team',
          from: ['A'],
          to: 'B',
          when: { events: ['ReferralReceived'], conditions: [{ fact: 'child.timeSinceClosure', below: '12 weeks' }] },
        }),
      ]),
    );
    let state = heldByA();
    state = evolve(state, { kind: 'fact', fact: event('c', 'CaseClosed', '2026-04-10', { closingTeam: 'B' }) });
    const soon = evaluate(state, event('r1', 'ReferralReceived', '2026-06-01', { referralSource: 'school' }), compiled);
    expect(soon.rules[0].outcome).toBe('proposed');
    expect(soon.state.closingTeam).toBe('B');
    const late = evaluate(state, event('r2', 'ReferralReceived', '2026-07-20', { referralSource: 'school' }), compiled);
    expect(late.rules[0].outcome).toBe('conditions-not-met');
  });
});

describe('a destination read from a fact', () => {
  const reReferral = (to: TransferRule['to']) =>
    compilePack(
      packWith([
        rule({ id: 're-referral', from: ['A'], to, when: { events: ['ReferralReceived'], conditions: [{ fact: 'child.timeSinceClosure', below: '12 weeks' }] } }),
      ]),
    );
  const closedBy = (team: string) =>
    evolve(heldByA(), { kind: 'fact', fact: event('c', 'CaseClosed', '2026-04-10', { closingTeam: team }) });

  it('sends a re-referral to the team that closed the last episode', () => {
    const [d] = decide(closedBy('C'), event('r', 'ReferralReceived', '2026-05-01', { referralSource: 'school' }), reReferral({ fact: 'child.closingTeam' }));
    expect(d.data).toMatchObject({ fromTeam: 'A', toTeam: 'C' });
  });

  it('does not fire when the fact names no team of the pack', () => {
    const { decisions, rules } = evaluate(closedBy('Z'), event('r', 'ReferralReceived', '2026-05-01', { referralSource: 'school' }), reReferral({ fact: 'child.closingTeam' }));
    expect(decisions).toEqual([]);
    expect(rules[0].account.join(' ')).toContain('which is not a team of this pack');
  });
});

/**
 * The three outcomes a transfer point can have (policy-pack.ts RULE_OUTCOMES), the move between
 * areas of one authority and the move in from another authority: engine mechanics shown on a
 * small pack. Each pack's own rules are tested as scenarios beside it (libs/policy-packs).
 */
import {
  compilePack,
  decideLifecycleFact,
  evaluate,
  evolve,
  evolveFact,
  initialChildState,
  NO_PROCEDURES,
  teamHolding,
  type CaseEvent,
  type ChildState,
  type ChildStreamEvent,
  type CompiledPack,
  type Decision,
  type PolicyPack,
  type TransferRule,
} from '../index';

const rule = (over: Partial<TransferRule> & Pick<TransferRule, 'id'>): TransferRule => ({
  version: 1,
  title: 't',
  citation: 'seed.txt ¶1',
  from: ['A'],
  to: 'B',
  when: { events: ['OrderMade'], conditions: [] },
  unless: [],
  handover: { description: 'at once', within: '0 days', after: 'trigger' },
  priority: 0,
  ...over,
});

const packWith = (rules: TransferRule[], over: Partial<PolicyPack> = {}): PolicyPack => ({
  id: 'outcomes-test',
  version: '1',
  title: 'outcomes test',
  source: 'seed.txt',
  authorities: ['demo'],
  teams: ['A', 'B', 'C', 'Front', 'Elsewhere'].map((code) => ({ code, name: code, managerRole: code })),
  frontDoor: { team: 'Front' },
  meetingKinds: [],
  nonWorkingDays: [],
  notEncoded: [],
  ...NO_PROCEDURES,
  rules,
  ...over,
});

let serial = 0;
const fact = (type: CaseEvent['type'], on: string, data: object): CaseEvent =>
  ({ eventId: `e${++serial}`, type, authority: 'demo', childId: 'C', occurredAt: `${on}T10:00:00Z`, source: 't', data }) as CaseEvent;

/** Folds facts as the allocation service stores them: each fact, then the decisions made on it. */
function history(compiled: CompiledPack, ...facts: CaseEvent[]): ChildState {
  return facts.reduce((state, f) => {
    const { state: after, decisions } = evaluate(state, f, compiled);
    const lifecycle = decideLifecycleFact(after, f);
    return [...lifecycle, ...decisions].reduce((s, decision: Decision, i): ChildState => {
      const entry: ChildStreamEvent = { kind: 'decision', eventId: `${f.eventId}-${i}`, decidedAt: f.occurredAt, causationId: f.eventId, decision };
      return evolve(s, entry);
    }, after);
  }, initialChildState('demo', 'C'));
}

const allocated = (team: string, on = '2026-01-05', area?: string) => fact('WorkerAllocated', on, { team, workerId: `W-${team}`, ...(area ? { area } : {}) });

describe('a "remains" transfer point', () => {
  const supervisionOrder = rule({
    id: 'remains-under-supervision-order',
    outcome: 'remains',
    to: { holding: true },
    when: { events: ['OrderMade'], conditions: [{ fact: 'event.order', is: 'supervision-order' }] },
    holdsWhile: [{ fact: 'child.orders', includes: 'supervision-order' }],
  });
  const toB = rule({ id: 'cp-plan-to-b', when: { events: ['ICPCHeld'], conditions: [] } });
  const compiled = compilePack(packWith([supervisionOrder, toB]));

  it('records a cited CaseRetained with the hold in words, and proposes no transfer', () => {
    const { decisions } = evaluate(history(compiled, allocated('A')), fact('OrderMade', '2026-03-02', { order: 'supervision-order' }), compiled);
    expect(decisions).toEqual([
      {
        type: 'CaseRetained',
        data: expect.objectContaining({
          team: 'A',
          ruleId: 'remains-under-supervision-order',
          citation: 'seed.txt ¶1',
          holdsWhile: ['child.orders includes supervision-order (was [supervision-order])'],
        }),
      },
    ]);
  });

  it('keeps every other rule from moving the child while the hold holds, and says why', () => {
    const state = history(compiled, allocated('A'), fact('OrderMade', '2026-03-02', { order: 'supervision-order' }));
    const { decisions, rules } = evaluate(state, fact('ICPCHeld', '2026-04-01', { outcome: 'cp-plan' }), compiled);
    expect(decisions).toEqual([]);
    expect(rules[0]).toMatchObject({ ruleId: 'cp-plan-to-b', outcome: 'retained' });
    expect(rules[0].account.at(-1)).toMatch(/remains with A under rule remains-under-supervision-order .* since 2026-03-02/);
  });

  it('lets the hold lapse when its condition stops holding (the order discharged)', () => {
    const state = history(
      compiled,
      allocated('A'),
      fact('OrderMade', '2026-03-02', { order: 'supervision-order' }),
      fact('OrderMade', '2026-03-20', { order: 'discharge', dischargedOrder: 'supervision-order' }),
    );
    const { decisions } = evaluate(state, fact('ICPCHeld', '2026-04-01', { outcome: 'cp-plan' }), compiled);
    expect(decisions.map((d) => d.type)).toEqual(['TransferProposed']);
  });

  it('lets the hold lapse when the pack in force no longer has the rule (a new version never rewrites what was recorded)', () => {
    const state = history(compiled, allocated('A'), fact('OrderMade', '2026-03-02', { order: 'supervision-order' }));
    const withoutHold = compilePack(packWith([toB]));
    expect(evaluate(state, fact('ICPCHeld', '2026-04-01', { outcome: 'cp-plan' }), withoutHold).decisions.map((d) => d.type)).toEqual(['TransferProposed']);
  });
});

describe('a co-work transfer point', () => {
  const coWork = rule({ id: 'c-co-works', outcome: 'co-work', to: 'C', when: { events: ['BirthdayApproaching'], conditions: [] } });
  const toC = rule({ id: 'to-c-at-18', to: 'C', when: { events: ['BirthdayApproaching'], conditions: [] }, handover: { description: '18', before: { age: '18 years' } } });
  const compiled = compilePack(packWith([coWork, toC]));
  const birthday = () => fact('BirthdayApproaching', '2026-06-15', { ageYears: 16, on: '2026-06-15' });

  it('is recorded beside the transfer that fires on the same fact: co-working does not compete for the case', () => {
    const { decisions } = evaluate(history(compiled, allocated('A')), birthday(), compiled);
    expect(decisions.map((d) => [d.type, (d.data as { ruleId: string }).ruleId])).toEqual([
      ['TransferProposed', 'to-c-at-18'],
      ['CoWorkRequired', 'c-co-works'],
    ]);
    expect(decisions[1].data).toMatchObject({ holdingTeam: 'A', coWorkingTeam: 'C', dueBy: '2026-06-15' });
  });

  it('takes a WorkerAllocated of the co-working team as the co-worker: the case stays, the transfer stays open', () => {
    const state = history(compiled, allocated('A'), birthday(), allocated('C', '2026-06-20'));
    expect(state).toMatchObject({ team: 'A', workerId: 'W-A' });
    expect(state.coWorks).toEqual([expect.objectContaining({ team: 'C', workerId: 'W-C' })]);
    expect(state.transfers.map((t) => t.status)).toEqual(['proposed']);
  });

  it('ends when the transfer to the co-working team completes, its co-worker then holding the case', () => {
    const state = history(compiled, allocated('A'), birthday(), allocated('C', '2026-06-20'), allocated('C', '2028-06-15'));
    expect(state).toMatchObject({ team: 'C', workerId: 'W-C', coWorks: [] });
    expect(state.transfers.map((t) => t.status)).toEqual(['completed']);
  });

  it('is not required twice of the same team', () => {
    const state = history(compiled, allocated('A'), birthday());
    const { rules } = evaluate(state, fact('BirthdayApproaching', '2027-06-15', { ageYears: 17, on: '2027-06-15' }), compiled);
    expect(rules.find((r) => r.ruleId === 'c-co-works')).toMatchObject({ outcome: 'already-co-working' });
  });
});

describe('a move between areas of one authority (003 §8: the same team code in another district)', () => {
  const districtMove = rule({
    id: 'district-move',
    to: 'A',
    toArea: { fact: 'event.area' },
    when: { events: ['ChildMoved'], conditions: [{ fact: 'event.destination', is: 'within-authority' }] },
  });
  const compiled = compilePack(packWith([districtMove]));
  const moved = (area?: string) => fact('ChildMoved', '2026-05-04', { destination: 'within-authority', planned: true, ...(area ? { area } : {}) });

  it('proposes A → A with both areas, and the completed move changes the child’s area', () => {
    const state = history(compiled, allocated('A', '2026-01-05', 'north'));
    const [proposal] = evaluate(state, moved('south'), compiled).decisions;
    expect(proposal.data).toMatchObject({ fromTeam: 'A', toTeam: 'A', fromArea: 'north', toArea: 'south' });
    const after = history(compiled, allocated('A', '2026-01-05', 'north'), moved('south'), allocated('A', '2026-05-11', 'south'));
    expect(after).toMatchObject({ team: 'A', area: 'south', teamSince: '2026-05-11' });
    expect(after.transfers.map((t) => t.status)).toEqual(['completed']);
  });

  it('is not completed by a re-allocation in the old area, or one naming no area', () => {
    for (const reallocation of [allocated('A', '2026-05-05', 'north'), allocated('A', '2026-05-05')]) {
      const after = history(compiled, allocated('A', '2026-01-05', 'north'), moved('south'), reallocation);
      expect(after).toMatchObject({ team: 'A', area: 'north' });
      expect(after.transfers.map((t) => t.status)).toEqual(['proposed']);
    }
  });

  it('proposes nothing for a move within the same area, or one that names no area', () => {
    const state = history(compiled, allocated('A', '2026-01-05', 'north'));
    expect(evaluate(state, moved('north'), compiled).rules[0]).toMatchObject({ outcome: 'already-with-team' });
    expect(evaluate(state, moved(), compiled).rules[0]).toMatchObject({ outcome: 'conditions-not-met' });
  });
});

describe('a child moving in from another authority (003 §9)', () => {
  const cinIn = rule({
    id: 'cin-in',
    from: ['Elsewhere'],
    to: 'B',
    when: { events: ['ChildMoved'], conditions: [{ fact: 'event.planOnArrival', is: 'cin' }] },
  });
  const movedIn = () => fact('ChildMoved', '2026-05-04', { destination: 'into-authority', planned: true, planOnArrival: 'cin', otherAuthority: 'x' });

  it('is held by the pack’s inbound team until it transfers in', () => {
    const compiled = compilePack(packWith([cinIn], { frontDoor: { team: 'Front', inbound: 'Elsewhere' } }));
    const state = evolveFact(initialChildState('demo', 'C'), movedIn());
    expect(teamHolding(state, compiled.pack)).toBe('Elsewhere');
    expect(evaluate(initialChildState('demo', 'C'), movedIn(), compiled).decisions[0].data).toMatchObject({ fromTeam: 'Elsewhere', toTeam: 'B' });
  });

  it('is held by the front door when the pack names no inbound team', () => {
    const compiled = compilePack(packWith([cinIn]));
    expect(teamHolding(evolveFact(initialChildState('demo', 'C'), movedIn()), compiled.pack)).toBe('Front');
  });

  it('is no longer moving in once a team allocates a worker', () => {
    const state = [movedIn(), allocated('B', '2026-05-20')].reduce(evolveFact, initialChildState('demo', 'C'));
    expect(state).toMatchObject({ team: 'B', movingIn: undefined });
  });
});

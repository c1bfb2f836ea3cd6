import { compilePack, NO_PROCEDURES, localDateOf, type PolicyPack } from '@cto/domain';
import {
  accommodated,
  bornOn,
  heldBy,
  icpcHeld,
  meetingScheduled,
  occurredAtOn,
  ploStarted,
} from './case-event-builders';
import { paragraphsNamedByTest, proposed, rescheduled, ruleOutcome, scenario, ScenarioFailure } from './scenario';

// A two-rule pack written for these tests, so the helper is checked without the real packs.
const pack: PolicyPack = {
  id: 'helper-test',
  version: '1.0.0',
  title: 'Helper test pack',
  source: '000_helper.txt',
  authorities: ['demo'],
  teams: [
    { code: 'A&I', name: 'Assessment and Intervention', managerRole: 'A&I team manager' },
    { code: 'FSP', name: 'Family Safeguarding and Permanence', managerRole: 'FSP team manager' },
    { code: 'C-SPOC', name: 'Front door', managerRole: 'C-SPOC team manager' },
  ],
  frontDoor: { team: 'C-SPOC' },
  meetingKinds: [{ kind: 'initial-core-group', name: 'Initial core group' }],
  nonWorkingDays: [],
  notEncoded: [],
  ...NO_PROCEDURES,
  rules: [
    {
      id: 'cp-plan-to-fsp',
      version: 1,
      title: 'CP plan: A&I to FSP',
      citation: '000_helper.txt ¶12',
      from: ['A&I'],
      to: 'FSP',
      when: { events: ['ICPCHeld'], conditions: [{ fact: 'event.outcome', is: 'cp-plan' }] },
      unless: [],
      priority: 0,
      handover: { description: 'the initial core group', meeting: 'initial-core-group', within: '10 working days', after: 'trigger' },
    },
    {
      id: 'plo-to-fsp',
      version: 1,
      title: 'PLO: A&I to FSP',
      citation: '000_helper.txt ¶13',
      from: ['A&I'],
      to: 'FSP',
      when: { events: ['PLOStarted'], conditions: [] },
      unless: [],
      priority: 0,
      handover: { description: 'within 5 working days', within: '5 working days', after: 'trigger' },
    },
  ],
};

const spec = scenario(compilePack(pack));
const { given } = spec;

const failureOf = (assertion: () => void): string => {
  try {
    assertion();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFailure);
    return (e as Error).message;
  }
  throw new Error('expected the scenario assertion to fail');
};

describe('case event builders', () => {
  it('date facts at 10:00 London time, with the offset London keeps that day', () => {
    expect(occurredAtOn('2026-03-28')).toBe('2026-03-28T10:00:00Z');
    expect(occurredAtOn('2026-03-29')).toBe('2026-03-29T10:00:00+01:00');
    expect(occurredAtOn('2026-10-24')).toBe('2026-10-24T10:00:00+01:00');
    expect(occurredAtOn('2026-10-25')).toBe('2026-10-25T10:00:00Z');
    for (const on of ['2026-01-01', '2026-03-29', '2026-06-30', '2026-10-25', '2026-12-31']) expect(localDateOf(occurredAtOn(on))).toBe(on);
  });

  it('give every fact its own event id and the scenario child', () => {
    const [a, b] = [icpcHeld(), icpcHeld()];
    expect(a.eventId).not.toBe(b.eventId);
    expect(a).toMatchObject({ authority: 'demo', childId: 'C-1', type: 'ICPCHeld', data: { outcome: 'cp-plan' } });
    expect(heldBy('A&I')).toMatchObject({ type: 'WorkerAllocated', occurredAt: '2026-01-05T10:00:00Z', data: { team: 'A&I' } });
    expect(bornOn('2010-10-01').data).toEqual({ dateOfBirth: '2010-10-01' });
    expect(accommodated({ planToIssueProceedings: true }).data).toEqual({ legalBasis: 's20', planToIssueProceedings: true });
  });
});

describe('000 ¶12 — the scenario helper', () => {
  it('checks a proposal, and the citation against the paragraph the test names', () =>
    given(heldBy('A&I')).when(icpcHeld({ on: '2026-05-01' })).then(proposed({ to: 'FSP', from: 'A&I', dueBy: '2026-05-18', basis: 'timescale', fallbackReason: 'undated' })));

  it('folds the decisions of given facts, so an open transfer is in state', () => {
    const when = given(heldBy('A&I'), icpcHeld({ on: '2026-05-01' }));
    expect(when.state.transfers).toMatchObject([{ toTeam: 'FSP', status: 'proposed', dueBy: '2026-05-18' }]);
    when.when(icpcHeld({ on: '2026-05-04' })).thenNothingHappened(ruleOutcome('cp-plan-to-fsp', 'already-on-transfer'));
  });

  it('checks a rescheduling', () =>
    given(heldBy('A&I'), icpcHeld({ on: '2026-05-01' }))
      .when(meetingScheduled({ kind: 'initial-core-group', on: '2026-05-08' }))
      .then(rescheduled({ previousDueBy: '2026-05-18', dueBy: '2026-05-08', basis: 'meeting', meeting: 'initial-core-group', fallbackReason: null })));

  it('tells no transfer from nothing at all: a rescheduling is not a transfer', () => {
    const when = given(heldBy('A&I'), icpcHeld({ on: '2026-05-01' })).when(meetingScheduled({ kind: 'initial-core-group', on: '2026-05-08' }));
    when.thenNoTransfer();
    expect(failureOf(() => when.thenNothingHappened())).toContain('expected no decision, but the engine decided TransferRescheduled');
    expect(failureOf(() => given(heldBy('A&I')).when(icpcHeld()).thenNoTransfer())).toContain('expected no transfer, but the engine decided TransferProposed');
  });

  it('explains a failed expectation with the engine’s account of each rule', () => {
    const message = failureOf(() => given(heldBy('FSP')).when(icpcHeld({ on: '2026-05-01' })).then(proposed({ to: 'FSP', dueBy: '2026-05-18' })));
    expect(message).toContain('expected TransferProposed to FSP due "2026-05-18", but the engine decided nothing');
    expect(message).toContain('cp-plan-to-fsp (000_helper.txt ¶12): not-held-by-from-team');
    expect(message).toContain('held by FSP, rule applies to A&I');
  });

  it('explains an unexpected decision, with how its handover point was dated', () => {
    const message = failureOf(() => given(heldBy('A&I')).when(icpcHeld({ on: '2026-05-01' })).thenNothingHappened());
    expect(message).toContain('expected no decision, but the engine decided TransferProposed A&I → FSP due "2026-05-18"');
    expect(message).toContain('event.outcome is cp-plan (was cp-plan)');
    expect(message).toContain('10 working days after the trigger (2026-05-01) gives 2026-05-18');
  });

  it('names each field that differs', () => {
    const message = failureOf(() =>
      given(heldBy('A&I')).when(icpcHeld({ on: '2026-05-01' })).then(proposed({ to: 'CLA', dueBy: '2026-05-15', basis: 'meeting' })),
    );
    expect(message).toContain('toTeam: expected "CLA", was "FSP"');
    expect(message).toContain('dueBy: expected "2026-05-15", was "2026-05-18"');
    expect(message).toContain('handoverPoint.basis: expected "meeting", was "timescale"');
  });

  it('checks a rule outcome, and says when the fact does not trigger the rule at all', () => {
    given(heldBy('A&I')).when(icpcHeld({ outcome: 'cin-plan' })).thenRule('cp-plan-to-fsp', 'conditions-not-met');
    expect(failureOf(() => given(heldBy('A&I')).when(icpcHeld({ outcome: 'cin-plan' })).thenRule('cp-plan-to-fsp', 'exception'))).toContain(
      'expected rule cp-plan-to-fsp to be exception, but it was conditions-not-met',
    );
    expect(failureOf(() => given(heldBy('A&I')).when(icpcHeld()).thenRule('plo-to-fsp', 'proposed'))).toContain('ICPCHeld does not trigger it');
  });

  it('refuses a proposal that cites another paragraph than the test names', () => {
    const message = failureOf(() => given(heldBy('A&I')).when(ploStarted({ on: '2026-05-01' })).then(proposed({ to: 'FSP', dueBy: '2026-05-11' })));
    expect(message).toContain('citation: expected it to name ¶12, was "000_helper.txt ¶13"');
    given(heldBy('A&I')).when(ploStarted({ on: '2026-05-01' })).then(proposed({ to: 'FSP', dueBy: '2026-05-11', citing: '¶13' }));
  });

  it('records the rules whose proposals a passing scenario confirmed', () => expect([...spec.firedRuleIds]).toEqual(expect.arrayContaining(['cp-plan-to-fsp', 'plo-to-fsp'])));
});

describe('paragraphsNamedByTest', () => {
  it('reads the seed and paragraphs at the start of a test name', () => {
    expect(paragraphsNamedByTest('000 ¶17, ¶22 — after a final care order … is due')).toEqual(['000_', '¶17', '¶22']);
    expect(paragraphsNamedByTest('000 Case Transfer Flowchart — directly to CLA')).toEqual(['000_', 'Case Transfer Flowchart']);
    expect(paragraphsNamedByTest('some other test')).toEqual([]);
  });
});

describe('004 BIT 1 — citations of seeds whose hash starts with a digit', () => {
  it('names the seed by its prefix', () => {
    expect(paragraphsNamedByTest()).toEqual(['004_', 'BIT 1']);
  });
});

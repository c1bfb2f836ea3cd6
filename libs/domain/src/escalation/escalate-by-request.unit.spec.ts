/**
 * Rungs no timer reaches, and a person escalating by hand (003 §4: the Service Manager "where
 * necessary, escalate[s] their concerns to the relevant Assistant Director for a resolution").
 * A ladder of three: team manager (1 working day), service manager (no timescale), assistant
 * director reached only by request; a dispute enters at the service manager.
 */
import {
  compilePack,
  decideTransferCommand,
  escalateByRequest,
  evolve,
  initialChildState,
  supervise,
  validatePack,
  type CaseEvent,
  type ChildStreamEvent,
  type Decision,
  type EscalationRung,
  type PolicyPack,
} from '../index';
import { smallPack } from '../test-support/small-pack';

const ladder = (rungs: EscalationRung[]): PolicyPack['escalation'] => ({ citation: 'seed.txt §4', ladder: rungs, entry: { disputed: 2 }, namedWorker: { within: '0 days', citation: 'seed.txt §2' } });
const UNTIMED = ladder([{ role: 'Team Manager', within: '1 working day' }, { role: 'Service Manager' }, { role: 'Assistant Director', reachedBy: 'request' }]);
/** The ladder as every pack wrote it before: the top rung reached when the rung below's `within` passes. */
const TIMED = ladder([{ role: 'Team Manager', within: '1 working day' }, { role: 'Service Manager', within: '1 working day' }, { role: 'Assistant Director' }]);

/** The small pack's ICPC rule (A → B), an empty checklist, no deadlines or milestones: only the ladder varies. */
const pack = (escalation: PolicyPack['escalation']): PolicyPack =>
  smallPack({
    id: 'untimed-test',
    title: 'untimed rungs',
    teams: ['A', 'B'].map((code) => ({ code, name: code, managerRole: code })),
    rules: smallPack().rules.filter((r) => r.id === 'cp-to-b'),
    checklists: { gating: 'non-blocking-escalate', citation: 'seed.txt ¶2', templates: [] },
    escalation,
    deadlines: [],
    ageMilestones: [],
  });

let seq = 0;
const fact = (type: CaseEvent['type'], on: string, data: object): ChildStreamEvent => ({
  kind: 'fact',
  fact: { eventId: `f${++seq}`, type, authority: 'demo', childId: 'C', occurredAt: `${on}T10:00:00Z`, source: 't', data } as CaseEvent,
});
const decided = (d: Decision, on: string, causationId = 'x'): ChildStreamEvent => ({ kind: 'decision', eventId: `d${++seq}`, decidedAt: `${on}T10:00:01Z`, causationId, decision: d });
const fold = (stream: ChildStreamEvent[]) => stream.reduce(evolve, initialChildState('demo', 'C'));
const id = { authority: 'demo', childId: 'C' };

/** A → B proposed on Friday 1 May 2026 (due by the end of the year, so nothing else falls overdue here), disputed on Thursday 7 May, and supervised that day. */
function disputed(p: PolicyPack): { stream: ChildStreamEvent[]; run: (today: string) => Decision[]; escalationId: string } {
  const compiled = compilePack(p);
  const stream = [fact('ReferralReceived', '2026-04-01', {}), fact('WorkerAllocated', '2026-04-01', { team: 'A', workerId: 'W' }), fact('ICPCHeld', '2026-05-01', { outcome: 'cp-plan' })];
  stream.push(
    decided(
      {
        type: 'TransferProposed',
        data: {
          ...{ ruleId: 'cp-to-b', ruleVersion: 1, packId: p.id, packVersion: p.version, citation: 'seed.txt ¶12' },
          transferId: 'tr-1',
          fromTeam: 'A',
          toTeam: 'B',
          trigger: { eventId: 'f', type: 'ICPCHeld', occurredOn: '2026-05-01' },
          handoverPoint: { description: 'd', basis: 'timescale', steps: [] },
          dueBy: '2026-12-31',
          explanation: [],
        },
      },
      '2026-05-01',
    ),
  );
  const dispute = decideTransferCommand(fold(stream), { action: 'dispute', transferId: 'tr-1', reason: 'not yet', on: '2026-05-07' });
  if (!dispute.ok) throw new Error(dispute.message);
  dispute.decisions.forEach((d) => stream.push(decided(d, '2026-05-07')));
  const run = (today: string) => {
    const { decisions } = supervise(stream, compiled, today, id);
    decisions.forEach((d) => stream.push(decided(d, today, 'supervision')));
    return decisions;
  };
  const [raised] = run('2026-05-07');
  if (raised?.type !== 'EscalationRaised') throw new Error('the dispute was not escalated');
  return { stream, run, escalationId: (raised.data as { escalationId: string }).escalationId };
}

describe('a rung with no timescale (reachedBy: request)', () => {
  it('is never reached by time: the dispute stays with the Service Manager however long it waits', () => {
    const { stream, run } = disputed(pack(UNTIMED));
    expect(fold(stream).escalations).toEqual([expect.objectContaining({ rung: 2, role: 'Service Manager', dueBy: null })]);
    expect(run('2026-05-11')).toEqual([]);
    expect(run('2026-09-30')).toEqual([]);
    expect(supervise(stream, compilePack(pack(UNTIMED)), '2026-09-30', id).nextWake).toBe('2027-01-01'); // the transfer's own overdue day, nothing of the ladder
  });

  it('may be where a reason enters: a dispute sent straight to it is raised there, and stays (002: capacity issues "are then addressed to the Senior Leadership team")', () => {
    const { stream, run } = disputed(pack({ ...UNTIMED, entry: { disputed: 3 } }));
    expect(fold(stream).escalations).toEqual([expect.objectContaining({ rung: 3, role: 'Assistant Director', dueBy: null })]);
    expect(run('2026-09-30')).toEqual([]);
  });

  it('does not stop a timed ladder: the top rung is reached when the rung below’s `within` passes, as before', () => {
    const { run } = disputed(pack(TIMED));
    expect(run('2026-05-11')).toEqual([expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ rung: 3, role: 'Assistant Director', dueBy: null }) })]);
  });

  it('is refused by validate below a rung with `within` and at rung 1, and may be an entry rung', () => {
    const problems = (e: PolicyPack['escalation']) => validatePack(pack(e)).filter((p) => p.severity === 'error').map((p) => `${p.path}: ${p.message}`);
    expect(problems(UNTIMED)).toEqual([]);
    expect(problems(ladder([{ role: 'Team Manager', within: '1 working day' }, { role: 'Service Manager', within: '5 working days' }, { role: 'Assistant Director', reachedBy: 'request' }]))).toEqual([
      "/escalation/ladder/1/within: rung 3 (Assistant Director) is reached only by request: rung 2's `within` would pass with nothing happening; leave it out",
    ]);
    expect(problems(ladder([{ role: 'Team Manager', reachedBy: 'request' }, { role: 'Service Manager' }]))).toEqual([
      '/escalation/ladder/0/reachedBy: rung 1 (Team Manager) is where matters are raised: it cannot be reached only by request',
      '/escalation/ladder/0: rung 1 (Team Manager) needs `within`: without it nothing ever reaches rung 2 (or mark rung 2 `reachedBy: request`)',
    ]);
    expect(problems({ ...UNTIMED, entry: { disputed: 3 } })).toEqual([]);
    expect(problems(ladder([{ role: 'Team Manager' }, { role: 'Service Manager' }]))).toEqual([
      '/escalation/ladder/0: rung 1 (Team Manager) needs `within`: without it nothing ever reaches rung 2 (or mark rung 2 `reachedBy: request`)',
    ]);
  });
});

describe('escalating by hand (escalateByRequest)', () => {
  const by = { by: 'service-manager-north', reason: 'the service managers cannot agree', on: '2026-05-12' };

  it('climbs one rung, saying who escalated it and why, and supervision keeps it there', () => {
    const { stream, run, escalationId } = disputed(pack(UNTIMED));
    const outcome = escalateByRequest(fold(stream), compilePack(pack(UNTIMED)), { escalationId, ...by });
    expect(outcome).toEqual({
      ok: true,
      rung: 3,
      role: 'Assistant Director',
      decisions: [
        {
          type: 'EscalationRaised',
          data: expect.objectContaining({ escalationId, transferId: 'tr-1', reason: 'disputed', rung: 3, role: 'Assistant Director', dueBy: null, escalatedBy: 'service-manager-north', escalatedBecause: 'the service managers cannot agree', citation: 'seed.txt §4' }),
        },
      ],
    });
    if (outcome.ok) outcome.decisions.forEach((d) => stream.push(decided(d, '2026-05-12', 'cmd')));
    // Neither dropped back to the Service Manager nor raised again.
    expect(run('2026-05-12')).toEqual([]);
    expect(run('2026-06-30')).toEqual([]);
    expect(fold(stream).escalations).toEqual([expect.objectContaining({ escalationId, rung: 3, resolved: false })]);
  });

  it('starts the new rung’s clock on the day it is escalated, when the rung has one', () => {
    const { stream, run, escalationId } = disputed(pack({ ...TIMED, entry: {} }));
    // Entered at the Team Manager (due Friday 8 May); escalated to the Service Manager on Thursday.
    const outcome = escalateByRequest(fold(stream), compilePack(pack(TIMED)), { escalationId, ...by, on: '2026-05-07' });
    expect(outcome).toMatchObject({ ok: true, rung: 2, decisions: [{ data: { role: 'Service Manager', dueBy: '2026-05-08' } }] });
    if (outcome.ok) outcome.decisions.forEach((d) => stream.push(decided(d, '2026-05-07', 'cmd')));
    expect(run('2026-05-08')).toEqual([]);
    expect(run('2026-05-11')).toEqual([expect.objectContaining({ data: expect.objectContaining({ rung: 3 }) })]);
  });

  it('refuses at the top rung, naming where it stands', () => {
    const { stream, escalationId } = disputed(pack(UNTIMED));
    const compiled = compilePack(pack(UNTIMED));
    const first = escalateByRequest(fold(stream), compiled, { escalationId, ...by });
    if (first.ok) first.decisions.forEach((d) => stream.push(decided(d, '2026-05-12', 'cmd')));
    expect(escalateByRequest(fold(stream), compiled, { escalationId, ...by })).toEqual({
      ok: false,
      problem: 'escalation-at-top-rung',
      message: `escalation ${escalationId} is at the top of the ladder (rung 3, Assistant Director)`,
      rung: 3,
      role: 'Assistant Director',
      status: 'open',
    });
  });

  it('refuses a resolved escalation, and one the child does not have', () => {
    const { stream, run, escalationId } = disputed(pack(UNTIMED));
    const accepted = decideTransferCommand(fold(stream), { action: 'accept', transferId: 'tr-1', on: '2026-05-08' });
    if (accepted.ok) accepted.decisions.forEach((d) => stream.push(decided(d, '2026-05-08')));
    expect(run('2026-05-08')).toEqual([expect.objectContaining({ type: 'EscalationResolved' })]);
    const compiled = compilePack(pack(UNTIMED));
    expect(escalateByRequest(fold(stream), compiled, { escalationId, ...by })).toMatchObject({ ok: false, problem: 'escalation-resolved', rung: 2, role: 'Service Manager', status: 'resolved' });
    expect(escalateByRequest(fold(stream), compiled, { escalationId: 'esc-nope', ...by })).toMatchObject({ ok: false, problem: 'escalation-not-found' });
  });
});

describe('EscalationRequested: the case-management system escalates by hand, judged by supervision', () => {
  it('climbs once, naming the request, and never again for the same request', () => {
    const { stream, run, escalationId } = disputed(pack(UNTIMED));
    const request = fact('EscalationRequested', '2026-05-12', { escalationId, reason: 'for the Assistant Director to resolve', by: 'SM-north' });
    stream.push(request);
    expect(run('2026-05-12')).toEqual([
      expect.objectContaining({
        type: 'EscalationRaised',
        data: expect.objectContaining({ rung: 3, role: 'Assistant Director', escalatedBy: 'SM-north', escalatedBecause: 'for the Assistant Director to resolve', requestEventId: request.kind === 'fact' ? request.fact.eventId : '' }),
      }),
    ]);
    expect(run('2026-05-12')).toEqual([]);
    expect(run('2026-05-20')).toEqual([]);
  });

  it('records nothing for a request at the top rung or for a resolved escalation', () => {
    const { stream, run, escalationId } = disputed(pack(UNTIMED));
    stream.push(fact('EscalationRequested', '2026-05-12', { escalationId, reason: 'up' }));
    expect(run('2026-05-12')).toHaveLength(1);
    stream.push(fact('EscalationRequested', '2026-05-13', { escalationId, reason: 'further up' }));
    expect(run('2026-05-13')).toEqual([]);
    const accepted = decideTransferCommand(fold(stream), { action: 'accept', transferId: 'tr-1', on: '2026-05-14' });
    if (accepted.ok) accepted.decisions.forEach((d) => stream.push(decided(d, '2026-05-14')));
    stream.push(fact('EscalationRequested', '2026-05-14', { escalationId, reason: 'again' }));
    expect(run('2026-05-14')).toEqual([expect.objectContaining({ type: 'EscalationResolved' })]);
  });

  it('is by the case-management system when it names nobody', () => {
    const { stream, run, escalationId } = disputed(pack(UNTIMED));
    stream.push(fact('EscalationRequested', '2026-05-12', { escalationId, reason: 'up' }));
    expect(run('2026-05-12')).toEqual([expect.objectContaining({ data: expect.objectContaining({ escalatedBy: 'case-management system' }) })]);
  });
});

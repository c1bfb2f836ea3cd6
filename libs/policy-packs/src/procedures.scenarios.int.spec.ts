/**
 * Given/when/then for every pack's procedures, generated from the packs themselves so a template or
 * a rung added later is covered without a new test: each checklist template opens for a transfer
 * on its route (and not for one off it), each pack's gating mode does what it says, and a dispute
 * climbs every rung of the ladder with that rung's working-day deadline.
 */
import {
  compilePack,
  decideTransferCommand,
  evolve,
  initialChildState,
  meetChecklistItem,
  openChecklist,
  supervise,
  type ChildState,
  type ChildStreamEvent,
  type ChecklistTemplate,
  type CompiledPack,
  type Decision,
  type DecisionDataByType,
  type PolicyPack,
} from '@cto/domain';
import { loadPolicyPacks } from './load-policy-pack';

const packs = loadPolicyPacks();
const PROPOSED_ON = '2026-05-01';

/** A transfer on a route the template applies to: its first listed rule, or its teams, or any two teams. */
function routeFor(pack: PolicyPack, template: ChecklistTemplate): { fromTeam: string; toTeam: string; ruleId: string } {
  const rule = template.appliesTo.rules ? pack.rules.find((r) => r.id === template.appliesTo.rules![0])! : undefined;
  const fromTeam = template.appliesTo.from?.[0] ?? rule?.from[0] ?? pack.teams[0].code;
  const toTeam = template.appliesTo.to?.[0] ?? (typeof rule?.to === 'string' ? rule.to : undefined) ?? pack.teams.find((t) => t.code !== fromTeam)!.code;
  return { fromTeam, toTeam, ruleId: rule?.id ?? pack.rules[0].id };
}

function proposal(pack: PolicyPack, route: { fromTeam: string; toTeam: string; ruleId: string }): Decision<'TransferProposed'> {
  return {
    type: 'TransferProposed',
    data: {
      ruleId: route.ruleId,
      ruleVersion: 1,
      packId: pack.id,
      packVersion: pack.version,
      citation: pack.rules.find((r) => r.id === route.ruleId)!.citation,
      transferId: 'tr-scenario',
      fromTeam: route.fromTeam,
      toTeam: route.toTeam,
      trigger: { eventId: 'fact-1', type: 'ICPCHeld', occurredOn: PROPOSED_ON },
      handoverPoint: { description: 'scenario', basis: 'timescale', steps: [] },
      dueBy: '2026-05-29',
      explanation: [],
    } satisfies DecisionDataByType['TransferProposed'],
  };
}

const decided = (decision: Decision, on: string): ChildStreamEvent => ({ kind: 'decision', eventId: `d-${decision.type}-${on}`, decidedAt: `${on}T10:00:00Z`, causationId: 'fact-1', decision });

/** Given a child held by the sending team with a worker, when the transfer is proposed (and its checklist opened). */
function givenProposed(compiled: CompiledPack, route: { fromTeam: string; toTeam: string; ruleId: string }): ChildStreamEvent[] {
  const stream: ChildStreamEvent[] = [
    { kind: 'fact', fact: { eventId: 'fact-0', type: 'WorkerAllocated', authority: compiled.pack.authorities[0], childId: 'C', occurredAt: '2026-04-01T09:00:00Z', source: 't', data: { team: route.fromTeam, workerId: 'W' } } },
    decided(proposal(compiled.pack, route), PROPOSED_ON),
  ];
  const state = fold(stream, compiled);
  return [...stream, ...openChecklist(state, 'tr-scenario', compiled).map((d) => decided(d, PROPOSED_ON))];
}

const fold = (stream: ChildStreamEvent[], compiled: CompiledPack): ChildState => stream.reduce(evolve, initialChildState(compiled.pack.authorities[0], 'C'));

describe.each(packs.map((p) => [p.id, p] as const))('%s: procedures', (_id, pack) => {
  const compiled = compilePack(pack);

  describe.each(pack.checklists.templates.map((t) => [t.id, t] as const))('checklist template %s', (_templateId, template) => {
    it(`opens with every item of the template for a transfer on its route, a conditional one only where its conditions held (${template.citation})`, () => {
      const state = fold(givenProposed(compiled, routeFor(pack, template)), compiled);
      const [checklist] = state.checklists;
      expect(checklist.gating).toBe(pack.checklists.gating);
      // The scenario's proposal has no fact behind it, so no `when` can be shown to hold.
      const opened = checklist.items.map((i) => i.itemId);
      expect(opened).toEqual(expect.arrayContaining(template.items.filter((i) => !i.when).map((i) => i.id)));
      for (const item of template.items.filter((i) => i.when)) expect(opened).not.toContain(item.id);
      for (const item of template.items.filter((i) => i.due?.after === 'proposal' && !i.when)) {
        const due = checklist.items.find((i) => i.itemId === item.id)!.dueBy;
        expect({ item: item.id, due }).toEqual({ item: item.id, due: compiled.calendar.add(PROPOSED_ON, compiled.durations.parse(item.due!.within), 'after') });
      }
    });

    const { to } = template.appliesTo;
    const elsewhere = to && pack.teams.find((t) => !to.includes(t.code) && t.code !== routeFor(pack, template).fromTeam);
    if (elsewhere) {
      it(`is not opened for a transfer to a team it does not list (${elsewhere.code})`, () => {
        const route = { ...routeFor(pack, template), toTeam: elsewhere.code };
        const state = fold(givenProposed(compiled, route), compiled);
        const opened = state.checklists[0]?.items.map((i) => i.itemId) ?? [];
        const ownItems = template.items.map((i) => i.id).filter((id) => !pack.checklists.templates.some((t) => t !== template && t.items.some((i) => i.id === id)));
        expect(opened.filter((id) => ownItems.includes(id))).toEqual([]);
      });
    }
  });

  it(`applies its gating mode (${pack.checklists.gating}) to accepting a transfer whose checklist is open`, () => {
    const template = pack.checklists.templates.find((t) => !t.appliesTo.rules) ?? pack.checklists.templates[0];
    const route = routeFor(pack, template);
    const stream = givenProposed(compiled, route);
    const accept = () => decideTransferCommand(fold(stream, compiled), { action: 'accept', transferId: 'tr-scenario', on: '2026-05-05' });
    if (pack.checklists.gating === 'non-blocking-escalate') {
      expect(accept()).toMatchObject({ ok: true });
      return;
    }
    expect(accept()).toMatchObject({ ok: false, problem: 'checklist-not-signed-off' });
    for (const item of fold(stream, compiled).checklists[0].items) {
      const met = meetChecklistItem(fold(stream, compiled), 'tr-scenario', item.itemId, compiled);
      if (met.ok) met.decisions.forEach((d) => stream.push(decided(d, '2026-05-05')));
    }
    expect(accept()).toMatchObject({ ok: true });
  });

  if (pack.checklists.gating === 'non-blocking-escalate' && pack.escalation.ladder.length) {
    it(`escalates a transfer's checklist items unmet past their due dates as one escalation naming them, and each item it marks escalatesAlone on its own (${pack.checklists.citation})`, () => {
      const template = pack.checklists.templates.find((t) => !t.appliesTo.rules) ?? pack.checklists.templates[0];
      const stream = givenProposed(compiled, routeFor(pack, template));
      const items = fold(stream, compiled).checklists[0].items;
      const latest = items.map((i) => i.dueBy!).sort().at(-1)!;
      const today = compiled.calendar.add(latest, compiled.durations.parse('1 day'), 'after');
      const raised = supervise(stream, compiled, today, { authority: pack.authorities[0], childId: 'C' })
        .decisions.filter((d) => d.type === 'EscalationRaised' && (d.data as DecisionDataByType['EscalationRaised']).reason === 'checklist-incomplete')
        .map((d) => d.data as DecisionDataByType['EscalationRaised']);
      const alone = new Set(pack.checklists.templates.flatMap((t) => t.items.filter((i) => i.escalatesAlone).map((i) => i.id)));
      const grouped = items.filter((i) => !alone.has(i.itemId)).map((i) => i.itemId);
      expect(raised.filter((e) => e.itemIds)).toEqual(grouped.length ? [expect.objectContaining({ itemIds: grouped })] : []);
      expect(raised.filter((e) => e.itemId).map((e) => e.itemId)).toEqual(items.filter((i) => alone.has(i.itemId)).map((i) => i.itemId));
    });
  }

  it(`climbs every rung time reaches when a dispute goes unanswered, each with its own deadline, and none reached only by request (${pack.escalation.citation})`, () => {
    const route = routeFor(pack, pack.checklists.templates[0]);
    const stream = givenProposed(compiled, route);
    const dispute = decideTransferCommand(fold(stream, compiled), { action: 'dispute', transferId: 'tr-scenario', reason: 'not agreed', on: '2026-05-05' });
    if (!dispute.ok) throw new Error(dispute.message);
    dispute.decisions.forEach((d) => stream.push(decided(d, '2026-05-05')));

    const { ladder, entry } = pack.escalation;
    let today = '2026-05-05';
    const reached: { rung: number; role: string; dueBy: string | null }[] = [];
    for (let day = 0; day < 60 && reached.at(-1)?.rung !== ladder.length; day++) {
      const { decisions } = supervise(stream, compiled, today, { authority: pack.authorities[0], childId: 'C' });
      for (const d of decisions) {
        stream.push(decided(d, today));
        if (d.type !== 'EscalationRaised') continue;
        const data = d.data as DecisionDataByType['EscalationRaised'];
        // Checklist items and deadlines falling due meanwhile escalate too; this follows the dispute.
        if (data.reason !== 'disputed') continue;
        // Each rung's deadline counts its `within` from the day it is told (a working day only if it is one).
        const within = ladder[data.rung - 1].within;
        const raisedOn = reached.length ? compiled.calendar.add(reached.at(-1)!.dueBy!, compiled.durations.parse('1 day'), 'after') : today;
        expect(data.dueBy).toBe(within ? compiled.calendar.add(raisedOn, compiled.durations.parse(within), 'after') : null);
        reached.push({ rung: data.rung, role: data.role, dueBy: data.dueBy });
      }
      today = compiled.calendar.add(today, compiled.durations.parse('1 day'), 'after');
    }
    const first = entry.disputed ?? 1;
    // A rung `reachedBy: request` (kent's Assistant Director, 003 §4) is never reached by time: the ladder stops below it.
    const byRequest = ladder.findIndex((r, i) => i >= first && r.reachedBy === 'request');
    const last = byRequest === -1 ? ladder.length : byRequest;
    expect(reached.map((r) => r.rung)).toEqual(ladder.map((_, i) => i + 1).filter((rung) => rung >= first && rung <= last));
    expect(reached.map((r) => r.role)).toEqual(ladder.slice(first - 1, last).map((r) => r.role));
  });
});

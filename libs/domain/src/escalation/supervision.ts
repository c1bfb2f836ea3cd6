/**
 * Supervision: on a given day, what must be escalated, what has been put right, which child needs
 * a named worker, and which age milestone is due — everything that happens because time passed or
 * because someone did not act (DESIGN.md "escalation"). It is a reconciliation, not a reaction:
 * given the child's stream and today's date it returns only what is not yet recorded, so running it
 * twice (a timer that fires again after a crash, a fact redelivered) records nothing twice.
 *
 * The ladder is the pack's (`escalation`): a matter is raised at the rung its reason enters at,
 * and climbs one rung each time the rung's `within` passes with the matter unresolved — never onto
 * a rung `reachedBy: request`, which only a person on the rung below reaches (escalateByRequest:
 * over HTTP, or an EscalationRequested case event judged here).
 */
import { compareLocalDates, dateOfAge, localDateOf, type Duration } from '../calendar';
import type { LocalDate } from '../calendar/local-date';
import { initialChildState, OPEN_TRANSFER_STATUSES, type ChildState, type ChildStreamEvent, type ChecklistState, type EscalationState } from '../child/child-state';
import { evolve } from '../child/evolve';
import { inCausalOrder } from '../child/causal-order';
import type { CaseEvent } from '../events/case-events';
import type { Decision } from '../events/decision-events';
import { allHold, evaluateConditions } from '../policy/conditions';
import { teamHolding, type CompiledPack } from '../policy/engine';
import { stableId } from '../policy/stable-id';
import type { Deadline, EscalationReason } from '../policy/policy-pack';
import { escalateByRequest } from './escalate-by-request';
import { alsoToldAt, climbsByTime, escalationReference, rungDueBy } from './ladder';

/** Something that is wrong today and must be on the ladder until it is put right. */
interface Matter {
  /** Stable for the matter: the escalation id derives from it. */
  key: string;
  reason: EscalationReason;
  about: string;
  transferId?: string;
  itemId?: string;
  /** A transfer's unmet checklist items escalated together (checklistMatters). */
  itemIds?: string[];
  deadlineId?: string;
  coWorkId?: string;
  /**
   * Where a matter first raised now stands on the ladder already: the rung and due date of the
   * escalations it takes over (an item escalated alone before items were grouped), so that
   * grouping never sends a matter back down the ladder or restarts its clock.
   */
  carriedOver?: { rung: number; dueBy: LocalDate | null };
}

export interface Supervision {
  state: ChildState;
  decisions: Decision[];
  /** The next day supervision has something to do for this child, if any (a durable timer is set for it). */
  nextWake: LocalDate | undefined;
}

/** The day after a due date: the first day it is overdue. */
const dayAfter = (d: LocalDate, compiled: CompiledPack): LocalDate => compiled.calendar.add(d, ONE_DAY, 'after');
const ONE_DAY: Duration = { years: 0, months: 0, weeks: 0, days: 1, workingDays: 0 };
const isPast = (due: LocalDate | null | undefined, today: LocalDate): due is LocalDate => !!due && compareLocalDates(today, due) > 0;

export function supervise(stream: readonly ChildStreamEvent[], compiled: CompiledPack, today: LocalDate, identity: { authority: string; childId: string }): Supervision {
  const causal = inCausalOrder(stream);
  let state = causal.reduce(evolve, initialChildState(identity.authority, identity.childId));
  const decisions: Decision[] = [];
  const record = (d: Decision) => {
    decisions.push(d);
    state = evolve(state, { kind: 'decision', eventId: `pending-${decisions.length}`, decidedAt: `${today}T12:00:00Z`, causationId: 'supervision', decision: d });
  };

  for (const d of namedWorkerDecisions(state, compiled, today)) record(d);
  for (const d of milestoneDecisions(state, compiled, today)) record(d);
  for (const d of milestoneWarnings(state, toldOn(causal), compiled, today)) record(d);

  const deadlines = deadlineInstances(causal, compiled, identity);
  // Before the matters: a transfer that lapses today is no longer overdue, nor its checklist.
  for (const d of lapses(state, deadlines, compiled, today)) record(d);
  const matters = mattersOn(state, deadlines, compiled, today);
  const { pack } = compiled;
  if (pack.escalation.ladder.length) {
    // Put right: an open escalation whose matter is no longer a matter.
    for (const e of state.escalations.filter((x) => !x.resolved)) {
      if (!matters.some((m) => escalationIdFor(m, state) === e.escalationId)) {
        record({ type: 'EscalationResolved', data: { ...escalationReference(pack, e.reason, e.rung), escalationId: e.escalationId, resolution: resolutionOf(e, state) } });
      }
    }
    // A person asked, in the case-management system, for an escalation to go up a rung: honoured
    // once (the raise names the request), before time climbs anything, judged as the escalation
    // stands; a request for a resolved escalation or one at the top records nothing.
    for (const request of escalationRequests(causal)) {
      if (state.escalations.some((e) => e.requestsHonoured?.includes(request.eventId))) continue;
      const outcome = escalateByRequest(state, compiled, {
        escalationId: request.data.escalationId,
        by: request.data.by ?? 'case-management system',
        reason: request.data.reason,
        on: localDateOf(request.occurredAt),
        requestEventId: request.eventId,
      });
      if (outcome.ok) for (const d of outcome.decisions) record(d);
    }
    for (const matter of matters) {
      const escalationId = escalationIdFor(matter, state);
      let open = state.escalations.find((e) => e.escalationId === escalationId && !e.resolved);
      if (!open) {
        if (matter.carriedOver) {
          record(raise(matter, escalationId, matter.carriedOver.rung, matter.carriedOver.dueBy, state, today, compiled));
          open = state.escalations.find((e) => e.escalationId === escalationId)!;
        } else {
          const rung = Math.min(pack.escalation.entry[matter.reason] ?? 1, pack.escalation.ladder.length);
          record(raise(matter, escalationId, rung, rungDueBy(rung, today, compiled), state, today, compiled));
          continue;
        }
      }
      const before = open;
      // Climb while the current rung's time has run out: a clock that jumped several days climbs
      // several rungs, but never onto a rung only a person reaches.
      while (isPast(open.dueBy, today) && climbsByTime(pack, open.rung)) {
        record(raise(matter, escalationId, open.rung + 1, rungDueBy(open.rung + 1, dayAfter(open.dueBy, compiled), compiled), state, today, compiled));
        open = state.escalations.find((e) => e.escalationId === escalationId)!;
      }
      // The unmet items of a checklist escalated together changed (one met, another fallen due):
      // the same escalation is raised again at the rung it stands on, due when it was, naming the
      // items now unmet — an update, not a new escalation nor a new clock.
      if (open === before && matter.itemIds && !sameItems(open.itemIds, matter.itemIds)) record(raise(matter, escalationId, open.rung, open.dueBy, state, today, compiled));
    }
  }
  return { state, decisions, nextWake: nextWake(state, deadlines, compiled, today) };
}

const sameItems = (a: readonly string[] | undefined, b: readonly string[]): boolean => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

function raise(matter: Matter, escalationId: string, rung: number, dueBy: LocalDate | null, state: ChildState, today: LocalDate, compiled: CompiledPack): Decision<'EscalationRaised'> {
  const { role } = compiled.pack.escalation.ladder[rung - 1];
  const alsoTold = alsoToldAt(rung, matter.reason, state, today, compiled);
  return {
    type: 'EscalationRaised',
    data: {
      ...escalationReference(compiled.pack, matter.reason, rung),
      escalationId,
      ...(matter.transferId ? { transferId: matter.transferId } : {}),
      rung,
      role,
      reason: matter.reason,
      dueBy,
      ...(matter.itemId ? { itemId: matter.itemId } : {}),
      ...(matter.itemIds ? { itemIds: matter.itemIds } : {}),
      ...(matter.deadlineId ? { deadlineId: matter.deadlineId } : {}),
      ...(matter.coWorkId ? { coWorkId: matter.coWorkId } : {}),
      about: matter.about,
      ...(alsoTold.length ? { alsoTold } : {}),
    },
  };
}

/**
 * One escalation per occurrence of a matter: a transfer disputed, settled and disputed again is a
 * second escalation, so the id counts the resolved escalations of the same matter before it.
 */
function escalationIdFor(matter: Matter, state: ChildState): string {
  const base = `esc-${stableId(`${state.authority}|${state.childId}|${matter.key}`)}`;
  const settled = state.escalations.filter((e) => e.resolved && e.escalationId.startsWith(base)).length;
  const open = state.escalations.find((e) => !e.resolved && e.escalationId.startsWith(base));
  if (open) return open.escalationId;
  return settled ? `${base}-${settled + 1}` : base;
}

function resolutionOf(e: EscalationState, state: ChildState): string {
  const transfer = e.transferId ? state.transfers.find((t) => t.transferId === e.transferId) : undefined;
  switch (e.reason) {
    case 'disputed':
    case 'capacity':
      return `the dispute is settled: the transfer is ${transfer?.status ?? 'closed'}`;
    case 'overdue':
    case 'inter-authority-delay':
      if (e.deadlineId) return `deadline ${e.deadlineId} is met`;
      if (e.coWorkId) return state.coWorks.some((c) => c.coWorkId === e.coWorkId) ? 'the co-worker is allocated' : 'the co-work has ended';
      return transfer && OPEN_TRANSFER_STATUSES.includes(transfer.status) ? `the handover point moved to ${transfer.dueBy ?? 'an undated meeting'}` : `the transfer is ${transfer?.status ?? 'closed'}`;
    case 'checklist-incomplete': {
      if (transfer && !OPEN_TRANSFER_STATUSES.includes(transfer.status) && transfer.status !== 'completed') return `the transfer is ${transfer.status}`;
      const items = state.checklists.find((c) => c.transferId === e.transferId)?.items ?? [];
      const unmet = (itemId: string) => items.some((i) => i.itemId === itemId && !i.met);
      // An item escalated alone before a pack grouped them is taken over by its checklist's escalation.
      if (e.itemId) return unmet(e.itemId) ? `item ${e.itemId} is escalated with the other unmet items of its checklist` : `item ${e.itemId} is met`;
      const stillUnmet = (e.itemIds ?? []).filter(unmet);
      return stillUnmet.length ? `${stillUnmet.join(', ')} now escalated on their own` : `every item it named is met (${(e.itemIds ?? []).join(', ')})`;
    }
    case 'no-named-worker':
      return state.workerId ? 'a named worker is allocated' : 'a named worker is no longer required';
    default:
      return 'no longer applies';
  }
}

function mattersOn(state: ChildState, deadlines: DeadlineInstance[], compiled: CompiledPack, today: LocalDate): Matter[] {
  const matters: Matter[] = [];
  for (const t of state.transfers) {
    const route = `${t.fromTeam} → ${t.toTeam}`;
    if (t.status === 'disputed') {
      const reason = t.capacityDispute ? 'capacity' : 'disputed';
      matters.push({ key: `${reason}|${t.transferId}`, reason, transferId: t.transferId, about: `transfer ${route} is disputed${t.capacityDispute ? ' on capacity' : ''}` });
    }
    if (OPEN_TRANSFER_STATUSES.includes(t.status) && isPast(t.dueBy, today)) {
      // The rule's `overdueAs`: a transfer between authorities not done in its timescale is a
      // delay in an authority accepting responsibility (003 §9), which the pack may send straight
      // to a higher rung. The key is the same whatever the reason, so the escalation keeps its id.
      const reason = compiled.rulesById.get(t.ruleId)?.overdueAs ?? 'overdue';
      const between = reason === 'inter-authority-delay' ? ' between authorities' : '';
      matters.push({ key: `overdue|${t.transferId}`, reason, transferId: t.transferId, about: `transfer ${route}${between} was due by ${t.dueBy}` });
    }
  }
  for (const c of state.checklists) matters.push(...checklistMatters(c, state, compiled, today));
  if (state.allocationRequired && !state.workerId && isPast(state.allocationRequired.dueBy, today)) {
    matters.push({ key: `no-named-worker|${state.allocationRequired.since}`, reason: 'no-named-worker', about: `no named worker since ${state.allocationRequired.since} (due by ${state.allocationRequired.dueBy})` });
  }
  // A co-worker another team must allocate (002 row 7, 001 §3 Permanence teams) is as much a
  // timescale as a transfer's handover point.
  for (const c of state.coWorks) {
    if (c.workerId === undefined && isPast(c.dueBy, today)) {
      matters.push({ key: `co-work|${c.coWorkId}`, reason: 'overdue', coWorkId: c.coWorkId, about: `a co-worker from ${c.team} was due by ${c.dueBy}` });
    }
  }
  for (const d of deadlines) {
    // A deadline that lapses what it started escalates nothing (lapses).
    if (d.deadline.whenMissed === 'lapse') continue;
    if (!d.metOn && isPast(d.dueBy, today)) {
      matters.push({ key: `deadline|${d.deadline.id}|${d.startedBy}`, reason: 'overdue', deadlineId: d.deadline.id, about: `${d.deadline.title}: due by ${d.dueBy}` });
    }
  }
  return matters;
}

/**
 * A checklist's items unmet past their due dates are one matter: one escalation for the transfer
 * that names them (issue 16: one per item was noise, 37 open at one rung for two transfers). It
 * keeps its id as items are met or fall due, and is resolved when none is unmet. An item the pack
 * marks `escalatesAlone` is its own matter, keyed as every item was before, so its id is unchanged.
 */
function checklistMatters(c: ChecklistState, state: ChildState, compiled: CompiledPack, today: LocalDate): Matter[] {
  const transfer = state.transfers.find((t) => t.transferId === c.transferId);
  // A checklist matters while its transfer is going ahead or has happened; not once it is called off.
  if (!transfer || transfer.status === 'rejected' || transfer.status === 'withdrawn') return [];
  const route = `${transfer.fromTeam} → ${transfer.toTeam}`;
  const overdue = c.items.filter((item) => !item.met && isPast(item.dueBy, today));
  const alone = new Set(compiled.pack.checklists.templates.flatMap((t) => t.items.filter((i) => i.escalatesAlone).map((i) => i.id)));
  const matters: Matter[] = overdue
    .filter((item) => alone.has(item.itemId))
    .map((item) => ({
      key: `checklist|${c.checklistId}|${item.itemId}`,
      reason: 'checklist-incomplete',
      transferId: c.transferId,
      itemId: item.itemId,
      about: `checklist item ${item.itemId} for transfer ${route} was due by ${item.dueBy}`,
    }));
  const grouped = overdue.filter((item) => !alone.has(item.itemId));
  if (!grouped.length) return matters;
  const itemIds = grouped.map((i) => i.itemId);
  // Escalations of single items recorded before the items were grouped (or before the pack stopped
  // marking them alone) are resolved as taken over; the group starts where the highest of them stands.
  const taken = state.escalations
    .filter((e) => !e.resolved && e.reason === 'checklist-incomplete' && e.transferId === c.transferId && e.itemId !== undefined && itemIds.includes(e.itemId))
    .sort((a, b) => b.rung - a.rung)[0];
  const earliest = grouped.map((i) => i.dueBy!).sort(compareLocalDates)[0];
  matters.push({
    key: `checklist|${c.checklistId}`,
    reason: 'checklist-incomplete',
    transferId: c.transferId,
    itemIds,
    about: `${itemIds.length} checklist item${itemIds.length === 1 ? '' : 's'} for transfer ${route} unmet, due from ${earliest}: ${itemIds.join(', ')}`,
    ...(taken ? { carriedOver: { rung: taken.rung, dueBy: taken.dueBy } } : {}),
  });
  return matters;
}

/**
 * A child on a child protection plan or looked after always has a named worker (003 §2 step 9;
 * 004 principle 3): without one, AllocationRequired at once, due within the pack's timescale.
 */
function namedWorkerDecisions(state: ChildState, compiled: CompiledPack, today: LocalDate): Decision[] {
  const { namedWorker } = compiled.pack.escalation;
  if (!namedWorker.citation || !state.open || state.workerId || state.allocationRequired) return [];
  const why =
    state.plan?.kind === 'cp'
      ? 'on a child protection plan'
      : state.lookedAfter
        ? 'looked after'
        : namedWorker.children !== 'every-child-held-by-a-team'
          ? undefined
          : state.team !== undefined
            ? `held by ${state.team}`
            : // 004 Principle 3, "All children … at all times": a child on a child in need plan is
              // past the front door's decision whether or not a team has allocated it yet.
              state.plan?.kind === 'cin'
              ? 'on a child in need plan'
              : undefined;
  if (!why) return [];
  return [
    {
      type: 'AllocationRequired',
      data: {
        ruleId: 'named-worker',
        ruleVersion: 1,
        packId: compiled.pack.id,
        packVersion: compiled.pack.version,
        citation: namedWorker.citation,
        reason: `the child is ${why} and has no named worker`,
        dueBy: compiled.calendar.add(today, compiled.durations.parse(namedWorker.within), 'after'),
      },
    },
  ];
}

interface Milestone {
  ageYears: number;
  ahead?: string;
  warnAhead?: string[];
  citation: string;
}

/** The pack's milestones, and the ages its BirthdayApproaching rules name (announced on the day). */
export function milestonesOf(compiled: CompiledPack): Milestone[] {
  const { pack } = compiled;
  const listed = new Map(pack.ageMilestones.map((m) => [m.ageYears, m as Milestone]));
  for (const rule of pack.rules.filter((r) => r.when.events.includes('BirthdayApproaching'))) {
    for (const c of rule.when.conditions) {
      if ('anyOf' in c || c.fact !== 'event.ageYears') continue;
      const ages = 'in' in c ? c.in : 'is' in c ? [c.is] : [];
      for (const age of ages) if (typeof age === 'number' && !listed.has(age)) listed.set(age, { ageYears: age, citation: rule.citation });
    }
  }
  return [...listed.values()].sort((a, b) => a.ageYears - b.ageYears);
}

const birthdayOf = (dateOfBirth: LocalDate, ageYears: number): LocalDate => {
  const years = Math.floor(ageYears);
  return dateOfAge(dateOfBirth, { years, months: Math.round((ageYears - years) * 12), weeks: 0, days: 0, workingDays: 0 });
};

const announceOn = (m: Milestone, birthday: LocalDate, compiled: CompiledPack): LocalDate =>
  m.ahead ? compiled.calendar.add(birthday, compiled.durations.parse(m.ahead), 'before') : birthday;

/** Each of the pack's milestones for a child born on `dateOfBirth`: the birthday, and the day it is announced. */
export function milestoneDatesOf(compiled: CompiledPack, dateOfBirth: LocalDate): { ageYears: number; birthday: LocalDate; announceOn: LocalDate; citation: string }[] {
  return milestonesOf(compiled).map((m) => {
    const birthday = birthdayOf(dateOfBirth, m.ageYears);
    return { ageYears: m.ageYears, birthday, announceOn: announceOn(m, birthday, compiled), citation: m.citation };
  });
}

/**
 * BirthdayApproaching from the date of birth when the case-management system has not sent it. A
 * milestone already past when the date of birth became known is not announced late: a rule it
 * would trigger belongs to an age the child has left behind.
 */
function milestoneDecisions(state: ChildState, compiled: CompiledPack, today: LocalDate): Decision[] {
  if (!state.dateOfBirth || !state.open) return [];
  const dob = state.dateOfBirth;
  return milestonesOf(compiled)
    .filter((m) => !state.milestonesAnnounced.includes(m.ageYears))
    .flatMap((m): Decision[] => {
      const birthday = birthdayOf(dob, m.ageYears);
      if (compareLocalDates(today, announceOn(m, birthday, compiled)) < 0 || compareLocalDates(today, birthday) > 0) return [];
      return [birthdayApproaching(m, birthday, compiled)];
    });
}

/** The milestone announced, or with `warnAhead` a warning of it, as this system records it. */
const birthdayApproaching = (m: Milestone, birthday: LocalDate, compiled: CompiledPack, warnAhead?: string): Decision<'BirthdayApproaching'> => ({
  type: 'BirthdayApproaching',
  data: {
    ruleId: `age-milestone-${String(m.ageYears).replace('.', '-')}`,
    ruleVersion: 1,
    packId: compiled.pack.id,
    packVersion: compiled.pack.version,
    citation: m.citation,
    ageYears: m.ageYears,
    on: birthday,
    ...(warnAhead ? { warnAhead } : {}),
  },
});

/** The day each age was last told of (announced or warned), by the case-management system or here. */
function toldOn(causal: readonly ChildStreamEvent[]): Map<number, LocalDate> {
  const told = new Map<number, LocalDate>();
  for (const entry of causal) {
    const birthday =
      entry.kind === 'fact'
        ? entry.fact.type === 'BirthdayApproaching' && { at: entry.fact.occurredAt, ageYears: entry.fact.data.ageYears }
        : entry.decision.type === 'BirthdayApproaching' && { at: entry.decidedAt, ageYears: entry.decision.data.ageYears };
    if (!birthday) continue;
    const { ageYears } = birthday;
    const on = localDateOf(birthday.at);
    const before = told.get(ageYears);
    if (!before || compareLocalDates(on, before) > 0) told.set(ageYears, on);
  }
  return told;
}

/** A milestone's warnings for a child: each lead time and the day it falls on, before the birthday. */
const warningsOf = (m: Milestone, birthday: LocalDate, compiled: CompiledPack): { warnAhead: string; on: LocalDate }[] =>
  (m.warnAhead ?? []).map((warnAhead) => ({ warnAhead, on: compiled.calendar.add(birthday, compiled.durations.parse(warnAhead), 'before') })).filter((w) => compareLocalDates(w.on, birthday) < 0);

/**
 * Several lead times for one age (AgeMilestone.warnAhead): a warning is sent on its day unless the
 * age was told of on or after that day (announced, warned, or sent by the case-management system).
 * When several are due at once (the date of birth became known late, or the timer was down), only
 * the latest is sent: an earlier warning would tell people less than they already need to know.
 * None is sent on or after the birthday, nor for a case that is closed.
 */
function milestoneWarnings(state: ChildState, told: ReadonlyMap<number, LocalDate>, compiled: CompiledPack, today: LocalDate): Decision[] {
  if (!state.dateOfBirth || !state.open) return [];
  const dob = state.dateOfBirth;
  return milestonesOf(compiled).flatMap((m): Decision[] => {
    const birthday = birthdayOf(dob, m.ageYears);
    if (compareLocalDates(today, birthday) >= 0) return [];
    const due = warningsOf(m, birthday, compiled)
      .filter((w) => compareLocalDates(w.on, today) <= 0)
      .sort((a, b) => compareLocalDates(b.on, a.on))[0];
    // Announced in this same run (milestoneDecisions, just before): told today.
    const last = state.milestonesAnnounced.includes(m.ageYears) && !told.has(m.ageYears) ? today : told.get(m.ageYears);
    if (!due || (last && compareLocalDates(last, due.on) >= 0)) return [];
    return [birthdayApproaching(m, birthday, compiled, due.warnAhead)];
  });
}

interface DeadlineInstance {
  deadline: Deadline;
  /** The fact that started the clock. */
  startedBy: string;
  dueBy: LocalDate;
  metOn?: LocalDate;
}

/** Each pack deadline started by a fact of the stream (its conditions judged as that fact arrived), and whether a later fact met it. */
function deadlineInstances(causal: ChildStreamEvent[], compiled: CompiledPack, identity: { authority: string; childId: string }): DeadlineInstance[] {
  const { pack } = compiled;
  if (!pack.deadlines.length) return [];
  const instances: DeadlineInstance[] = [];
  let state = initialChildState(identity.authority, identity.childId);
  for (const entry of causal) {
    state = evolve(state, entry);
    if (entry.kind !== 'fact') continue;
    const fact: CaseEvent = entry.fact;
    const occurredOn = localDateOf(fact.occurredAt);
    const ctx = { state, fact, occurredOn, team: teamHolding(state, pack) };
    for (const open of instances) {
      const { metBy } = open.deadline;
      // A fact of the right type meets the deadline when its conditions hold too (a worker
      // allocated in one team, not any team: metBy.conditions).
      if (!open.metOn && metBy.events.includes(fact.type) && allHold(evaluateConditions(metBy.conditions ?? [], ctx, compiled))) open.metOn = occurredOn;
    }
    for (const deadline of pack.deadlines) {
      if (!deadline.starts.events.includes(fact.type)) continue;
      if (!allHold(evaluateConditions(deadline.starts.conditions, ctx, compiled))) continue;
      instances.push({ deadline, startedBy: fact.eventId, dueBy: compiled.calendar.add(occurredOn, compiled.durations.parse(deadline.within), 'after') });
    }
  }
  return instances;
}

/**
 * A missed deadline whose pack says it lapses (`whenMissed: lapse`; 004 CFF 14, the Step Down
 * Panel referral "will lapse and need to be represented"): every transfer proposed on the fact that
 * started it and still only proposed is withdrawn as lapsed, once (the state shows it withdrawn
 * afterwards). One accepted or disputed is being acted on, and one completed, rejected or
 * withdrawn is settled: nothing lapses.
 */
function lapses(state: ChildState, deadlines: DeadlineInstance[], compiled: CompiledPack, today: LocalDate): Decision<'TransferWithdrawn'>[] {
  return deadlines
    .filter((d) => d.deadline.whenMissed === 'lapse' && !d.metOn && isPast(d.dueBy, today))
    .flatMap((d) =>
      state.transfers
        .filter((t) => t.trigger.eventId === d.startedBy && t.status === 'proposed')
        .map((t): Decision<'TransferWithdrawn'> => ({
          type: 'TransferWithdrawn',
          data: {
            ruleId: d.deadline.id,
            ruleVersion: 1,
            packId: compiled.pack.id,
            packVersion: compiled.pack.version,
            citation: d.deadline.citation,
            transferId: t.transferId,
            reason: `lapsed: ${d.deadline.title} (not actioned by ${d.dueBy})`,
            lapsed: { deadlineId: d.deadline.id, dueBy: d.dueBy },
          },
        })),
    );
}

function nextWake(state: ChildState, deadlines: DeadlineInstance[], compiled: CompiledPack, today: LocalDate): LocalDate | undefined {
  const candidates: LocalDate[] = [];
  const overdueFrom = (due: LocalDate | null | undefined) => {
    if (due && !isPast(due, today)) candidates.push(dayAfter(due, compiled));
  };
  for (const t of state.transfers) if (OPEN_TRANSFER_STATUSES.includes(t.status)) overdueFrom(t.dueBy);
  for (const c of state.checklists) for (const i of c.items) if (!i.met) overdueFrom(i.dueBy);
  if (state.allocationRequired && !state.workerId) overdueFrom(state.allocationRequired.dueBy);
  for (const c of state.coWorks) if (c.workerId === undefined) overdueFrom(c.dueBy);
  for (const e of state.escalations) if (!e.resolved && climbsByTime(compiled.pack, e.rung)) overdueFrom(e.dueBy);
  for (const d of deadlines) if (!d.metOn) overdueFrom(d.dueBy);
  if (state.dateOfBirth && state.open) {
    for (const m of milestonesOf(compiled)) {
      const birthday = birthdayOf(state.dateOfBirth, m.ageYears);
      for (const w of warningsOf(m, birthday, compiled)) if (compareLocalDates(w.on, today) > 0) candidates.push(w.on);
      if (state.milestonesAnnounced.includes(m.ageYears)) continue;
      const on = announceOn(m, birthday, compiled);
      if (compareLocalDates(on, today) > 0) candidates.push(on);
    }
  }
  return candidates.sort(compareLocalDates)[0];
}

/** The EscalationRequested facts of the stream, in causal order. */
function escalationRequests(causal: ChildStreamEvent[]): CaseEvent<'EscalationRequested'>[] {
  return causal.flatMap((entry) => (entry.kind === 'fact' && entry.fact.type === 'EscalationRequested' ? [entry.fact] : []));
}

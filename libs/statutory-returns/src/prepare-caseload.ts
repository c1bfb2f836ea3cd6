/**
 * From a return read to the facts a pack is judged on. The returns say what happened to a child,
 * not which team holds it nor which age milestones were announced, and the rules need both:
 *
 * - **A holding team.** The team the `--teams` file names for the child, else the pack's
 *   `holdingTeams` for the kind of involvement the return shows at its end (an assumption, listed
 *   in the report), recorded as a WorkerAllocated on the day that involvement began, before the
 *   other facts of that day: the child has been with that team since, so a fact of that day that
 *   would move a child *to* it moves nothing. A closed case is held by no team.
 * - **Milestones already past.** The case-management system would have sent BirthdayApproaching on
 *   each milestone of the pack; a milestone whose birthday fell while the child was with the
 *   authority (on or after the involvement began, before today) is recorded as that case event on
 *   its announcement day, so the rule it triggers is judged, and a transfer it required and nobody
 *   made shows as overdue. A milestone whose window is open today is left to the escalation
 *   service, which announces it as it would for any child.
 *
 * Event ids derive from the child, the record and the value only, so preparing the same return
 * again gives the same ids, and a corrected team is a new fact rather than a silent overwrite.
 */
import { compareLocalDates, milestoneDatesOf, maxLocalDate, type CaseEvent, type CompiledPack, type LocalDate } from '@cto/domain';
import { createHash } from 'node:crypto';
import type { ImportedChild, MappedCaseload, Refusal } from './caseload';
import type { TeamsFile } from './teams-file';

export interface PreparedChild {
  childId: string;
  /** The return's facts with the holding team and past milestones, in the order they happened. */
  facts: CaseEvent[];
  /** The team the child is held by and whether it was assumed from the pack; none for a closed case or a kind the pack names no team for. */
  holdingTeam?: { team: string; assumed: boolean; since: LocalDate };
  /** The child's own assumptions from the mapping, then those made here. */
  assumptions: string[];
  /** Which involvement the return ends on, for the report. */
  current: ImportedChild['current'];
}

export interface PreparedCaseload {
  source: MappedCaseload['source'];
  authority: string;
  childrenRead: number;
  children: PreparedChild[];
  refusals: Refusal[];
  refusedChildren: string[];
}

/** A worker id for a team allocation the return does not name a worker for. */
export const UNNAMED_WORKER = 'not-in-return';

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const noonOf = (date: LocalDate) => `${date}T12:00:00Z`;

export function prepareCaseload(caseload: MappedCaseload, compiled: CompiledPack, options: { today: LocalDate; teams?: TeamsFile }): PreparedCaseload {
  const refusals = [...caseload.refusals, ...(options.teams?.refusals ?? [])];
  const refused = new Set([...caseload.refusedChildren, ...(options.teams?.refusals ?? []).flatMap((r) => (r.childId ? [r.childId] : []))]);
  const children = caseload.children.filter((c) => !refused.has(c.childId)).map((child) => prepareChild(child, caseload, compiled, options));
  return {
    source: caseload.source,
    authority: caseload.authority,
    childrenRead: caseload.childrenRead,
    children,
    refusals,
    refusedChildren: [...refused].sort(),
  };
}

function prepareChild(child: ImportedChild, caseload: MappedCaseload, compiled: CompiledPack, options: { today: LocalDate; teams?: TeamsFile }): PreparedChild {
  const assumptions = [...child.assumptions];
  const { current } = child;
  const idOf = (...parts: string[]) => `${caseload.source}:${child.childId}:${parts.join(':')}`;
  const fact = <T extends CaseEvent['type']>(eventId: string, type: T, on: LocalDate, data: CaseEvent<T>['data']): CaseEvent<T> => ({
    eventId,
    type,
    authority: caseload.authority,
    childId: child.childId,
    occurredAt: noonOf(on),
    source: caseload.source,
    data,
  });

  let holdingTeam: PreparedChild['holdingTeam'];
  const before: CaseEvent[] = [];
  if (current && current.kind !== 'closed') {
    const given = options.teams?.byChild.get(child.childId);
    const team = given?.team ?? compiled.pack.holdingTeams?.[current.kind];
    if (team) {
      holdingTeam = { team, assumed: !given, since: current.since };
      if (!given) assumptions.push(`held by ${team} since ${current.since}: the pack's holding team for a child ${describe(current.kind)} (no --teams entry)`);
      const workerId = given?.workerId ?? UNNAMED_WORKER;
      if (!given?.workerId) assumptions.push(`no named worker in the return: the allocation to ${team} is recorded with worker "${UNNAMED_WORKER}"`);
      before.push(fact(idOf('holding-team', shortHash(`${team}|${workerId}`), current.since), 'WorkerAllocated', current.since, { team, workerId }));
    } else {
      assumptions.push(`no team: the pack names no holding team for a child ${describe(current.kind)} and --teams names none; no rule that needs a team can fire`);
    }
  }

  const milestones: CaseEvent[] = [];
  const dateOfBirth = dateOfBirthOf(child.events);
  if (current && current.kind !== 'closed' && dateOfBirth) {
    const passed = milestoneDatesOf(compiled, dateOfBirth).filter(
      (m) => compareLocalDates(m.birthday, options.today) < 0 && compareLocalDates(m.birthday, current.since) >= 0,
    );
    for (const m of passed) {
      milestones.push(fact(idOf('milestone', String(m.ageYears)), 'BirthdayApproaching', maxLocalDate(m.announceOn, current.since), { ageYears: m.ageYears, on: m.birthday }));
    }
    if (passed.length) assumptions.push(`milestones passed while with the authority announced on their day: ${passed.map((m) => `${m.ageYears} on ${m.birthday}`).join(', ')}`);
  }

  // Stable: ties keep the order given, and the holding team leads the facts of its day.
  const facts = [...before, ...child.events, ...milestones]
    .map((e, i) => ({ e, i, at: Date.parse(e.occurredAt) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ e }) => e);
  return { childId: child.childId, facts, ...(holdingTeam ? { holdingTeam } : {}), assumptions, current };
}

function dateOfBirthOf(events: readonly CaseEvent[]): LocalDate | undefined {
  let found: LocalDate | undefined;
  for (const e of events) if (e.type === 'ChildDetailsRecorded' && e.data.dateOfBirth) found = e.data.dateOfBirth;
  return found;
}

const describe = (kind: NonNullable<ImportedChild['current']>['kind']): string =>
  ({
    'looked-after': 'looked after',
    'care-leaver': 'leaving care',
    'child-protection': 'on a child protection plan',
    'child-in-need': 'in need',
    assessment: 'being assessed',
    referral: 'referred',
    closed: 'whose case is closed',
  })[kind];

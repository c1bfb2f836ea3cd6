/**
 * One-line builders for the case events a scenario needs, with pinned defaults so a scenario only
 * states what matters to it: `heldBy('A&I')`, `icpcHeld({ on: '2026-05-01', outcome: 'cp-plan' })`.
 *
 * Every builder returns a full `CaseEvent` for authority 'demo', child 'C-1', with a fresh event id
 * from a counter (unique within a test run, and the same on every run, so decisions derived from
 * them — transfer ids — are reproducible). A business date `on` becomes the instant 10:00 London
 * time that day, written with the offset London keeps on that date (+01:00 in summer time, Z in
 * winter), as a case-management system would send it.
 */
import type {
  CaseEvent,
  CaseEventDataByType,
  CaseEventType,
  Disability,
  ImpairmentLevel,
  LocalDate,
  OrderKind,
} from '@cto/domain';

export const SCENARIO_AUTHORITY = 'demo';
export const SCENARIO_CHILD_ID = 'C-1';
export const SCENARIO_FAMILY_ID = 'F-1';

/** The date a builder uses when a scenario does not say: a Monday with no bank holiday near it. */
export const DEFAULT_ON: LocalDate = '2026-03-02';
/** When `heldBy` says the team's involvement began, unless told. */
export const DEFAULT_HELD_SINCE: LocalDate = '2026-01-05';

let serial = 0;
const nextEventId = (): string => `evt-scenario-${String(++serial).padStart(5, '0')}`;

/** 10:00 London time on a business date, with London's offset that day. */
export function occurredAtOn(on: LocalDate): string {
  return isBritishSummerTime(on) ? `${on}T10:00:00+01:00` : `${on}T10:00:00Z`;
}

/*
 * British Summer Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
 * Sunday of October, so at 10:00 it is summer time from the March change day up to, but not on,
 * the October change day.
 */
function isBritishSummerTime(on: LocalDate): boolean {
  const [year, month, day] = on.split('-').map(Number);
  const lastSunday = (m: number): number => {
    const last = new Date(Date.UTC(year, m, 0)); // day 0 of the next month: the last day of month m
    return last.getUTCDate() - last.getUTCDay();
  };
  const date = month * 100 + day;
  return date >= 300 + lastSunday(3) && date < 1000 + lastSunday(10);
}

/** A case event of any type, dated `on`; the typed builders below are shorthands for this. */
export function caseEvent<T extends CaseEventType>(type: T, on: LocalDate, data: CaseEventDataByType[T]): CaseEvent<T> {
  return {
    eventId: nextEventId(),
    type,
    authority: SCENARIO_AUTHORITY,
    childId: SCENARIO_CHILD_ID,
    familyId: SCENARIO_FAMILY_ID,
    occurredAt: occurredAtOn(on),
    source: 'lcs',
    data,
  };
}

// --- Who holds the case -----------------------------------------------------------------------

/** The case is allocated to a worker in `team` (a WorkerAllocated), whose involvement began `since`. */
export const heldBy = (team: string, { since = DEFAULT_HELD_SINCE, workerId = 'W-1' }: { since?: LocalDate; workerId?: string } = {}) =>
  caseEvent('WorkerAllocated', since, { team, workerId });

export const referralReceived = ({
  on = DEFAULT_ON,
  disability,
  referralSource = 'school',
}: { on?: LocalDate; disability?: Disability; referralSource?: string } = {}) =>
  caseEvent('ReferralReceived', on, { referralSource, ...(disability ? { disability } : {}) });

export const thresholdDecision = ({
  on = DEFAULT_ON,
  decision,
  familyConsent,
  familyInformed,
  team,
}: {
  on?: LocalDate;
  decision: CaseEventDataByType['ThresholdDecisionMade']['decision'];
  familyConsent?: boolean;
  familyInformed?: boolean;
  /** The team the decision directs the child to (001 §3 MASH, 004 Trajectory Model 3). */
  team?: string;
}) =>
  caseEvent('ThresholdDecisionMade', on, {
    decision,
    ...(familyConsent !== undefined ? { familyConsent } : {}),
    ...(familyInformed !== undefined ? { familyInformed } : {}),
    ...(team !== undefined ? { team } : {}),
  });

export const caseClosed = ({ on = DEFAULT_ON, closingTeam }: { on?: LocalDate; closingTeam?: string } = {}) =>
  caseEvent('CaseClosed', on, closingTeam ? { closingTeam } : {});

// --- The child ------------------------------------------------------------------------------

/** 000 ¶10's threshold: "a permanent or substantial disability and … severely or profoundly impaired". */
export const disability = (impairment: ImpairmentLevel, permanentOrSubstantial = true): Disability => ({
  permanentOrSubstantial,
  impairment,
});

export const childDetails = ({
  on = DEFAULT_HELD_SINCE,
  dateOfBirth,
  disability: recorded,
  unaccompaniedAsylumSeeking,
  careLeaverStatus,
  ongoingCareAndSupportNeeds,
}: { on?: LocalDate; dateOfBirth?: LocalDate; disability?: Disability } & Pick<
  CaseEventDataByType['ChildDetailsRecorded'],
  'unaccompaniedAsylumSeeking' | 'careLeaverStatus' | 'ongoingCareAndSupportNeeds'
> = {}) =>
  caseEvent('ChildDetailsRecorded', on, {
    ...(dateOfBirth ? { dateOfBirth } : {}),
    ...(recorded ? { disability: recorded } : {}),
    ...(unaccompaniedAsylumSeeking !== undefined ? { unaccompaniedAsylumSeeking } : {}),
    ...(careLeaverStatus !== undefined ? { careLeaverStatus } : {}),
    ...(ongoingCareAndSupportNeeds !== undefined ? { ongoingCareAndSupportNeeds } : {}),
  });

/** The child's date of birth is recorded (a ChildDetailsRecorded). */
export const bornOn = (dateOfBirth: LocalDate, { on = DEFAULT_HELD_SINCE }: { on?: LocalDate } = {}) =>
  childDetails({ on, dateOfBirth });

/**
 * An age milestone is near: the child is `ageYears` on `on`. The case-management system sends it
 * ahead of the date (`noticedOn`); by default it arrives on the day.
 */
export const birthdayApproaching = ({ ageYears, on, noticedOn = on }: { ageYears: number; on: LocalDate; noticedOn?: LocalDate }) =>
  caseEvent('BirthdayApproaching', noticedOn, { ageYears, on });

// --- Plans and conferences ------------------------------------------------------------------

export const icpcHeld = ({
  on = DEFAULT_ON,
  outcome = 'cp-plan',
}: { on?: LocalDate; outcome?: CaseEventDataByType['ICPCHeld']['outcome'] } = {}) => caseEvent('ICPCHeld', on, { outcome });

export const rcpcHeld = ({
  on = DEFAULT_ON,
  outcome = 'cp-plan-continues',
}: { on?: LocalDate; outcome?: CaseEventDataByType['RCPCHeld']['outcome'] } = {}) => caseEvent('RCPCHeld', on, { outcome });

export const cinPlanStarted = ({ on = DEFAULT_ON, startedOn }: { on?: LocalDate; startedOn?: LocalDate } = {}) =>
  caseEvent('ChildInNeedPlanStarted', on, startedOn ? { startedOn } : {});

export const cinReviewHeld = ({
  on = DEFAULT_ON,
  outcome = 'plan-continues',
  familyConsent,
}: { on?: LocalDate; outcome?: CaseEventDataByType['CINReviewHeld']['outcome']; familyConsent?: boolean } = {}) =>
  caseEvent('CINReviewHeld', on, { outcome, ...(familyConsent !== undefined ? { familyConsent } : {}) });

/**
 * A meeting of one of the pack's kinds is dated `on` (or cancelled). The fact itself is recorded
 * `scheduledOn`, by default the day of the meeting.
 */
export const meetingScheduled = ({
  kind,
  on,
  scheduledOn = on,
  cancelled,
}: { kind: string; on: LocalDate; scheduledOn?: LocalDate; cancelled?: boolean }) =>
  caseEvent('MeetingScheduled', scheduledOn, { kind, on, ...(cancelled !== undefined ? { cancelled } : {}) });

// --- Pre-proceedings and the court ------------------------------------------------------------

export const ploStarted = ({ on = DEFAULT_ON }: { on?: LocalDate } = {}) => caseEvent('PLOStarted', on, {});

export const proceedingsIssued = ({ on = DEFAULT_ON, urgent }: { on?: LocalDate; urgent?: boolean } = {}) =>
  caseEvent('CareProceedingsIssued', on, urgent !== undefined ? { urgent } : {});

export const hearingHeld = ({
  on = DEFAULT_ON,
  kind,
  concluded,
}: { on?: LocalDate; kind: CaseEventDataByType['HearingHeld']['kind']; concluded?: boolean }) =>
  caseEvent('HearingHeld', on, { kind, ...(concluded !== undefined ? { concluded } : {}) });

export const orderMade = ({
  on = DEFAULT_ON,
  order,
  dischargedOrder,
  localAuthorityPosition,
}: { on?: LocalDate; order: OrderKind; dischargedOrder?: OrderKind; localAuthorityPosition?: CaseEventDataByType['OrderMade']['localAuthorityPosition'] }) =>
  caseEvent('OrderMade', on, { order, ...(dischargedOrder ? { dischargedOrder } : {}), ...(localAuthorityPosition ? { localAuthorityPosition } : {}) });

// --- Looked after ---------------------------------------------------------------------------

export const accommodated = ({
  on = DEFAULT_ON,
  legalBasis = 's20',
  planToIssueProceedings,
}: {
  on?: LocalDate;
  legalBasis?: CaseEventDataByType['ChildAccommodated']['legalBasis'];
  planToIssueProceedings?: boolean;
} = {}) =>
  caseEvent('ChildAccommodated', on, {
    legalBasis,
    ...(planToIssueProceedings !== undefined ? { planToIssueProceedings } : {}),
  });

export const claReviewHeld = ({
  on = DEFAULT_ON,
  sequence = 1,
  plan = 'long-term-fostering',
}: { on?: LocalDate; sequence?: number; plan?: CaseEventDataByType['CLAReviewHeld']['plan'] } = {}) =>
  caseEvent('CLAReviewHeld', on, { sequence, plan });

export const ceasedLookedAfter = ({
  on = DEFAULT_ON,
  reason = 'returned-home',
}: { on?: LocalDate; reason?: CaseEventDataByType['ChildCeasedLookedAfter']['reason'] } = {}) =>
  caseEvent('ChildCeasedLookedAfter', on, { reason });

/**
 * Case-event envelopes as a case-management system posts them over HTTP, with event ids unique
 * within one spec (`<prefix>-1`, `<prefix>-2` …): each end-to-end spec makes its own.
 */
export function envelopeMaker(prefix: string, source: string) {
  let seq = 0;
  return (authority: string, childId: string, type: string, occurredAt: string, data: object) => ({
    eventId: `${prefix}-${++seq}`,
    type,
    authority,
    childId,
    occurredAt,
    source,
    data,
  });
}

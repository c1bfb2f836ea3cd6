/**
 * The policy pack: one authority's transfer procedure as data (DESIGN.md "Policy packs").
 * These are the types the engine runs; libs/policy-packs reads them from YAML checked against
 * policies/policy-pack.schema.json, so the two must stay in step.
 *
 * Words follow the seeds: a rule is a *transfer point*, its date a *handover point*.
 */
import type { LocalDate } from '../calendar/local-date';
import type { CaseEventType } from '../events/case-events';

export interface PolicyPack {
  id: string;
  /** The pack's own version; every decision records it. */
  version: string;
  title: string;
  /** The seed document the pack encodes, e.g. "000_c0d212b149d080fa.txt". */
  source: string;
  /** Authorities (tenant ids in the case-event envelope) this pack is in force for. */
  authorities: string[];
  teams: Team[];
  /**
   * Where a child with no allocated team sits once a referral arrives (the front door); and,
   * optionally, who holds a child moving in from another authority until its formal transfer in
   * (003 §9: "During the period prior to the formal transfer of the child, responsibility lies with
   * the originating authority"). Left out: the front door holds it.
   */
  frontDoor: { team: string; inbound?: string };
  /** Meeting kinds a handover point can name; `MeetingScheduled.kind` dates them. */
  meetingKinds: { kind: string; name: string }[];
  /** An authority's own non-working days, on top of England and Wales bank holidays. */
  nonWorkingDays: LocalDate[];
  rules: TransferRule[];
  /** Transfer standards: the checklist opened with each transfer, and whether it gates the transfer. */
  checklists: Checklists;
  /** Who is told, rung by rung, when a transfer slips, is disputed, or a child has no named worker. */
  escalation: Escalation;
  /** Timescales that start with one fact and are met by a later one (front-door decisions, moves between authorities …). */
  deadlines: Deadline[];
  /**
   * Siblings move together: when one child of a family is proposed to a team, each sibling held by
   * the same team is proposed alongside, unless a separation is recorded for it. Two forms:
   * - pack-wide (`{ citation }`): every transfer takes the siblings along, with the child's own
   *   handover point and due date (000 ¶1 "In sibling groups, the children will have the same
   *   social worker"; 004 Work with Siblings 1);
   * - per rule (a list of `SiblingRule`): only the transfers the listed rules propose take the
   *   siblings along, and only those siblings the rule's conditions select, each with its own
   *   handover point — 003 §6 keeps a sibling group together on the way to CIC in care proceedings
   *   ("Transfer for the siblings not in care will occur at the same time, via, a Core Group Meeting
   *   or Child in Need Review"), but a sibling's move to the 18+ Team takes nobody along.
   * Left out: the procedure says nothing of siblings.
   */
  siblings?: PackWideSiblings | SiblingRule[];
  /**
   * A manager's TransferRequested on a route no rule of the pack takes: still a transfer between
   * services, so it is proposed (rule id `requested-transfer`) from the team holding the child to
   * the team asked for, with this handover point, and opens its route's checklist and climbs the
   * ladder like any other (004 Principles 11, Transfer Standards 1: the standards apply to "any case
   * transferring within and between teams"). Left out: such a request proposes nothing.
   */
  requestedTransfers?: { citation: string; handover: HandoverPoint };
  /**
   * Where a child imported from a statutory return is assumed to be held when no team is given for
   * it (issue 17: SSDA903 and the CSC API name no teams), by the kind of involvement the return
   * shows at its end. Used by `npm run import` only, never by a decision; each use is reported as an
   * assumption. Left out, or a kind left out: such a child is imported with no team.
   */
  holdingTeams?: Partial<Record<Exclude<InvolvementKind, 'closed'>, string>>;
  /** Ages at which this system emits BirthdayApproaching itself, and how far ahead (beside those the rules name). */
  ageMilestones: AgeMilestone[];
  /** What the document says that the pack deliberately leaves out, and why (policies/COVERAGE.md). */
  notEncoded: NotEncoded[];
}

/** Every transfer takes the siblings held by the same team along, with the child's handover point. */
export interface PackWideSiblings {
  citation: string;
}

/**
 * The siblings taken along by the transfers some rules propose (003 §6, Transfers to CIC in care
 * proceedings). A sibling is proposed alongside when it is held by the team the child leaves, has
 * no open transfer, no separation from its siblings recorded (SiblingSeparationRecorded: "unless
 * exceptional circumstances and agreed by CSWT"), and every `when` condition holds of it.
 */
export interface SiblingRule {
  /** Stable: the siblings' TransferProposed carries it as `ruleId`; a checklist's `appliesTo.rules` may name it. */
  id: string;
  version: number;
  title: string;
  /** Seed file name and paragraph or heading. */
  citation: string;
  /** The transfer rules whose proposals take the siblings along (a rule is named by one sibling rule at most). */
  rules: string[];
  /**
   * The siblings' own handover point, dated on the sibling's meetings from the date of the fact that
   * fired the child's rule. Left out: the child's own handover point and due date.
   */
  handover?: HandoverPoint;
  /** Conditions on the sibling (`child.*` facts, read on the sibling as it stands). Left out: every sibling. */
  when?: Condition[];
}

/** The kinds of involvement a statutory return shows a child to have at its end (libs/statutory-returns). */
export const INVOLVEMENT_KINDS = ['looked-after', 'care-leaver', 'child-protection', 'child-in-need', 'assessment', 'referral', 'closed'] as const;
export type InvolvementKind = (typeof INVOLVEMENT_KINDS)[number];

export interface NotEncoded {
  citation: string;
  what: string;
  why: string;
}

export interface Team {
  code: string;
  name: string;
  managerRole: string;
}

/**
 * What a transfer point decides.
 * - transfer: the case moves to `to` (TransferProposed).
 * - co-work: `to` allocates a co-worker alongside the team holding the case, which keeps case
 *   responsibility (002 row 7: "LCS allocates a personal advisor to co work at 16"; 004 Adoption 2;
 *   001 §3 Permanence teams, the Pathway Advisor at 17½). Co-work rules do not compete with
 *   transfers: each that fires is recorded (CoWorkRequired).
 * - remains: a cited decision that the case stays where it is (002 row 3 "Remains in CAI"; row 6
 *   "remain with allocated worker for duration of supervision order") (CaseRetained). With
 *   `holdsWhile`, no other rule moves the child while those conditions hold.
 */
export const RULE_OUTCOMES = ['transfer', 'co-work', 'remains'] as const;
export type RuleOutcomeKind = (typeof RULE_OUTCOMES)[number];

export interface TransferRule {
  /** Stable: decisions, tests and reports refer to it. Never reuse an id for a different rule. */
  id: string;
  version: number;
  title: string;
  /** Seed file name and paragraph or heading. */
  citation: string;
  /** Left out: transfer. */
  outcome?: RuleOutcomeKind;
  /** Teams the child may be held by for the rule to apply. */
  from: string[];
  /**
   * A team code, or a fact naming the team (e.g. the team that closed the last episode). For a
   * `remains` rule: the team holding the child (the YAML leaves `to` out).
   */
  to: Destination;
  /**
   * The area (district) of the receiving team, read from a fact: a move between areas of one
   * authority is a transfer between two teams with the same code (003 §8, CSWT to CSWT).
   */
  toArea?: { fact: string };
  /** remains only: while every condition holds, no other rule moves the child. */
  holdsWhile?: Condition[];
  when: Trigger;
  /** Exceptions: if every condition of one holds, the rule does not fire. */
  unless: RuleException[];
  handover: HandoverPoint;
  /** Tie-break when several rules fire on one fact: the highest wins (default 0). */
  priority: number;
  /**
   * The reason a transfer this rule proposes is escalated with when it is not done by its handover
   * point. Left out: `overdue`. `inter-authority-delay` for a transfer between authorities, which
   * the procedure sends to a higher rung than a late transfer between its own teams (003 §9 Child
   * in Need: "The Service Manager should be notified if there is any delay in the receiving local
   * authority accepting responsibility of the child"; §4: "If difficulties are experienced in
   * transferring children from Kent to another local authority, the Team Manager should promptly
   * notify the Service Manager"); `escalation.entry` says which rung that is. Transfer rules only.
   */
  overdueAs?: OverdueReason;
  /**
   * How the pack reads words that tie the transfer point to time passing or to a judgement, and so
   * what proposes it: 000 ¶11 "transfer will occur where involvement is extended beyond 6 months" is
   * read as a review that extends involvement, not the 6 months alone. Shown by `policy explain` and
   * in COVERAGE.md, so a reader sees the choice, not only its result.
   */
  reading?: RuleReading;
}

/**
 * `citation` names the paragraph and quotes the words read (“…”: `policy validate` checks they are
 * in the source); `text` says what proposes the transfer and why, in the procedure's words.
 */
export interface RuleReading {
  citation: string;
  text: string;
}

/** The reasons an overdue transfer may be escalated with (`TransferRule.overdueAs`). */
export const OVERDUE_REASONS = ['overdue', 'inter-authority-delay'] as const;
export type OverdueReason = (typeof OVERDUE_REASONS)[number];

export type Destination = string | { fact: string } | { holding: true };

export const outcomeOf = (rule: TransferRule): RuleOutcomeKind => rule.outcome ?? 'transfer';

/** How a destination reads in an account or an error. */
export const describeDestination = (to: Destination): string =>
  typeof to === 'string' ? to : 'fact' in to ? `the team in ${to.fact}` : 'the team holding the child';

export interface Trigger {
  events: CaseEventType[];
  conditions: Condition[];
}

export interface RuleException {
  description: string;
  citation?: string;
  conditions: Condition[];
}

/**
 * One test of a fact. Exactly one operator is given. Duration facts (age, time with team …) take
 * the duration operators with readable durations ("6 months", "15 years 6 months").
 */
export type Condition =
  | { fact: string; is: Scalar }
  | { fact: string; isNot: Scalar }
  | { fact: string; in: Scalar[] }
  | { fact: string; notIn: Scalar[] }
  | { fact: string; present: boolean }
  | { fact: string; includes: Scalar }
  | { fact: string; includesAny: Scalar[] }
  | { fact: string; atLeast: string }
  | { fact: string; moreThan: string }
  | { fact: string; below: string }
  | { anyOf: Condition[] };

export type Scalar = string | number | boolean;

/** A date a timescale counts from or to. */
export type Anchor = 'trigger' | MeetingAnchor | { age: string };

/** The date a meeting of that kind is scheduled for (MeetingScheduled). */
export type MeetingAnchor = { meeting: string };

/** The meeting a checklist item's due date counts from or back to, if it names one. */
export const itemMeetingOf = (due: ChecklistItemTemplate['due']): string | undefined => {
  const anchor = due?.before ?? due?.after;
  return typeof anchor === 'object' ? anchor.meeting : undefined;
};

/**
 * When the move happens. A meeting (dated when `MeetingScheduled` of that kind arrives) and/or a
 * timescale (`within` a duration `after` or `before` an anchor). The meeting is the handover
 * point while it falls inside the timescale; otherwise the deadline stands, or `fallback` does.
 * Or, on their own: a later case event (`onFact`), or the earliest of several points (`earliestOf`).
 */
export interface HandoverPoint {
  description: string;
  meeting?: string;
  within?: string;
  after?: Anchor;
  before?: Anchor;
  /** The meeting is too far away when it is more than this after the anchor (default: the trigger). */
  tooFarAway?: { moreThan: string; after?: Anchor; then: HandoverPoint };
  /** Used when the meeting has no date yet, or falls after the timescale. */
  fallback?: HandoverPoint;
  /**
   * The handover point is a later case event, not a meeting or a timescale: 004 PTC 1–2 flag the
   * transfer at the 2nd Looked After Child review ("As there will be an early warning in terms of
   * transfers to the service of these children") and move the child "at final order". The transfer
   * is proposed at once, undated (its checklist open, so what must happen "prior to final order"
   * can be done), and dated on the day of the first such fact after the trigger.
   */
  onFact?: FactHandover;
  /**
   * Several handover points that all bind the same transfer: it is due by the earliest of those
   * that have a date (003 §6 "at least one month before their 18th birthday at a CIN meeting", and
   * for every transfer from CSWT to Early Help §7's "no longer than 10 days after the joint visit").
   * The resolution's steps say which point won.
   */
  earliestOf?: HandoverPoint[];
}

/**
 * A handover point that is a later case event: the first fact of one of `events` after the trigger
 * for which every condition holds (read as it arrives, like a rule's `when`).
 */
export interface FactHandover {
  events: CaseEventType[];
  conditions?: Condition[];
  /**
   * Facts that mean the awaited fact will not come, so the transfer waiting for it is withdrawn
   * (reason `handover-point-lapsed`): 004 PTC 1's exception, "reunification within a 6-month period
   * has been identified as the plan"; a final order other than the one awaited. Judged only while
   * the transfer is open and not yet dated by the awaited fact.
   */
  lapsesOn?: HandoverLapse[];
}

export interface HandoverLapse {
  description: string;
  citation?: string;
  events: CaseEventType[];
  conditions?: Condition[];
}

/**
 * blocking: a transfer cannot go on (be accepted or completed) until every item of its checklist
 * is met (002 Key Principles: "Transfers will not be requested prior to checklist being signed
 * off"). non-blocking-escalate: the checklist never delays the transfer, but an item unmet by its
 * due date escalates (000 ¶2).
 */
export type GatingMode = 'blocking' | 'non-blocking-escalate';

export interface Checklists {
  gating: GatingMode;
  citation: string;
  templates: ChecklistTemplate[];
}

export interface ChecklistTemplate {
  id: string;
  title: string;
  citation: string;
  /** The transfers it is opened for: every listed key must match (a left-out key matches any transfer). */
  appliesTo: { from?: string[]; to?: string[]; rules?: string[] };
  items: ChecklistItemTemplate[];
}

export interface ChecklistItemTemplate {
  /** Stable: ChecklistItemCompleted names it. */
  id: string;
  description: string;
  citation?: string;
  /**
   * Only for some transfers: the item is on the checklist when every condition held as the transfer
   * was proposed (child facts, and event.* of the fact that fired the rule), e.g. 000 ¶7's Later
   * Life Letter for a care plan of adoption.
   */
  when?: Condition[];
  /**
   * When the item falls due: `within` a duration `after` the proposal or the handover point, or
   * `before` the handover point, or `before`/`after` a meeting of the pack's `meetingKinds` (004 CFF
   * 11: headline information "at least 48 hours before the panel meeting"; 003 §8: the overview "10
   * working days prior to the planned move date"), dated by the latest MeetingScheduled of that kind
   * on or after the day of the fact that fired the transfer's rule, and re-dated when it is scheduled
   * again or cancelled (TransferRescheduled). Left out: by the handover point (the transfer's due date).
   */
  due?: { within: string; after?: 'proposal' | 'handover' | MeetingAnchor; before?: 'handover' | MeetingAnchor };
  /**
   * Escalated on its own when unmet past its due date. Left out: the item is escalated with the
   * transfer's other unmet items, as one escalation that lists them.
   */
  escalatesAlone?: boolean;
}

/**
 * Why an escalation is raised (a pack's deadline missed is `overdue`, naming the deadline).
 * `inter-authority-delay`: a transfer to or from another authority not done by its handover point,
 * for a rule with `overdueAs: inter-authority-delay` (003 §4, §9).
 */
export const ESCALATION_REASONS = ['overdue', 'disputed', 'capacity', 'checklist-incomplete', 'no-named-worker', 'siblings-split', 'inter-authority-delay', 'other'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export interface Escalation {
  citation: string;
  /** Rung 1 first. Each rung has `within` to resolve the matter before the next rung is told; the top rung needs none, nor a rung below one `reachedBy: request`. */
  ladder: EscalationRung[];
  /** The rung (from 1) each reason is first raised at; a reason left out starts at rung 1. */
  entry: Partial<Record<EscalationReason, number>>;
  /**
   * How soon a child must have a named worker again, and which children: by default those on a CP
   * plan or looked after (003 §2 step 9); `every-child-held-by-a-team` for 004 Principle 3 ("All
   * children should be allocated to a named worker (not a manager) at all times"): every child a
   * team holds, and every child on a child in need plan, even one no team has allocated yet.
   */
  namedWorker: { within: string; citation: string; children?: 'cp-or-looked-after' | 'every-child-held-by-a-team' };
}

export interface EscalationRung {
  role: string;
  /** How long this rung has before the next rung is told; left out on the top rung and below a rung reached only by request. */
  within?: string;
  /**
   * `request`: a rung the procedure gives no timescale to reach (003 §4's Assistant Director, told
   * "where necessary" by the Service Manager). Only a person on the rung below escalates to it
   * (escalateByRequest); supervision never climbs onto it. Left out: reached when the rung below's
   * `within` passes, as every rung was before.
   */
  reachedBy?: 'request';
  citation?: string;
  /**
   * Roles told beside this rung's role whenever a matter is raised at or climbs to it: a notice,
   * not a rung (the matter is still this rung's to put right). 003 §4: "The Child Protection Chair
   * or IRO should be kept updated if there are difficulties experienced in transferring a child".
   * The decision names them (EscalationRaised.alsoTold).
   */
  alsoTell?: AlsoTell[];
}

export interface AlsoTell {
  role: string;
  citation: string;
  /** Only for matters raised for these reasons (003 §4: difficulties in transferring). Left out: every reason. */
  reasons?: EscalationReason[];
  /**
   * Only while these conditions on the child hold (`child.*` facts, judged on the day the matter is
   * raised or climbs): a Child Protection Chair is there for a child on a plan, an IRO for a child
   * looked after (003 §2: "If there is a Child Protection Chair or Independent Reviewing Officer
   * allocated to the child"). Left out: always.
   */
  when?: Condition[];
}

/**
 * A timescale between two facts: `starts` (like a rule's trigger) and the first later fact that
 * `metBy` names and whose `conditions` (read as that fact arrives) hold.
 */
export interface Deadline {
  id: string;
  title: string;
  citation: string;
  starts: Trigger;
  metBy: { events: CaseEventType[]; conditions?: Condition[] };
  within: string;
  /**
   * What a missed deadline does. `escalate` (left out): an `overdue` escalation naming it. `lapse`:
   * what the starting fact set going lapses instead, and nothing is escalated (004 CFF 14: "If this
   * has not been actioned 20 working days after the referral was originally made, then the referral
   * will lapse and need to be represented if appropriate"): every transfer proposed on the starting
   * fact and still only proposed (not accepted, disputed or closed) is withdrawn (TransferWithdrawn
   * with `lapsed`), for good: reconciliation never proposes it again.
   */
  whenMissed?: DeadlineMissed;
}

export const DEADLINE_MISSED = ['escalate', 'lapse'] as const;
export type DeadlineMissed = (typeof DEADLINE_MISSED)[number];

export interface AgeMilestone {
  /** Whole or half years: 17.5 is 17½. */
  ageYears: number;
  /** How long before the birthday the milestone is announced ("1 month"); left out: on the day. */
  ahead?: string;
  /**
   * Other lead times at which the milestone is told again, as a warning (BirthdayApproaching with
   * `warnAhead`) for the people who must prepare: before or after the announcement, never on the
   * birthday. The rules act on the announcement only.
   */
  warnAhead?: string[];
  citation: string;
}

/** A pack with no checklists, ladder, deadlines or milestones (a pack written before they were in the format). */
export const NO_PROCEDURES: Pick<PolicyPack, 'checklists' | 'escalation' | 'deadlines' | 'ageMilestones'> = {
  checklists: { gating: 'non-blocking-escalate', citation: '', templates: [] },
  escalation: { citation: '', ladder: [], entry: {}, namedWorker: { within: '1 working day', citation: '' } },
  deadlines: [],
  ageMilestones: [],
};

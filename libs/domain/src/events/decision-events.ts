/**
 * Decisions: what this system concludes from the facts. They are stored on the child's stream
 * beside the facts and published on `transfer-events`. Every decision cites the rule that made it
 * (DESIGN.md "Decision events"). JSON Schemas: contracts/events/decisions/.
 */
import type { LocalDate } from '../calendar/local-date';
import type { EscalationReason } from '../policy/policy-pack';

/** Where a rule's authority comes from: pack, rule, and the paragraph of the seed document. */
export interface RuleReference {
  ruleId: string;
  ruleVersion: number;
  packId: string;
  packVersion: string;
  /** Seed file name and paragraph or heading, e.g. "000_c0d212b149d080fa.txt ¶12". */
  citation: string;
}

/** How the handover point was dated: which basis produced `dueBy`, and why. */
export interface HandoverPointResolution {
  /** The pack's words for the handover point, e.g. "the initial core group, within 10 working days of the ICPC". */
  description: string;
  /**
   * meeting: the named meeting is dated; timescale: the deadline; fact: the later case event the
   * handover point waits for has happened (004 PTC 2 "at final order"); awaiting-date: the meeting
   * or the fact has no date yet.
   */
  basis: 'meeting' | 'timescale' | 'fact' | 'awaiting-date';
  /** The meeting kind whose date is the handover (when basis is meeting, or awaited). */
  meeting?: string;
  /**
   * The later case event that dated the handover point (basis fact), or one of the points of an
   * `earliestOf` when another point fell earlier. Kept so that re-dating the point (a meeting
   * scheduled) remembers it.
   */
  fact?: TriggerReference;
  /** Why a fallback was taken: the meeting is undated, later than the timescale, or too far away. */
  fallbackReason?: 'undated' | 'after-timescale' | 'too-far-away';
  /** A short account of each step, for people: "CMH 2026-06-10 is more than 3 weeks after 2026-05-01 …". */
  steps: string[];
}

/** The fact that fired a rule. */
export interface TriggerReference {
  eventId: string;
  type: string;
  occurredOn: LocalDate;
}

export const TRANSFER_STATUSES = ['proposed', 'accepted', 'rejected', 'disputed', 'completed', 'withdrawn'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** The fact that ended a transfer's wait for its handover point, and the pack's words for why. */
export interface HandoverLapsed {
  eventId: string;
  type: string;
  occurredOn: LocalDate;
  description: string;
  citation?: string;
}

/** A fact recorded after a decision that belongs, in the child's history, before the fact that caused it. */
export interface LateFact {
  eventId: string;
  type: string;
  occurredOn: LocalDate;
}

export interface DecisionDataByType {
  TransferProposed: RuleReference & {
    transferId: string;
    fromTeam: string;
    toTeam: string;
    /**
     * The areas (districts) of the two teams, when the rule moves the child between areas of one
     * authority (003 §8): then fromTeam and toTeam may be the same code.
     */
    fromArea?: string;
    toArea?: string;
    /** The fact that fired the rule. */
    trigger: TriggerReference;
    handoverPoint: HandoverPointResolution;
    /** null while the handover point is a meeting with no date and the rule sets no deadline. */
    dueBy: LocalDate | null;
    /** Human summary: which conditions held. */
    explanation: string[];
  };
  /**
   * A transfer point whose outcome is that the case stays where it is (002: "Remains in CAI"; "Case
   * would remain with allocated worker for duration of supervision order"). While every condition
   * of the rule's `holdsWhile` holds, no other rule moves the child; `holdsWhile` here says them in
   * words, with the values they had. The pack in force judges each later fact, so a new version of
   * the pack may end a hold (by dropping or changing the rule); it never changes this record.
   */
  CaseRetained: RuleReference & {
    team: string;
    trigger: TriggerReference;
    explanation: string[];
    holdsWhile?: string[];
  };

  /**
   * A team must allocate a co-worker alongside the team holding the case, which keeps case
   * responsibility (002 row 7, 004 Adoption 2, 001 §3 Permanence teams). Met by a WorkerAllocated
   * of that team; ended when the case transfers to it or closes.
   */
  CoWorkRequired: RuleReference & {
    coWorkId: string;
    holdingTeam: string;
    coWorkingTeam: string;
    trigger: TriggerReference;
    handoverPoint: HandoverPointResolution;
    dueBy: LocalDate | null;
    explanation: string[];
  };
  /** Reconciliation withdrew a co-work the child's whole history no longer supports (see `supersededBy` on TransferWithdrawn). */
  CoWorkWithdrawn: RuleReference & { coWorkId: string; reason: string; supersededBy?: LateFact[] };
  /**
   * A later fact (a MeetingScheduled) changed when an open transfer's handover point falls, or when
   * items of its checklist counted from that meeting fall due (then `dueBy` may equal `previousDueBy`).
   */
  TransferRescheduled: RuleReference & {
    transferId: string;
    previousDueBy: LocalDate | null;
    dueBy: LocalDate | null;
    handoverPoint: HandoverPointResolution;
    /**
     * The transfer's checklist items due by, or relative to, the handover point, re-dated with it
     * (issue 16: "prior to transfer" items had no date while the meeting was undated, and kept
     * none once it was). Only the items whose due date changes; left out when none does, or when
     * the checklist is not yet open (it then opens with dates from the new handover point).
     */
    checklist?: { checklistId: string; items: { itemId: string; dueBy: LocalDate | null }[] };
  };
  TransferAccepted: RuleReference & { transferId: string; by?: string };
  TransferRejected: RuleReference & { transferId: string; reason: string; by?: string };
  /** `capacity`: the dispute is about the receiving team's capacity (002: such issues go to the Senior Leadership team). */
  TransferDisputed: RuleReference & { transferId: string; reason: string; by?: string; capacity?: boolean };
  TransferCompleted: RuleReference & { transferId: string; toTeam: string; completedOn: LocalDate };
  /**
   * `supersededBy`: withdrawn by reconciliation, because the child's whole history no longer
   * supports the proposal; the facts recorded late that changed it (empty when the pack in force changed).
   * `lapsedBy` (reason `handover-point-lapsed`): withdrawn by reconciliation, because a fact shows
   * that the later event the handover point waits for will not come (004 PTC 1: "reunification
   * within a 6-month period has been identified as the plan"; a final order other than a care order).
   */
  /**
   * `lapsed`: a pack deadline with `whenMissed: lapse` passed with the transfer still only proposed
   * (004 CFF 14: the referral "will lapse and need to be represented"); the rule reference is the
   * deadline's (ruleId = deadline id). Such a transfer is never proposed again by reconciliation.
   */
  TransferWithdrawn: RuleReference & {
    transferId: string;
    reason: string;
    supersededBy?: LateFact[];
    lapsedBy?: HandoverLapsed;
    lapsed?: { deadlineId: string; dueBy: LocalDate };
  };
  ChecklistOpened: RuleReference & {
    transferId: string;
    checklistId: string;
    gating: 'blocking' | 'non-blocking-escalate';
    items: { itemId: string; description: string; dueBy: LocalDate | null; citation?: string }[];
  };
  ChecklistItemMet: RuleReference & { transferId: string; checklistId: string; itemId: string };
  ChecklistCompleted: RuleReference & { transferId: string; checklistId: string };
  EscalationRaised: RuleReference & {
    escalationId: string;
    transferId?: string;
    rung: number;
    role: string;
    reason: EscalationReason;
    dueBy: LocalDate | null;
    /** The checklist item unmet, for checklist-incomplete on an item the pack escalates alone. */
    itemId?: string;
    /**
     * The checklist items unmet past their due dates, for checklist-incomplete on a transfer's
     * checklist: one escalation for them all. Raised again at the same rung, due as it was, when
     * the list changes (an item met, another fallen due).
     */
    itemIds?: string[];
    /** The pack's deadline missed, for overdue on a deadline. */
    deadlineId?: string;
    /** The co-work whose co-worker is not allocated by its due date, for overdue on a co-work. */
    coWorkId?: string;
    /** What is escalated, in words with team codes and dates only (no case details). */
    about?: string;
    /**
     * Roles told beside `role` at this rung (the rung's `alsoTell` whose reasons and conditions
     * held that day), e.g. 003 §4's Child Protection Chair or IRO "kept updated". Left out: nobody.
     */
    alsoTold?: string[];
    /**
     * Escalated by a person, not by time (escalateByRequest): who asked (the token's subject, or
     * the case event's `by`) and the reason they gave. Left out when the ladder raised or climbed it.
     */
    escalatedBy?: string;
    escalatedBecause?: string;
    /** The case event (EscalationRequested) this climb honours, when the case-management system asked. */
    requestEventId?: string;
  };
  EscalationResolved: RuleReference & { escalationId: string; resolution: string };
  AllocationRequired: RuleReference & { reason: string; dueBy: LocalDate | null };
  /**
   * Computed from the date of birth when the case-management system does not send it; or, with
   * `warnAhead`, a warning this long before the birthday (the pack's `warnAhead`), which no rule acts on.
   */
  BirthdayApproaching: RuleReference & { ageYears: number; on: LocalDate; warnAhead?: string };
}

export type DecisionType = keyof DecisionDataByType;

export const DECISION_TYPES = [
  'TransferProposed',
  'TransferRescheduled',
  'TransferAccepted',
  'TransferRejected',
  'TransferDisputed',
  'TransferCompleted',
  'TransferWithdrawn',
  'ChecklistOpened',
  'ChecklistItemMet',
  'ChecklistCompleted',
  'EscalationRaised',
  'EscalationResolved',
  'AllocationRequired',
  'BirthdayApproaching',
  'CaseRetained',
  'CoWorkRequired',
  'CoWorkWithdrawn',
] as const satisfies readonly DecisionType[];

/**
 * A decision as the core returns it; the adapter adds the envelope (ids, metadata) when it stores
 * it. One member per type, so a `switch` on `type` narrows `data` (as CaseEvent does).
 */
export type Decision<T extends DecisionType = DecisionType> = { [K in T]: { type: K; data: DecisionDataByType[K] } }[T];

/** The transfer a decision is about, if it is about one (most of the lifecycle, checklists, some escalations). */
export const transferIdOf = (decision: Decision): string | undefined => ('transferId' in decision.data ? decision.data.transferId : undefined);

/**
 * The transfer or co-work a decision is about: what a proposal or co-work and its withdrawal share,
 * so a withdrawal can be matched to what it withdraws (allocation's generations, the tests' standing
 * decisions).
 */
export const subjectOf = (decision: Decision): string | undefined => transferIdOf(decision) ?? ('coWorkId' in decision.data ? decision.data.coWorkId : undefined);

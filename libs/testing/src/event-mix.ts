/**
 * A generated, realistic mix of case events across the five shipped packs: each child follows a
 * journey its authority's procedure describes (referral, threshold decision, allocation,
 * assessment, conferences, meetings scheduled, pre-proceedings, orders, accommodation, reviews,
 * birthdays), cut at a random stage and sprinkled with events that fire no rule (core groups,
 * CIN reviews, moves within the authority), so a stream looks like a caseload, not a test.
 *
 * Deterministic for a seed, so every benchmark and every round sees the same events.
 */
import type { CaseEvent, CaseEventDataByType, CaseEventType, LocalDate } from '@cto/domain';

type Step = { [T in CaseEventType]: { type: T; data: CaseEventDataByType[T] } }[CaseEventType];

const step = <T extends CaseEventType>(type: T, data: CaseEventDataByType[T]): Step => ({ type, data }) as Step;

/** A journey per authority, in the words and teams of its pack (policies/*.yaml). */
const JOURNEYS: Record<string, { steps: Step[]; birthdayAge?: number }> = {
  // internal-transfer-v11 (000): C-SPOC → A&I → FSP (ICPC, ¶12) → CLA (final order) → 16+ (15½)
  demo: {
    birthdayAge: 15.5,
    steps: [
      step('ReferralReceived', { referralSource: 'school', concerns: ['neglect'] }),
      step('ChildDetailsRecorded', {}),
      step('WorkerAllocated', { team: 'A&I', workerId: 'W-AI' }),
      step('AssessmentCompleted', { assessment: 'section-47', outcome: 'child-protection-conference' }),
      step('ICPCHeld', { outcome: 'cp-plan', concerns: ['neglect'] }),
      step('MeetingScheduled', { kind: 'initial-core-group', on: '+7' as LocalDate }),
      step('WorkerAllocated', { team: 'FSP', workerId: 'W-FSP' }),
      step('CoreGroupHeld', { sequence: 1 }),
      step('PLOStarted', {}),
      step('OrderMade', { order: 'ICO' }),
      step('OrderMade', { order: 'care-order' }),
      step('WorkerAllocated', { team: 'CLA', workerId: 'W-CLA' }),
      step('CLAReviewHeld', { sequence: 1, plan: 'long-term-fostering' }),
      step('BirthdayApproaching', { ageYears: 15.5, on: '+0' as LocalDate }),
    ],
  },
  // case-transfer-protocol-2023 (001): MASH → Assessment → Safeguarding (ICPC) → Permanence → Pathway
  'protocol-2023': {
    birthdayAge: 17.5,
    steps: [
      step('ReferralReceived', { referralSource: 'police' }),
      step('ChildDetailsRecorded', {}),
      step('ThresholdDecisionMade', { decision: 'statutory-assessment' }),
      step('WorkerAllocated', { team: 'Assessment', workerId: 'W-AS' }),
      step('AssessmentCompleted', { assessment: 'child-and-family', outcome: 'child-protection-conference', primaryIssue: 'neglect' }),
      step('ICPCHeld', { outcome: 'cp-plan' }),
      step('WorkerAllocated', { team: 'Safeguarding', workerId: 'W-SG' }),
      step('RCPCHeld', { outcome: 'cp-plan-continues' }),
      step('ChildAccommodated', { legalBasis: 's20' }),
      step('OrderMade', { order: 'care-order' }),
      step('WorkerAllocated', { team: 'Permanence', workerId: 'W-PE' }),
      step('CLAReviewHeld', { sequence: 1, plan: 'long-term-fostering' }),
      step('BirthdayApproaching', { ageYears: 17.5, on: '+0' as LocalDate }),
    ],
  },
  // casework-transfer-policy (002): MASH → CAI → Court (proceedings) → CLA → LCS (16)
  'casework-transfer': {
    birthdayAge: 16,
    steps: [
      step('ReferralReceived', { referralSource: 'health' }),
      step('ChildDetailsRecorded', {}),
      step('WorkerAllocated', { team: 'CAI', workerId: 'W-CAI' }),
      step('StrategyDiscussionHeld', { outcome: 'section-47-enquiry' }),
      step('CareProceedingsIssued', { urgent: true }),
      step('MeetingScheduled', { kind: 'epo-ico-hearing', on: '+3' as LocalDate }),
      step('HearingHeld', { kind: 'initial' }),
      step('WorkerAllocated', { team: 'Court', workerId: 'W-CT' }),
      step('OrderMade', { order: 'ICO' }),
      step('OrderMade', { order: 'care-order' }),
      step('WorkerAllocated', { team: 'CLA', workerId: 'W-CLA' }),
      step('BirthdayApproaching', { ageYears: 16, on: '+0' as LocalDate }),
      step('CLAReviewHeld', { sequence: 2, plan: 'long-term-fostering' }),
    ],
  },
  // kent (003): Front-Door → CSWT → AST (exploitation) → CSWT (ICPC, parenting) → CIC (s20 > 4 weeks) → 18+
  kent: {
    birthdayAge: 17.5,
    steps: [
      step('ReferralReceived', { referralSource: 'school', concerns: ['exploitation'] }),
      step('ChildDetailsRecorded', {}),
      step('WorkerAllocated', { team: 'CSWT', workerId: 'W-CSWT' }),
      step('AssessmentCompleted', { assessment: 'child-and-family', outcome: 'child-in-need', primaryIssue: 'child-exploitation' }),
      step('MeetingScheduled', { kind: 'initial-cin-meeting', on: '+10' as LocalDate }),
      step('WorkerAllocated', { team: 'AST', workerId: 'W-AST' }),
      step('ICPCHeld', { outcome: 'cp-plan', concerns: ['parenting'] }),
      step('WorkerAllocated', { team: 'CSWT', workerId: 'W-CSWT2' }),
      step('ChildAccommodated', { legalBasis: 's20', expectedDurationWeeks: 12 }),
      step('MeetingScheduled', { kind: 'initial-cic-review', on: '+20' as LocalDate }),
      step('WorkerAllocated', { team: 'CIC', workerId: 'W-CIC' }),
      step('CLAReviewHeld', { sequence: 1, plan: 'long-term-fostering' }),
      step('BirthdayApproaching', { ageYears: 17.5, on: '+0' as LocalDate }),
    ],
  },
  // southampton (004): CRS → CFF (early help) → CRS (step up) → BIT → SWF (accommodated) → Adoption
  southampton: {
    steps: [
      step('ReferralReceived', { referralSource: 'health' }),
      step('ChildDetailsRecorded', {}),
      step('ThresholdDecisionMade', { decision: 'early-help' }),
      step('WorkerAllocated', { team: 'CFF', workerId: 'W-CFF' }),
      step('ThresholdDecisionMade', { decision: 'step-up-to-social-care' }),
      step('WorkerAllocated', { team: 'BIT', workerId: 'W-BIT' }),
      step('ChildAccommodated', { legalBasis: 's20' }),
      step('MeetingScheduled', { kind: 'bit-swf-transfer-meeting', on: '+5' as LocalDate }),
      step('WorkerAllocated', { team: 'SWF', workerId: 'W-SWF' }),
      step('CLAReviewHeld', { sequence: 1, plan: 'adoption' }),
      step('CLAReviewHeld', { sequence: 2, plan: 'adoption' }),
      step('OrderMade', { order: 'placement-order' }),
    ],
  },
};

/** Events that fire no rule in most states: a caseload has many of them. */
const NOISE: Step[] = [
  step('CoreGroupHeld', { sequence: 2 }),
  step('CINReviewHeld', { outcome: 'plan-continues' }),
  step('ChildMoved', { destination: 'within-authority', planned: true }),
  step('StrategyDiscussionHeld', { outcome: 'child-in-need' }),
];

export const AUTHORITIES = Object.keys(JOURNEYS);

/** A small, fast, seeded PRNG (mulberry32), so generation is reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
const dateOf = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10) as LocalDate;

export interface GeneratedChild {
  authority: string;
  childId: string;
  familyId?: string;
  events: CaseEvent[];
}

export interface MixOptions {
  children: number;
  seed?: number;
  /** Prefix of child and event ids, so separate runs and rounds never share ids. */
  prefix?: string;
  /** Whole journeys (for end-to-end runs) instead of a random stage of each. */
  complete?: boolean;
}

/**
 * `children` children spread over the five authorities, each with a journey cut at a random stage
 * (at least 3 events) and about one noise event in four. About 9 events per child on average.
 */
export function generateChildren(options: MixOptions): GeneratedChild[] {
  const rnd = random(options.seed ?? 20260302);
  const prefix = options.prefix ?? 'bench';
  const start = Date.UTC(2024, 0, 8);
  const children: GeneratedChild[] = [];
  for (let c = 0; c < options.children; c++) {
    const authority = AUTHORITIES[c % AUTHORITIES.length];
    const journey = JOURNEYS[authority];
    const childId = `${prefix}-C${c}`;
    const familyId = rnd() < 0.3 ? `${prefix}-F${c}` : undefined;
    const length = options.complete ? journey.steps.length : 3 + Math.floor(rnd() * (journey.steps.length - 2));
    let at = start + Math.floor(rnd() * 700) * DAY_MS;
    const dated: Array<{ step: Step; on: LocalDate }> = [];
    for (let i = 0; i < length; i++) {
      at += (3 + Math.floor(rnd() * 25)) * DAY_MS;
      dated.push({ step: journey.steps[i], on: dateOf(at) });
      if (!options.complete && rnd() < 0.25) {
        at += (1 + Math.floor(rnd() * 10)) * DAY_MS;
        dated.push({ step: NOISE[Math.floor(rnd() * NOISE.length)], on: dateOf(at) });
      }
    }
    // The date of birth makes the journey's birthday fall on its day; otherwise a child of 2–15.
    const birthday = dated.find((d) => d.step.type === 'BirthdayApproaching');
    const ageAtBirthday = journey.birthdayAge ?? 0;
    const birthMs = birthday
      ? Date.parse(birthday.on) - Math.round(ageAtBirthday * 365.25) * DAY_MS
      : Date.parse(dated[0].on) - Math.floor((2 + rnd() * 13) * 365.25) * DAY_MS;
    const dateOfBirth = dateOf(birthMs);
    const events = dated.map(({ step: s, on }, n): CaseEvent => {
      // Dates in a journey are offsets; each child's are its own.
      const body: Step =
        s.type === 'ChildDetailsRecorded'
          ? { type: s.type, data: { dateOfBirth } }
          : s.type === 'MeetingScheduled'
            ? { type: s.type, data: { kind: s.data.kind, on: dateOf(Date.parse(on) + Number(s.data.on) * DAY_MS) } }
            : s.type === 'BirthdayApproaching'
              ? { type: s.type, data: { ageYears: s.data.ageYears, on } }
              : s;
      return { eventId: `${childId}-e${n}`, authority, childId, ...(familyId ? { familyId } : {}), occurredAt: `${on}T10:00:00Z`, source: 'bench', ...body };
    });
    children.push({ authority, childId, ...(familyId ? { familyId } : {}), events });
  }
  return children;
}

export const eventCount = (children: readonly GeneratedChild[]): number => children.reduce((n, c) => n + c.events.length, 0);

/**
 * One child's records → the child's case events, what the mapping had to assume, and where the
 * child stands at the end of the payload. The child has passed the schema and `childProblems`;
 * everything here follows contracts/imports/csc-api.mapping.yaml (`mapping`), whose comments say
 * why each rule is what it is.
 */
import { createHash } from 'node:crypto';
import { dateOfAge, type CaseEvent, type CaseEventBody, type CaseEventDataByType, type LocalDate } from '@cto/domain';
import type { CurrentInvolvement, ImportedChild } from '../caseload';
import { periodsOfCare, type At, type ChildView, type EpisodeView, type PeriodOfCare } from './child-view';
import type { CscApiMapping, EpisodeRecordArray } from './mapping';
import type { CscPlacement } from './payload';

export const CSC_API_SOURCE = 'csc-api';

// The envelope's rule for event ids (contracts/events/case-event-envelope.schema.json).
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const MAX_EVENT_ID_LENGTH = 200;
const EIGHTEEN_YEARS = { years: 18, months: 0, weeks: 0, days: 0, workingDays: 0 };

/**
 * "csc-api:<childId>:<record part>" — the source, the child, the record's id and what happened,
 * nothing else, so a payload read twice gives the same ids. Longer than the envelope allows: a
 * slice of its sha256, still derived from the same parts.
 */
export function cscApiEventId(childId: string, recordPart: string): string {
  const id = `${CSC_API_SOURCE}:${childId}:${recordPart}`;
  if (id.length <= MAX_EVENT_ID_LENGTH && EVENT_ID.test(id)) return id;
  return `${CSC_API_SOURCE}:sha256:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

interface Emitted {
  event: CaseEvent;
  /** Reading order, for events on the same day. */
  seq: number;
}

export function mapChild(view: ChildView, authority: string, mapping: CscApiMapping): ImportedChild {
  const rules = mapping.records;
  const emitted: Emitted[] = [];
  const assumptions: string[] = [...view.purged];
  const assume = (line: string) => assumptions.push(line);

  const emit = (body: CaseEventBody, on: LocalDate, idTemplate: string, record: object) => {
    const recordPart = idTemplate.replace(/\{([a-z0-9_]+)\}/g, (_, field: string) => String((record as Record<string, unknown>)[field]));
    const event: CaseEvent = {
      eventId: cscApiEventId(view.childId, recordPart),
      authority,
      childId: view.childId,
      occurredAt: `${on}${mapping.timeOfDay}`,
      source: CSC_API_SOURCE,
      ...body,
    };
    emitted.push({ event, seq: emitted.length });
  };
  // A field named by the mapping: a date, or (referral_source) a code.
  const textOf = (record: object, field: string): string | undefined => {
    const value = (record as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  };

  // ---- child details -----------------------------------------------------------------------
  const details = view.details;
  if (details !== undefined) {
    const rule = rules.childDetails;
    const data: CaseEventDataByType['ChildDetailsRecorded'] = {};
    for (const [from, to] of Object.entries(rule.data)) {
      const value = (details as Record<string, unknown>)[from];
      if (value !== undefined) (data as Record<string, unknown>)[to] = value;
    }
    const disabilityCodes = (details.disabilities ?? []).filter((code) => !rule.noDisabilityCodes.includes(code));
    if (disabilityCodes.length > 0) {
      assume('the payload records a disability, but not whether it is permanent or substantial nor the level of impairment: no disability recorded');
    }
    if (Object.keys(data).length > 0) {
      const on = rule.on.map((field) => (field === 'earliestRecord' ? earliestRecordDate(view) : textOf(details, field))).find((d) => d !== undefined);
      if (on === undefined) assume('child details have no date to be recorded on (no date of birth, no dated record): not mapped');
      else emit({ type: 'ChildDetailsRecorded', data }, on, rule.id, details);
    }
    const uascEnded = textOf(details, rules.uascEnded.on);
    if (details.uasc_flag === true && uascEnded !== undefined) emit({ type: 'ChildDetailsRecorded', data: { ...rules.uascEnded.data } }, uascEnded, rules.uascEnded.id, details);
  }

  // ---- periods of care (read across episodes, emitted at their placements) -------------------
  const { periods, undated } = periodsOfCare(view, mapping);
  for (const p of undated) assume(`placement ${p.record.child_looked_after_placement_id} has no start date: not mapped`);
  const startsPeriod = new Map<At<CscPlacement>, PeriodOfCare>(periods.map((period) => [period.placements[0], period]));
  const endsPeriod = new Map<At<CscPlacement>, PeriodOfCare>(periods.map((period) => [period.placements[period.placements.length - 1], period]));

  // ---- episodes, in payload order ----------------------------------------------------------
  for (const episode of view.episodes) {
    const ep = episode.record;
    const epName = `episode ${ep.social_care_episode_id}`;

    const referredOn = textOf(ep, rules.referral.on);
    if (referredOn === undefined) {
      assume(`${epName} has no referral date: no ReferralReceived`);
    } else {
      const { from, codes, whenAbsent } = rules.referral.referralSource;
      const code = textOf(ep, from);
      if (code === undefined) assume(`${epName} has no referral source: recorded as '${whenAbsent}'`);
      emit({ type: 'ReferralReceived', data: { referralSource: code === undefined ? whenAbsent : (codes[code] ?? code) } }, referredOn, rules.referral.id, ep);
      if (ep.referral_no_further_action_flag === true) {
        const nfa = textOf(ep, rules.referralNoFurtherAction.on) as LocalDate;
        emit({ type: 'ThresholdDecisionMade', data: { ...rules.referralNoFurtherAction.data } }, nfa, rules.referralNoFurtherAction.id, ep);
      }
    }

    for (const { record: a } of episode.assessments) {
      const rule = rules.childAndFamilyAssessment;
      const on = textOf(a, rule.on);
      if (on === undefined) continue; // not yet completed: it shows in the child's current involvement
      const name = `child and family assessment ${a.child_and_family_assessment_id}`;
      const next = firstRecordFrom(episode, on, rule.outcome.nextRecord);
      const closure = ep.closure_date !== undefined && ep.closure_date >= on && ep.closure_reason !== undefined ? rule.outcome.closureReason[ep.closure_reason] : undefined;
      const outcome = next?.outcome ?? closure;
      if (outcome === undefined) {
        assume(`${name}: its outcome is not in the payload and nothing after it in ${epName} shows it: no AssessmentCompleted`);
        continue;
      }
      assume(`${name}: outcome ${outcome} read from ${next !== undefined ? `the ${describeArray(next.array)} that followed it` : `${epName}'s reason for closure ${ep.closure_reason}`}`);
      emit({ type: 'AssessmentCompleted', data: { ...rule.data, outcome } }, on, rule.id, a);
    }

    for (const { record: plan } of episode.childInNeedPlans) {
      const name = `child in need plan ${plan.child_in_need_plan_id}`;
      const started = textOf(plan, rules.cinPlanStarted.on);
      if (started === undefined) assume(`${name} has no start date: no ChildInNeedPlanStarted`);
      else emit({ type: 'ChildInNeedPlanStarted', data: {} }, started, rules.cinPlanStarted.id, plan);
      const ended = textOf(plan, rules.cinPlanEnded.on);
      if (ended === undefined) continue;
      const rule = rules.cinPlanEnded;
      const cpStarts = episode.childProtectionPlans.some((cp) => cp.record.start_date === ended);
      const closes = ep.closure_date === ended;
      const outcome = cpStarts ? rule.outcome.cpPlanStartsThatDay : closes ? rule.outcome.episodeClosesThatDay : undefined;
      if (outcome === undefined) {
        assume(`${name} ended, but the payload does not say why (no CP plan starts and ${epName} does not close that day): no CINReviewHeld`);
        continue;
      }
      assume(`${name} ended: recorded as a CIN review with outcome ${outcome}, as ${cpStarts ? 'a child protection plan starts' : `${epName} closes`} that day`);
      emit({ type: 'CINReviewHeld', data: { outcome } }, ended, rule.id, plan);
    }

    for (const { record: s47 } of episode.section47s) {
      const name = `section 47 enquiry ${s47.section_47_assessment_id}`;
      const started = textOf(s47, rules.strategyDiscussion.on);
      if (started === undefined) {
        assume(`${name} has no start date: no StrategyDiscussionHeld`);
      } else {
        assume(`${name}: its strategy discussion is dated on the enquiry's start (the payload has no strategy date)`);
        emit({ type: 'StrategyDiscussionHeld', data: { ...rules.strategyDiscussion.data } }, started, rules.strategyDiscussion.id, s47);
      }

      const ended = textOf(s47, rules.section47Completed.on);
      if (ended !== undefined) {
        const rule = rules.section47Completed;
        let outcome: CaseEventDataByType['AssessmentCompleted']['outcome'] | undefined;
        if (s47.icpc_required_flag === true || s47.icpc_date !== undefined) {
          outcome = rule.outcome.icpcRequired;
        } else {
          const next = firstRecordFrom(episode, ended, rule.outcome.nextRecord);
          if (next !== undefined) {
            outcome = next.outcome;
            assume(`${name}: outcome ${outcome} read from the ${describeArray(next.array)} that followed it`);
          } else if (s47.icpc_required_flag === false) {
            outcome = rule.outcome.icpcNotRequired;
            assume(`${name}: no conference was required and no plan followed: outcome recorded as ${outcome}`);
          } else {
            assume(`${name} ended, but its outcome is not in the payload and nothing after it shows it: no AssessmentCompleted`);
          }
        }
        if (outcome !== undefined) emit({ type: 'AssessmentCompleted', data: { ...rule.data, outcome } }, ended, rule.id, s47);
      }

      const conference = textOf(s47, rules.icpc.on);
      if (conference !== undefined) {
        const rule = rules.icpc;
        let outcome: CaseEventDataByType['ICPCHeld']['outcome'];
        if (episode.childProtectionPlans.some((cp) => cp.record.start_date === conference)) {
          outcome = rule.outcome.cpPlanStartsThatDay;
        } else if (episode.childInNeedPlans.some(({ record: p }) => p.start_date !== undefined && (p.start_date > conference || p.end_date === undefined || p.end_date >= conference))) {
          outcome = rule.outcome.cinPlanOpenOrFollows;
          assume(`${name}: its initial conference's outcome is not in the payload; a child in need plan was open or followed: recorded as ${outcome}`);
        } else {
          outcome = rule.outcome.otherwise;
          assume(`${name}: its initial conference's outcome is not in the payload and no plan followed: recorded as ${outcome}`);
        }
        emit({ type: 'ICPCHeld', data: { outcome } }, conference, rule.id, s47);
      }
    }

    for (const { record: plan } of episode.childProtectionPlans) {
      const name = `child protection plan ${plan.child_protection_plan_id}`;
      const started = textOf(plan, rules.cpPlanWithoutIcpc.on);
      if (started === undefined) {
        assume(`${name} has no start date: not recorded as started`);
      } else if (!episode.section47s.some((s) => s.record.icpc_date === started)) {
        assume(`${name} starts on no initial conference's date in the payload: an initial conference that day is assumed`);
        emit({ type: 'ICPCHeld', data: { ...rules.cpPlanWithoutIcpc.data } }, started, rules.cpPlanWithoutIcpc.id, plan);
      }
      const ended = textOf(plan, rules.cpPlanEnded.on);
      if (ended === undefined) continue;
      const rule = rules.cpPlanEnded;
      const cinStarts = episode.childInNeedPlans.some((p) => p.record.start_date === ended);
      const closes = ep.closure_date === ended;
      const outcome = cinStarts ? rule.outcome.cinPlanStartsThatDay : closes ? rule.outcome.episodeClosesThatDay : undefined;
      if (outcome === undefined) {
        assume(`${name} ended, but the payload does not say why (no CIN plan starts and ${epName} does not close that day): no RCPCHeld`);
        continue;
      }
      assume(`${name} ended: recorded as a review conference with outcome ${outcome}, as ${cinStarts ? 'a child in need plan starts' : `${epName} closes`} that day`);
      emit({ type: 'RCPCHeld', data: { outcome } }, ended, rule.id, plan);
    }

    for (const placement of episode.placements) {
      const period = startsPeriod.get(placement);
      if (period !== undefined) accommodated(placement);
      if (endsPeriod.get(placement) !== undefined) ceased(placement);
    }

    const closedOn = textOf(ep, rules.caseClosed.on);
    if (closedOn !== undefined) {
      const stillOpen = view.episodes.find(
        (other) => other !== episode && other.record.referral_date !== undefined && other.record.referral_date <= closedOn && (other.record.closure_date === undefined || other.record.closure_date > closedOn),
      );
      if (stillOpen !== undefined) {
        assume(`${epName} closed while episode ${stillOpen.record.social_care_episode_id} was open: no CaseClosed`);
      } else {
        const rule = rules.caseClosed;
        const code = ep.closure_reason;
        const data = code === undefined ? {} : { reason: rule.reasons[code] ?? rule.otherwise.replace('{code}', code) };
        emit({ type: 'CaseClosed', data: data }, closedOn, rule.id, ep);
      }
    }
  }

  function accommodated(first: At<CscPlacement>): void {
    const rule = rules.periodOfCareStarted;
    const p = first.record;
    const name = `placement ${p.child_looked_after_placement_id}`;
    if (p.start_reason !== undefined && !rule.startReasons.includes(p.start_reason)) {
      assume(`${name} begins a period of care, but its reason for new episode is ${p.start_reason}, not ${rule.startReasons.join(' or ')}`);
    }
    assume(`${name}: the payload has no legal status: the period of care it begins is recorded as accommodated under ${rule.legalBasis.assumed}`);
    emit({ type: 'ChildAccommodated', data: { legalBasis: rule.legalBasis.assumed } }, textOf(p, rule.on) as LocalDate, rule.id, p);
  }

  function ceased(last: At<CscPlacement>): void {
    const rule = rules.periodOfCareEnded;
    const p = last.record;
    const name = `placement ${p.child_looked_after_placement_id}`;
    const on = textOf(p, rule.on);
    if (on === undefined) return; // still placed
    if (p.end_reason !== undefined && rule.continues.includes(p.end_reason)) {
      assume(`${name} ends with ${p.end_reason} (a new episode begins), but no placement follows it: the child is taken to be still looked after`);
      return;
    }
    const code = p.end_reason;
    const dob = view.details?.date_of_birth;
    const aged18OrOver = dob !== undefined && dateOfAge(dob, EIGHTEEN_YEARS) <= on;
    let reason = code === undefined ? undefined : rule.reasons[code];
    if (code !== undefined && aged18OrOver && rule.reasonsAged18OrOver[code] !== undefined) {
      reason = rule.reasonsAged18OrOver[code];
      assume(`${name}: care ended with reason ${code} when the child was 18 or over: recorded as ${reason}`);
    } else if (reason === undefined) {
      reason = rule.otherwise;
      assume(`${name}: ${code === undefined ? 'no reason episode ceased is given' : `reason episode ceased ${code} is not in the mapping`}: recorded as ${reason}`);
    } else if (reason === rule.otherwise) {
      assume(`${name}: reason episode ceased ${code} has no closer match among ChildCeasedLookedAfter's reasons: recorded as ${reason}`);
    }
    emit({ type: 'ChildCeasedLookedAfter', data: { reason } }, on, rule.id, p);
  }

  // Events happen in date order; on the same day, in the order they were read.
  emitted.sort((a, b) => (a.event.occurredAt < b.event.occurredAt ? -1 : a.event.occurredAt > b.event.occurredAt ? 1 : a.seq - b.seq));
  const current = currentInvolvement(view, periods, mapping);
  return { childId: view.childId, events: emitted.map((e) => e.event), ...(current === undefined ? {} : { current }), assumptions };
}

/** The first record of the episode (of the kinds the rule names) starting on or after `from`; on one day, the rule's order. */
function firstRecordFrom<O>(episode: EpisodeView, from: LocalDate, rule: Partial<Record<EpisodeRecordArray, O>>): { array: EpisodeRecordArray; outcome: O } | undefined {
  const startsOf: Record<EpisodeRecordArray, (LocalDate | undefined)[]> = {
    section_47_assessments: episode.section47s.map((r) => r.record.start_date),
    child_protection_plans: episode.childProtectionPlans.map((r) => r.record.start_date),
    child_in_need_plans: episode.childInNeedPlans.map((r) => r.record.start_date),
  };
  let best: { array: EpisodeRecordArray; outcome: O; on: LocalDate } | undefined;
  for (const [array, outcome] of Object.entries(rule) as [EpisodeRecordArray, O][]) {
    for (const on of startsOf[array]) {
      if (on !== undefined && on >= from && (best === undefined || on < best.on)) best = { array, outcome, on };
    }
  }
  return best;
}

const ARRAY_WORDS: Record<EpisodeRecordArray, string> = {
  section_47_assessments: 'section 47 enquiry',
  child_protection_plans: 'child protection plan',
  child_in_need_plans: 'child in need plan',
};
const describeArray = (array: EpisodeRecordArray) => ARRAY_WORDS[array];

/** The earliest date of any of the child's (unpurged) records. */
function earliestRecordDate(view: ChildView): LocalDate | undefined {
  const dates: (LocalDate | undefined)[] = view.episodes.flatMap((e) => [
    e.record.referral_date,
    e.record.closure_date,
    ...e.assessments.flatMap((a) => [a.record.start_date, a.record.authorisation_date]),
    ...[...e.childInNeedPlans, ...e.childProtectionPlans].flatMap((p) => [p.record.start_date, p.record.end_date]),
    ...e.section47s.flatMap((s) => [s.record.start_date, s.record.icpc_date, s.record.end_date]),
    ...e.placements.flatMap((p) => [p.record.start_date, p.record.end_date]),
  ]);
  return dates.filter((d): d is LocalDate => d !== undefined).sort()[0];
}

/**
 * Where the child stands at the end of the payload: the first kind in the mapping's precedence
 * the child has open (no end date, in an episode not closed), the latest opened of that kind;
 * else closed since the latest closure. Undefined for a child with nothing dated.
 */
function currentInvolvement(view: ChildView, periods: PeriodOfCare[], mapping: CscApiMapping): CurrentInvolvement | undefined {
  type Candidate = { since: LocalDate; code?: string };
  const latest = (candidates: Candidate[]): Candidate | undefined =>
    candidates.reduce<Candidate | undefined>((best, c) => (best === undefined || c.since >= best.since ? c : best), undefined);
  const openEpisodes = view.episodes.filter((e) => e.record.closure_date === undefined);
  const startsOf = <T extends { start_date?: LocalDate }>(records: At<T>[], open: (r: T) => boolean, code?: (r: T) => string | undefined) =>
    records.flatMap(({ record }) => (record.start_date !== undefined && open(record) ? [withCode({ since: record.start_date }, code?.(record))] : []));

  const lastPeriod = periods[periods.length - 1];
  const lastPlacement = lastPeriod?.placements[lastPeriod.placements.length - 1].record;
  const lastPeriodOpen =
    lastPlacement !== undefined &&
    (lastPlacement.end_date === undefined || (lastPlacement.end_reason !== undefined && mapping.records.periodOfCareEnded.continues.includes(lastPlacement.end_reason)));
  const leftCareOn = lastPlacement !== undefined && !lastPeriodOpen ? lastPlacement.end_date : undefined;
  const careLeavers = view.episodes.flatMap((e) => (e.careLeaver === undefined ? [] : [e.careLeaver]));
  const latestContact = latest(careLeavers.flatMap((c) => (c.contact_date === undefined ? [] : [withCode({ since: c.contact_date }, c.activity)])));

  const open: Record<(typeof mapping.current.precedence)[number], () => Candidate | undefined> = {
    'looked-after': () => (lastPeriodOpen ? withCode({ since: lastPeriod.placements[0].record.start_date as LocalDate }, lastPlacement.placement_type) : undefined),
    'child-protection': () => latest(openEpisodes.flatMap((e) => startsOf(e.childProtectionPlans, (p) => p.end_date === undefined))),
    'child-in-need': () => latest(openEpisodes.flatMap((e) => startsOf(e.childInNeedPlans, (p) => p.end_date === undefined))),
    assessment: () =>
      latest(
        openEpisodes.flatMap((e) => [
          ...startsOf(e.assessments, (a) => a.authorisation_date === undefined),
          ...startsOf(e.section47s, (s) => s.end_date === undefined),
        ]),
      ),
    'care-leaver': () =>
      careLeavers.length === 0 ? undefined : leftCareOn !== undefined ? withCode({ since: leftCareOn }, latestContact?.code) : latestContact,
    referral: () =>
      latest(openEpisodes.flatMap((e) => (e.record.referral_date === undefined ? [] : [withCode({ since: e.record.referral_date }, e.record.referral_source)]))),
  };
  for (const kind of mapping.current.precedence) {
    const found = open[kind]();
    if (found !== undefined) return { kind, ...found };
  }
  const closed = latest(view.episodes.flatMap((e) => (e.record.closure_date === undefined ? [] : [withCode({ since: e.record.closure_date }, e.record.closure_reason)])));
  return closed === undefined ? undefined : { kind: 'closed', ...closed };
}

function withCode<T extends { since: LocalDate }>(candidate: T, code: string | undefined): T & { code?: string } {
  return code === undefined ? candidate : { ...candidate, code };
}

/**
 * One child's records as the mapping reads them: records a sender asked to delete (purge: true)
 * left out, each kept with its JSON Pointer, and the checks that refuse a child whose records
 * cannot all be true at once (a plan ending before it starts, one id used for two records,
 * placements that overlap).
 */
import type { LocalDate } from '@cto/domain';
import type { CscApiMapping } from './mapping';
import {
  pointerTo,
  type CscAssessment,
  type CscCareLeaver,
  type CscChild,
  type CscChildDetails,
  type CscChildInNeedPlan,
  type CscChildProtectionPlan,
  type CscEpisode,
  type CscPlacement,
  type CscSection47,
  type PayloadProblem,
} from './payload';

/** A record and where it is in the payload. */
export interface At<T> {
  record: T;
  path: string;
  episode: EpisodeView;
}

export interface EpisodeView {
  record: CscEpisode;
  path: string;
  assessments: At<CscAssessment>[];
  childInNeedPlans: At<CscChildInNeedPlan>[];
  section47s: At<CscSection47>[];
  childProtectionPlans: At<CscChildProtectionPlan>[];
  placements: At<CscPlacement>[];
  careLeaver?: CscCareLeaver;
}

export interface ChildView {
  childId: string;
  details?: CscChildDetails;
  episodes: EpisodeView[];
  /** What was left out because its sender asked for it to be deleted, in words for the report. */
  purged: string[];
}

/** A run of placements with no day out of care between them. */
export interface PeriodOfCare {
  placements: At<CscPlacement>[];
}

/** Reads a schema-valid child record; `path` is the child's JSON Pointer in the payload. */
export function viewOf(child: CscChild, path: string): ChildView {
  const purged: string[] = [];
  const details = child.child_details?.purge === true ? undefined : child.child_details;
  if (child.child_details?.purge === true) purged.push('child details marked purge: true: not imported');

  const episodes: EpisodeView[] = [];
  (child.social_care_episodes ?? []).forEach((record, index) => {
    const episodePath = pointerTo(pointerTo(path, 'social_care_episodes'), index);
    if (record.purge === true) {
      purged.push(`episode ${record.social_care_episode_id} marked purge: true: nothing of it imported`);
      return;
    }
    const episode: EpisodeView = {
      record,
      path: episodePath,
      assessments: [],
      childInNeedPlans: [],
      section47s: [],
      childProtectionPlans: [],
      placements: [],
      careLeaver: record.care_leavers?.purge === true ? undefined : record.care_leavers,
    };
    const live = <T extends { purge?: boolean }>(array: string, records: T[] | undefined, name: (r: T) => string): At<T>[] =>
      (records ?? []).flatMap((r, i) => {
        if (r.purge !== true) return [{ record: r, path: pointerTo(pointerTo(episodePath, array), i), episode }];
        purged.push(`${name(r)} marked purge: true: not imported`);
        return [];
      });
    episode.assessments = live('child_and_family_assessments', record.child_and_family_assessments, (r) => `child and family assessment ${r.child_and_family_assessment_id}`);
    episode.childInNeedPlans = live('child_in_need_plans', record.child_in_need_plans, (r) => `child in need plan ${r.child_in_need_plan_id}`);
    episode.section47s = live('section_47_assessments', record.section_47_assessments, (r) => `section 47 enquiry ${r.section_47_assessment_id}`);
    episode.childProtectionPlans = live('child_protection_plans', record.child_protection_plans, (r) => `child protection plan ${r.child_protection_plan_id}`);
    episode.placements = live('child_looked_after_placements', record.child_looked_after_placements, (r) => `placement ${r.child_looked_after_placement_id}`);
    episodes.push(episode);
  });
  return { childId: child.la_child_id, details, episodes, purged };
}

/** Every reason to refuse this child that the schema cannot see. */
export function childProblems(view: ChildView, mapping: CscApiMapping): PayloadProblem[] {
  return [...endsBeforeStarts(view), ...repeatedIds(view), ...periodsOfCare(view, mapping).overlaps];
}

function endsBeforeStarts(view: ChildView): PayloadProblem[] {
  const problems: PayloadProblem[] = [];
  const check = (path: string, record: object, startField: string, endField: string) => {
    const start = (record as Record<string, unknown>)[startField];
    const end = (record as Record<string, unknown>)[endField];
    if (typeof start === 'string' && typeof end === 'string' && end < start) {
      problems.push({ path: pointerTo(path, endField), field: endField, reason: `ends before it starts: ${endField} is before ${startField}` });
    }
  };
  for (const episode of view.episodes) {
    check(episode.path, episode.record, 'referral_date', 'closure_date');
    (episode.record.care_worker_details ?? []).forEach((worker, i) =>
      check(pointerTo(pointerTo(episode.path, 'care_worker_details'), i), worker, 'start_date', 'end_date'),
    );
    for (const a of episode.assessments) check(a.path, a.record, 'start_date', 'authorisation_date');
    for (const p of [...episode.childInNeedPlans, ...episode.section47s, ...episode.childProtectionPlans, ...episode.placements]) {
      check(p.path, p.record, 'start_date', 'end_date');
    }
  }
  return problems;
}

// Event ids are made from record ids, so one id used for two records of a kind would give two
// different facts the same id, and the second would be dropped as a repeat.
function repeatedIds(view: ChildView): PayloadProblem[] {
  const problems: PayloadProblem[] = [];
  const kinds: [string, (e: EpisodeView) => { path: string; id: string }[]][] = [
    ['social_care_episode_id', (e) => [{ path: e.path, id: e.record.social_care_episode_id }]],
    ['child_and_family_assessment_id', (e) => e.assessments.map((a) => ({ path: a.path, id: a.record.child_and_family_assessment_id }))],
    ['child_in_need_plan_id', (e) => e.childInNeedPlans.map((a) => ({ path: a.path, id: a.record.child_in_need_plan_id }))],
    ['section_47_assessment_id', (e) => e.section47s.map((a) => ({ path: a.path, id: a.record.section_47_assessment_id }))],
    ['child_protection_plan_id', (e) => e.childProtectionPlans.map((a) => ({ path: a.path, id: a.record.child_protection_plan_id }))],
    ['child_looked_after_placement_id', (e) => e.placements.map((a) => ({ path: a.path, id: a.record.child_looked_after_placement_id }))],
  ];
  for (const [field, recordsOf] of kinds) {
    const seen = new Map<string, string>();
    for (const { path, id } of view.episodes.flatMap(recordsOf)) {
      const first = seen.get(id);
      if (first === undefined) seen.set(id, path);
      else problems.push({ path: pointerTo(path, field), field, reason: `is used by another record of this child too (${first}): event ids are made from it` });
    }
  }
  return problems;
}

/**
 * The child's periods of care: placements from every episode in date order, a placement that
 * starts on the day the one before it ended (with a reason that continues care, or none)
 * continuing its period. A placement starting before the one before it has ended is an overlap.
 */
export function periodsOfCare(view: ChildView, mapping: CscApiMapping): { periods: PeriodOfCare[]; undated: At<CscPlacement>[]; overlaps: PayloadProblem[] } {
  const all = view.episodes.flatMap((e) => e.placements);
  const undated = all.filter((p) => p.record.start_date === undefined);
  // Array.prototype.sort is stable: placements starting on the same day keep payload order.
  const dated = all.filter((p) => p.record.start_date !== undefined).sort((a, b) => compare(a.record.start_date, b.record.start_date));
  const periods: PeriodOfCare[] = [];
  const overlaps: PayloadProblem[] = [];
  let previous: At<CscPlacement> | undefined;
  for (const placement of dated) {
    const start = placement.record.start_date as LocalDate;
    const previousEnd = previous?.record.end_date;
    if (previous !== undefined && (previousEnd === undefined || start < previousEnd)) {
      overlaps.push({
        path: pointerTo(placement.path, 'start_date'),
        field: 'start_date',
        reason: `overlaps placement ${previous.record.child_looked_after_placement_id} (${previous.path}), which ${previousEnd === undefined ? 'has not ended' : 'ends later'}: periods of care cannot overlap`,
      });
      continue;
    }
    const endReason = previous?.record.end_reason;
    const continues =
      previous !== undefined && previousEnd === start && (endReason === undefined || mapping.records.periodOfCareEnded.continues.includes(endReason));
    if (continues) periods[periods.length - 1].placements.push(placement);
    else periods.push({ placements: [placement] });
    previous = placement;
  }
  return { periods, undated, overlaps };
}

function compare(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

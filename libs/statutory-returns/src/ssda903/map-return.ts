/**
 * From the return's tables (as read from CSV or XML) to a caseload of case events, by the mapping
 * (contracts/imports/ssda903.mapping.yaml). Pure: no IO, no clock; the same tables and mapping give
 * the same caseload, event ids included.
 *
 * Three passes:
 *  1. every record is checked on its own (dates, codes, required values, its child in the header);
 *  2. each child's episodes are put in date order and checked together (overlaps, an open episode
 *     followed by another, X1 and RNE agreeing with each other), which splits them into periods of
 *     care, and each review is placed in its period;
 *  3. the children with nothing refused are mapped to events.
 * A child with any refused record is refused whole (issue 17 item 6): it is in `refusedChildren`,
 * and none of its events are in `children`.
 */
import { createHash } from 'node:crypto';
import { hasReachedAge, type CaseEvent, type CaseEventBody, type LocalDate } from '@cto/domain';
import type { CurrentInvolvement, ImportedChild, MappedCaseload, Refusal } from '../caseload';
import type { LegalStatusMapping, NewEpisodeReasonMapping, Ssda903Mapping } from './mapping';
import type { ReturnRecord, ReturnTables } from './return-tables';

export const SSDA903_SOURCE = 'ssda903';

/** The envelope's patterns (contracts/events/case-event-envelope.schema.json). */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const AUTHORITY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_CHILD_ID = 100;
const MAX_EVENT_ID = 200;

/** The authority given to a reader is not one the envelope accepts. */
export class AuthorityInvalid extends Error {
  readonly code = 'AUTHORITY_INVALID';
  override readonly name = 'AuthorityInvalid';
  constructor(readonly authority: string) {
    super(`authority ${JSON.stringify(authority)} must be 1 to 63 lower-case letters, digits and '-', starting with a letter or digit`);
  }
}

/**
 * The id of an event mapped from the return: it derives from the source, the child, the record
 * (`episode:2025-01-03`) and the field (`LS`) only, so reading the same return again gives the same
 * ids and records nothing twice. Should the id not fit the envelope (too long, a character it does
 * not allow), it is `ssda903:sha256:` and the first 40 hex digits of the SHA-256 of the same parts.
 */
export function ssda903EventId(childId: string, record: string, field: string): string {
  const id = `${SSDA903_SOURCE}:${childId}:${record}:${field}`;
  if (id.length <= MAX_EVENT_ID && ID_PATTERN.test(id)) return id;
  const digest = createHash('sha256').update([SSDA903_SOURCE, childId, record, field].join('\u0000')).digest('hex');
  return `${SSDA903_SOURCE}:sha256:${digest.slice(0, 40)}`;
}

interface Episode {
  record: ReturnRecord;
  decom: LocalDate;
  rne: string;
  ls: string;
  dec?: LocalDate;
  rec?: string;
}

interface Review {
  record: ReturnRecord;
  on: LocalDate;
}

interface Uasc {
  record: ReturnRecord;
  duc?: LocalDate;
}

interface ChildRecords {
  childId: string;
  header: ReturnRecord;
  dateOfBirth?: LocalDate;
  episodes: Episode[];
  reviews: Review[];
  uasc: Uasc[];
}

interface PeriodOfCare {
  start: LocalDate;
  /** The date the child left care, when they did. */
  end?: LocalDate;
  episodes: Episode[];
}

export function mapReturn(tables: ReturnTables, authority: string, mapping: Ssda903Mapping): MappedCaseload {
  if (!AUTHORITY_PATTERN.test(authority)) throw new AuthorityInvalid(authority);
  const refusals: Refusal[] = [...tables.fileRefusals];
  const caseload = (childrenRead: number, children: ImportedChild[], refused: Set<string>): MappedCaseload => ({
    source: SSDA903_SOURCE,
    authority,
    childrenRead,
    children,
    refusals,
    refusedChildren: [...refused].sort(),
  });
  if (tables.unreadable) return caseload(0, [], new Set());

  if (tables.columnMissing) {
    // A table without a column the mapping reads: none of its records can be read whole, and any
    // child may have records in it, so every child the return names is refused (the file's
    // refusal, without a line, says which column). Its records are not checked one by one: each
    // would only repeat that the column is missing.
    const named = new Set<string>();
    for (const records of Object.values(tables.records)) {
      for (const record of records) {
        const childId = (record.values.CHILD ?? '').trim();
        if (childId !== '') named.add(childId);
      }
    }
    return caseload(named.size, [], named);
  }

  const check = new RecordChecks(mapping, refusals);
  const children = readChildren(tables, mapping, check);

  const imported: ImportedChild[] = [];
  for (const child of children.values()) {
    // A child refused already is not checked further: its episodes are incomplete, and checking
    // them together would only report the gaps its refused records left.
    if (check.refused.has(child.childId)) continue;
    const periods = periodsOfCare(child, mapping, check);
    const reviews = periods && placeReviews(child, periods, check);
    if (periods && reviews) imported.push(mapChild(child, periods, reviews, authority, mapping));
  }
  return caseload(check.named.size, imported, check.refused);
}

// --- Pass 1: each record on its own ------------------------------------------------------------

function readChildren(tables: ReturnTables, mapping: Ssda903Mapping, check: RecordChecks): Map<string, ChildRecords> {
  const children = new Map<string, ChildRecords>();
  for (const record of tables.records.Header) {
    const childId = check.childOf(record);
    if (childId === undefined) continue;
    const first = children.get(childId);
    if (first) {
      check.refuse(record, 'CHILD', `child ${childId} has a header record already (${where(first.header)}); a child has one header record`, childId);
      continue;
    }
    check.structure(record, childId);
    check.code(record, 'SEX', mapping.sex, 'sex code', childId);
    const dateOfBirth = check.date(record, 'DOB', childId, true);
    children.set(childId, { childId, header: record, dateOfBirth, episodes: [], reviews: [], uasc: [] });
  }

  const childFor = (record: ReturnRecord, what: string): ChildRecords | undefined => {
    const childId = check.childOf(record);
    if (childId === undefined) return undefined;
    const child = children.get(childId);
    if (!child) check.refuse(record, 'CHILD', `child ${childId} has ${what} but no header record: every child of the return has one`, childId);
    else check.structure(record, childId);
    return child;
  };

  for (const record of tables.records.Episodes) {
    const child = childFor(record, 'an episode');
    if (!child) continue;
    const { childId } = child;
    const decom = check.date(record, 'DECOM', childId, true);
    const rne = check.code(record, 'RNE', mapping.reasonsForNewEpisode, 'reason for new episode (RNE) code', childId);
    const ls = check.code(record, 'LS', mapping.legalStatuses, 'legal status (LS) code', childId);
    const dec = check.date(record, 'DEC', childId, false);
    const rec = check.code(record, 'REC', mapping.reasonsEpisodeCeased, 'reason episode ceased (REC) code', childId, false);
    const hasDec = check.text(record, 'DEC') !== '';
    const hasRec = check.text(record, 'REC') !== '';
    if (hasDec !== hasRec) {
      const [given, blank] = hasDec ? ['DEC', 'REC'] : ['REC', 'DEC'];
      check.refuse(record, blank, `${given} is given but ${blank} is blank: the date and the reason an episode ceased are both given or both left blank`, childId);
      continue;
    }
    if (decom && dec && dec <= decom) {
      const same = dec === decom;
      check.refuse(record, 'DEC', same ? `DEC is the same day as DECOM (${shown(decom)}): an episode cannot start and end on the same day` : `DEC ${shown(dec)} is before DECOM ${shown(decom)}`, childId);
      continue;
    }
    if (decom && rne && ls && (!hasDec || (dec && rec))) child.episodes.push({ record, decom, rne, ls, dec, rec });
  }

  for (const record of tables.records.Reviews) {
    const child = childFor(record, 'a review');
    if (!child) continue;
    const on = check.date(record, 'REVIEW', child.childId, true);
    const code = check.code(record, 'REVIEW_CODE', mapping.reviews.participation, 'review participation (REVIEW_CODE) code', child.childId);
    if (on && code) child.reviews.push({ record, on });
  }

  for (const record of tables.records.UASC) {
    const child = childFor(record, 'a UASC record');
    if (!child) continue;
    const flagColumn = mapping.xml.uascFlag;
    const flag = record.values[flagColumn] === undefined ? undefined : check.code(record, flagColumn, mapping.uascFlag, 'UASC flag', child.childId, false);
    const duc = check.date(record, 'DUC', child.childId, false);
    if (flag === '0' && duc) {
      check.refuse(record, 'DUC', `DUC is given but the ${flagColumn} flag is 0 (not a UASC): a date UASC status ceased needs a UASC`, child.childId);
      continue;
    }
    if (child.uasc.length > 0) {
      check.refuse(record, 'CHILD', `child ${child.childId} has a UASC record already (${where(child.uasc[0].record)}); a child has one`, child.childId);
      continue;
    }
    if (flag !== '0') child.uasc.push({ record, duc });
  }
  return children;
}

/** The checks of single values, each refusing the record (and so its child) when it fails. */
class RecordChecks {
  /** Every child id the return names, refused or not. */
  readonly named = new Set<string>();
  readonly refused = new Set<string>();

  constructor(
    private readonly mapping: Ssda903Mapping,
    private readonly refusals: Refusal[],
  ) {}

  refuse(record: ReturnRecord, column: string | undefined, reason: string, childId?: string): void {
    const field = column === undefined ? undefined : (record.names?.[column] ?? column);
    this.refusals.push({
      file: record.file,
      ...(record.line === undefined ? {} : { line: record.line }),
      ...(record.path === undefined ? {} : { path: record.path }),
      ...(field === undefined ? {} : { field }),
      ...(childId === undefined ? {} : { childId }),
      reason,
    });
    if (childId !== undefined) this.refused.add(childId);
  }

  text(record: ReturnRecord, column: string): string {
    return (record.values[column] ?? '').trim();
  }

  /** The reader refused the field already (an element given twice): it is not read again. */
  private refusedAlready(record: ReturnRecord, column: string): boolean {
    const field = record.names?.[column] ?? column;
    return (record.problems ?? []).some((p) => p.field === field);
  }

  /** The record's child id, or undefined (refused) when it has none the envelope accepts. */
  childOf(record: ReturnRecord): string | undefined {
    const childId = this.text(record, 'CHILD');
    if (childId === '') {
      this.refuse(record, 'CHILD', 'CHILD is blank: the record names no child, so it cannot be imported');
      return undefined;
    }
    this.named.add(childId);
    if (childId.length > MAX_CHILD_ID || !ID_PATTERN.test(childId)) {
      this.refuse(
        record,
        'CHILD',
        `child id ${JSON.stringify(childId.slice(0, 60))} is not one the case events accept: 1 to ${MAX_CHILD_ID} letters, digits, '.', '_', ':' and '-', starting with a letter or digit`,
        childId,
      );
    }
    return childId;
  }

  /** Problems the reader found in the record's shape (an XML element given twice). */
  structure(record: ReturnRecord, childId: string): void {
    for (const problem of record.problems ?? []) this.refuse(record, problem.field, problem.reason, childId);
  }

  /** A DD/MM/YYYY date as a LocalDate; blank is refused when required, else undefined. */
  date(record: ReturnRecord, column: string, childId: string, required: boolean): LocalDate | undefined {
    if (this.refusedAlready(record, column)) return undefined;
    const value = this.text(record, column);
    if (value === '') {
      if (required) this.refuse(record, column, `${column} is blank: it is required`, childId);
      return undefined;
    }
    const date = localDateOf(value);
    if (date === undefined) {
      this.refuse(record, column, `${column} ${JSON.stringify(value.slice(0, 40))} is not a date in the return's form ${this.mapping.dates.format} (a real day, such as 03/01/2025)`, childId);
    }
    return date;
  }

  /** An upper-cased code found in `codes`; blank is refused when required, else undefined. */
  code(record: ReturnRecord, column: string, codes: Record<string, unknown>, what: string, childId: string, required = true): string | undefined {
    if (this.refusedAlready(record, column)) return undefined;
    const value = this.text(record, column).toUpperCase();
    if (value === '') {
      if (required) this.refuse(record, column, `${column} is blank: it is required`, childId);
      return undefined;
    }
    if (!Object.hasOwn(codes, value)) {
      this.refuse(record, column, `${column} ${JSON.stringify(value.slice(0, 20))} is not a ${what} of the return (expected one of ${Object.keys(codes).join(', ')})`, childId);
      return undefined;
    }
    return value;
  }
}

const DATE_SHAPE = /^(\d{2})\/(\d{2})\/([1-9]\d{3})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** DD/MM/YYYY (the return's form, [V] rule_141) to 'YYYY-MM-DD', or undefined when it is not a real day. */
export function localDateOf(value: string): LocalDate | undefined {
  const match = DATE_SHAPE.exec(value);
  if (!match) return undefined;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const length = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > length) return undefined;
  return `${match[3]}-${match[2]}-${match[1]}`;
}

/** A LocalDate as the return writes it, for reasons a person reads beside the file. */
const shown = (date: LocalDate): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

const where = (record: ReturnRecord): string => (record.line !== undefined ? `line ${record.line}` : (record.path ?? record.file));

// --- Pass 2: a child's records together -------------------------------------------------------

/**
 * The child's episodes in date order, split into periods of care; undefined when they do not fit
 * together (each problem refused). An episode starts a period when it is the child's first in the
 * return or follows one that ended with the child leaving care; X1 ("episode ceases, and new episode
 * begins on same day") continues the period, so the next episode must start that day.
 */
function periodsOfCare(child: ChildRecords, mapping: Ssda903Mapping, check: RecordChecks): PeriodOfCare[] | undefined {
  const { childId } = child;
  const episodes = [...child.episodes].sort((a, b) => (a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : 0));
  child.episodes = episodes;
  const periods: PeriodOfCare[] = [];
  let fits = true;
  episodes.forEach((episode, i) => {
    const previous = episodes[i - 1];
    const starts = mapping.reasonsForNewEpisode[episode.rne].startsPeriodOfCare;
    if (previous === undefined) {
      periods.push({ start: episode.decom, episodes: [episode] });
      return;
    }
    const ended = previous.rec === undefined ? undefined : mapping.reasonsEpisodeCeased[previous.rec];
    let problem: [string, string] | undefined;
    if (previous.dec === undefined) {
      problem = ['DECOM', `the episode starting ${shown(episode.decom)} begins while the episode starting ${shown(previous.decom)} (${where(previous.record)}) is still open: a child has one open episode at a time, and episodes must not overlap`];
    } else if (episode.decom < previous.dec) {
      problem = ['DECOM', `the episode starting ${shown(episode.decom)} overlaps the episode starting ${shown(previous.decom)} (${where(previous.record)}), which ended on ${shown(previous.dec)}`];
    } else if (ended && !ended.leavesCare && episode.decom !== previous.dec) {
      problem = ['DECOM', `the episode before (${where(previous.record)}) ended on ${shown(previous.dec)} with ${previous.rec} (${ended.meaning}), but this one starts on ${shown(episode.decom)}`];
    } else if (ended && !ended.leavesCare && starts) {
      problem = ['RNE', `RNE ${episode.rne} (${mapping.reasonsForNewEpisode[episode.rne].meaning}), but the episode before (${where(previous.record)}) ended the same day with ${previous.rec}: the child did not leave care`];
    } else if (ended && ended.leavesCare && !starts) {
      problem = ['RNE', `the child left care on ${shown(previous.dec)} (REC ${previous.rec}, ${where(previous.record)}), but this episode's RNE ${episode.rne} (${mapping.reasonsForNewEpisode[episode.rne].meaning}) does not start a period of care`];
    }
    if (problem) {
      check.refuse(episode.record, problem[0], problem[1], childId);
      fits = false;
    } else if (ended?.leavesCare) {
      periods.push({ start: episode.decom, episodes: [episode] });
    } else {
      periods[periods.length - 1].episodes.push(episode);
    }
  });
  const last = episodes[episodes.length - 1];
  if (last?.rec !== undefined && !mapping.reasonsEpisodeCeased[last.rec].leavesCare) {
    check.refuse(last.record, 'REC', `REC ${last.rec} says a new episode begins on ${shown(last.dec!)}, but the child has no later episode`, childId);
    fits = false;
  }
  if (!fits) return undefined;
  for (const period of periods) {
    const end = period.episodes[period.episodes.length - 1];
    if (end.dec !== undefined) period.end = end.dec;
  }
  return periods;
}

/** Each review with its number in its period of care; undefined when one does not fit (refused). */
function placeReviews(child: ChildRecords, periods: PeriodOfCare[], check: RecordChecks): { review: Review; sequence: number }[] | undefined {
  const reviews = [...child.reviews].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const placed: { review: Review; sequence: number }[] = [];
  const held = new Map<PeriodOfCare, number>();
  let fits = true;
  reviews.forEach((review, i) => {
    const period = periods.find((p) => p.start <= review.on && (p.end === undefined || review.on <= p.end));
    if (reviews[i - 1]?.on === review.on) {
      check.refuse(review.record, 'REVIEW', `a second review on ${shown(review.on)} (the first is at ${where(reviews[i - 1].record)}); one review is recorded per day`, child.childId);
      fits = false;
    } else if (!period) {
      check.refuse(review.record, 'REVIEW', `the review on ${shown(review.on)} is outside every period of care in the child's episodes`, child.childId);
      fits = false;
    } else {
      const sequence = (held.get(period) ?? 0) + 1;
      held.set(period, sequence);
      placed.push({ review, sequence });
    }
  });
  return fits ? placed : undefined;
}

// --- Pass 3: a child's events -------------------------------------------------------------------

/** Ties on a date keep the return's order: the header, the UASC record, the episodes, the reviews. */
const RANK = { header: 0, uasc: 1, episode: 2, review: 3 } as const;

function mapChild(
  child: ChildRecords,
  periods: PeriodOfCare[],
  reviews: { review: Review; sequence: number }[],
  authority: string,
  mapping: Ssda903Mapping,
): ImportedChild {
  const { childId, episodes } = child;
  const dateOfBirth = child.dateOfBirth!;
  const assumptions = new Set<string>();
  const events: { on: LocalDate; rank: number; n: number; event: CaseEvent }[] = [];
  const emit = (body: CaseEventBody, on: LocalDate, rank: number, record: string, field: string) => {
    const event: CaseEvent = {
      eventId: ssda903EventId(childId, record, field),
      authority,
      childId,
      occurredAt: `${on}T${mapping.dates.timeOfDay}`,
      source: SSDA903_SOURCE,
      ...body,
    };
    events.push({ on, rank, n: events.length, event });
  };
  const dateOf = (occurs: 'firstEpisodeStart' | 'dateOfBirth') => (occurs === 'firstEpisodeStart' && episodes.length > 0 ? episodes[0].decom : dateOfBirth);
  const status = (code: string): LegalStatusMapping => mapping.legalStatuses[code];
  const useStatus = (code: string) => {
    const assumption = status(code).assumption;
    if (assumption) assumptions.add(assumption);
  };

  emit({ type: 'ChildDetailsRecorded', data: { dateOfBirth } }, dateOf(mapping.childDetails.dateOfBirthOccurs), RANK.header, 'header', 'DOB');
  const uasc = child.uasc[0];
  if (uasc) {
    emit({ type: 'ChildDetailsRecorded', data: { unaccompaniedAsylumSeeking: true } }, dateOf(mapping.childDetails.uascOccurs), RANK.uasc, 'uasc', 'UASC');
    if (uasc.duc) assumptions.add(`UASC status ceased on ${uasc.duc} (DUC): the case events have no field for the end of UASC status, so only the status is recorded`);
  }

  const first = episodes[0];
  if (first && !mapping.reasonsForNewEpisode[first.rne].startsPeriodOfCare) {
    const reason: NewEpisodeReasonMapping = mapping.reasonsForNewEpisode[first.rne];
    assumptions.add(
      `the return starts part-way through a period of care (the first episode, on ${first.decom}, has RNE ${first.rne}: ${reason.meaning}): the child is taken as looked after from ${first.decom}, on the legal status of that episode (an order as made that day), and reviews are numbered from the first in the return`,
    );
  }

  for (const period of periods) {
    period.episodes.forEach((episode, i) => {
      const record = `episode:${episode.decom}`;
      const ls = status(episode.ls);
      if (i === 0) {
        emit({ type: 'ChildAccommodated', data: { legalBasis: ls.legalBasis } }, episode.decom, RANK.episode, record, 'RNE');
        if (ls.order) emit({ type: 'OrderMade', data: { order: ls.order } }, episode.decom, RANK.episode, record, 'LS');
        useStatus(episode.ls);
      } else {
        const before = period.episodes[i - 1].ls;
        if (episode.ls !== before) {
          useStatus(episode.ls);
          if (ls.order) {
            emit({ type: 'OrderMade', data: { order: ls.order } }, episode.decom, RANK.episode, record, 'LS');
          } else {
            assumptions.add(
              `on ${episode.decom} the legal status changed from ${before} (${status(before).meaning}) to ${episode.ls} (${ls.meaning}): no case event records a change to a status that is not a court order, so the change is kept here`,
            );
          }
        }
      }
      if (episode.dec !== undefined && episode.rec !== undefined) {
        const ceased = mapping.reasonsEpisodeCeased[episode.rec];
        if (ceased.leavesCare) {
          const adult = hasReachedAge(dateOfBirth, years(18), episode.dec);
          const reason = adult && ceased.reasonAged18OrOver ? ceased.reasonAged18OrOver : ceased.reason;
          if (reason !== ceased.reason) {
            assumptions.add(
              `left care on ${episode.dec} aged 18 or over with REC ${episode.rec}: recorded as ${reason} (in the return REC gives the destination, and leaving care at 18 is told by the date of birth)`,
            );
          }
          emit({ type: 'ChildCeasedLookedAfter', data: { reason } }, episode.dec, RANK.episode, record, 'REC');
        }
      }
    });
  }

  for (const { review, sequence } of reviews) {
    emit({ type: 'CLAReviewHeld', data: { sequence, plan: mapping.reviews.plan } }, review.on, RANK.review, `review:${review.on}`, 'REVIEW');
    assumptions.add(mapping.reviews.assumption);
    assumptions.add(mapping.reviews.sequenceAssumption);
  }

  events.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.rank - b.rank || a.n - b.n));
  const current = currentInvolvement(child, periods, mapping);
  return { childId, events: events.map((e) => e.event), ...(current ? { current } : {}), assumptions: [...assumptions] };
}

const years = (n: number) => ({ years: n, months: 0, weeks: 0, days: 0, workingDays: 0 });

/** Where the last episode leaves the child (mapping `current`). */
function currentInvolvement(child: ChildRecords, periods: PeriodOfCare[], mapping: Ssda903Mapping): CurrentInvolvement | undefined {
  const period = periods[periods.length - 1];
  if (!period) return undefined;
  const last = period.episodes[period.episodes.length - 1];
  if (last.dec === undefined || last.rec === undefined) {
    return { kind: mapping.legalStatuses[last.ls].involvement, since: period.start, code: last.ls };
  }
  const ceased = mapping.reasonsEpisodeCeased[last.rec];
  const leaver = ceased.leavesCare && ceased.careLeaver && hasReachedAge(child.dateOfBirth!, years(mapping.current.careLeaverFromAge), last.dec);
  return { kind: leaver ? 'care-leaver' : 'closed', since: last.dec, code: last.rec };
}

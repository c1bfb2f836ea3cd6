/**
 * The fixture return (libs/statutory-returns/fixtures/ssda903/: nine children written from the
 * specification, "today" being 2026-12-07) read as CSV and as XML: the events of named children
 * exactly, the same events from both forms, the same ids on every reading, and every event valid
 * against its JSON Schema.
 */
import { CaseEventValidator } from '@cto/contracts';
import type { CaseEvent } from '@cto/domain';
import type { ImportedChild, MappedCaseload } from '../caseload';
import { readSsda903MappingFile } from './default-mapping';
import { AuthorityInvalid, ssda903EventId } from './map-return';
import { readSsda903Csv, readSsda903Xml } from './read-return';
import { csvFixture, fixture } from './test-fixtures';

const mapping = readSsda903MappingFile();
const readCsv = (): MappedCaseload => readSsda903Csv({ authority: 'kent', ...csvFixture('.') }, mapping);
const readXml = (): MappedCaseload => readSsda903Xml({ authority: 'kent', xml: fixture('return.xml') }, mapping);
const caseload = readCsv();

const child = (childId: string, from: MappedCaseload = caseload): ImportedChild => {
  const found = from.children.find((c) => c.childId === childId);
  if (!found) throw new Error(`${childId} was not imported`);
  return found;
};
/** A child's events as [date, type, data], the shape the scenarios below are written in. */
const timeline = (childId: string) => child(childId).events.map((e) => [e.occurredAt.slice(0, 10), e.type, e.data]);

const REVIEW_ASSUMPTIONS = [mapping.reviews.assumption, mapping.reviews.sequenceAssumption];

describe('the fixture return, read as CSV', () => {
  it('imports all nine children and refuses nothing', () => {
    expect(caseload).toEqual(expect.objectContaining({ source: 'ssda903', authority: 'kent', childrenRead: 9, refusals: [], refusedChildren: [] }));
    expect(caseload.children.map((c) => c.childId)).toEqual(['A1001', 'B2002', 'C3003', 'D4004', 'E5005', 'F6006', 'G7007', 'H8008', 'J9009']);
  });

  it('B2002: looked after under V2, then C1, then C2 — accommodated s20, then an ICO, then a care order, reviews numbered 1 to 4', () => {
    const event = (date: string, type: string, data: object, record: string, field: string) => ({
      eventId: `ssda903:B2002:${record}:${field}`,
      type,
      authority: 'kent',
      childId: 'B2002',
      occurredAt: `${date}T12:00:00Z`,
      source: 'ssda903',
      data,
    });
    expect(child('B2002')).toEqual({
      childId: 'B2002',
      events: [
        // The date of birth is recorded on the first episode's start (mapping childDetails), before all else that day.
        event('2025-01-03', 'ChildDetailsRecorded', { dateOfBirth: '2016-08-20' }, 'header', 'DOB'),
        event('2025-01-03', 'ChildAccommodated', { legalBasis: 's20' }, 'episode:2025-01-03', 'RNE'),
        event('2025-01-31', 'CLAReviewHeld', { sequence: 1, plan: 'other' }, 'review:2025-01-31', 'REVIEW'),
        event('2025-02-14', 'OrderMade', { order: 'ICO' }, 'episode:2025-02-14', 'LS'),
        event('2025-05-02', 'CLAReviewHeld', { sequence: 2, plan: 'other' }, 'review:2025-05-02', 'REVIEW'),
        event('2025-08-20', 'OrderMade', { order: 'care-order' }, 'episode:2025-08-20', 'LS'),
        event('2025-10-30', 'CLAReviewHeld', { sequence: 3, plan: 'other' }, 'review:2025-10-30', 'REVIEW'),
        event('2026-04-24', 'CLAReviewHeld', { sequence: 4, plan: 'other' }, 'review:2026-04-24', 'REVIEW'),
      ],
      current: { kind: 'looked-after', since: '2025-01-03', code: 'C2' },
      assumptions: REVIEW_ASSUMPTIONS,
    });
  });

  it('A1001: in care on a care order since 2015, 17 and approaching 18 — placement changes (P) record nothing', () => {
    expect(timeline('A1001')).toEqual([
      ['2015-06-10', 'ChildDetailsRecorded', { dateOfBirth: '2009-03-15' }],
      // A child starting care on an order is accommodated on it and the order is recorded, so rules on OrderMade see it.
      ['2015-06-10', 'ChildAccommodated', { legalBasis: 'care-order' }],
      ['2015-06-10', 'OrderMade', { order: 'care-order' }],
      ['2025-12-10', 'CLAReviewHeld', { sequence: 1, plan: 'other' }],
      ['2026-06-05', 'CLAReviewHeld', { sequence: 2, plan: 'other' }],
    ]);
    expect(child('A1001').current).toEqual({ kind: 'looked-after', since: '2015-06-10', code: 'C2' });
  });

  it('C3003: leaves care on the 18th birthday with E5 (independent living) — turned-18, then a care leaver', () => {
    expect(timeline('C3003')).toEqual([
      ['2022-05-04', 'ChildDetailsRecorded', { dateOfBirth: '2007-11-02' }],
      ['2022-05-04', 'ChildAccommodated', { legalBasis: 's20' }],
      ['2024-11-03', 'CLAReviewHeld', { sequence: 1, plan: 'other' }],
      ['2025-05-01', 'CLAReviewHeld', { sequence: 2, plan: 'other' }],
      ['2025-11-02', 'ChildCeasedLookedAfter', { reason: 'turned-18' }],
    ]);
    expect(child('C3003').current).toEqual({ kind: 'care-leaver', since: '2025-11-02', code: 'E5' });
    expect(child('C3003').assumptions[0]).toBe(
      'left care on 2025-11-02 aged 18 or over with REC E5: recorded as turned-18 (in the return REC gives the destination, and leaving care at 18 is told by the date of birth)',
    );
  });

  it('D4004: police protection, an EPO, an ICO, placement moves ending X1, then a care order', () => {
    expect(timeline('D4004')).toEqual([
      ['2023-09-12', 'ChildDetailsRecorded', { dateOfBirth: '2012-04-30' }],
      ['2023-09-12', 'ChildAccommodated', { legalBasis: 'police-protection' }],
      ['2023-09-14', 'OrderMade', { order: 'EPO' }],
      ['2023-09-21', 'OrderMade', { order: 'ICO' }],
      ['2023-10-10', 'CLAReviewHeld', { sequence: 1, plan: 'other' }],
      ['2024-01-08', 'CLAReviewHeld', { sequence: 2, plan: 'other' }],
      ['2024-07-08', 'CLAReviewHeld', { sequence: 3, plan: 'other' }],
      ['2025-01-06', 'CLAReviewHeld', { sequence: 4, plan: 'other' }],
      ['2025-02-28', 'OrderMade', { order: 'care-order' }],
      ['2025-07-04', 'CLAReviewHeld', { sequence: 5, plan: 'other' }],
    ]);
    expect(child('D4004').current).toEqual({ kind: 'looked-after', since: '2023-09-12', code: 'C2' });
  });

  it('E5005: an unaccompanied asylum-seeking child — UASC recorded with the date of birth', () => {
    expect(timeline('E5005').slice(0, 3)).toEqual([
      ['2025-03-05', 'ChildDetailsRecorded', { dateOfBirth: '2010-01-15' }],
      ['2025-03-05', 'ChildDetailsRecorded', { unaccompaniedAsylumSeeking: true }],
      ['2025-03-05', 'ChildAccommodated', { legalBasis: 's20' }],
    ]);
    expect(child('E5005').events[1].eventId).toBe('ssda903:E5005:uasc:UASC');
  });

  it('F6006: an ICO, a care order, a placement order (E1), placed for adoption, adopted (E11) at 3 — closed', () => {
    expect(timeline('F6006')).toEqual([
      ['2023-06-01', 'ChildDetailsRecorded', { dateOfBirth: '2022-02-10' }],
      ['2023-06-01', 'ChildAccommodated', { legalBasis: 'ICO' }],
      ['2023-06-01', 'OrderMade', { order: 'ICO' }],
      ['2023-06-28', 'CLAReviewHeld', { sequence: 1, plan: 'other' }],
      ['2023-09-20', 'CLAReviewHeld', { sequence: 2, plan: 'other' }],
      ['2024-01-15', 'OrderMade', { order: 'care-order' }],
      ['2024-03-18', 'CLAReviewHeld', { sequence: 3, plan: 'other' }],
      ['2024-03-20', 'OrderMade', { order: 'placement-order' }],
      ['2024-09-16', 'CLAReviewHeld', { sequence: 4, plan: 'other' }],
      ['2025-03-17', 'CLAReviewHeld', { sequence: 5, plan: 'other' }],
      ['2025-12-18', 'ChildCeasedLookedAfter', { reason: 'adopted' }],
    ]);
    expect(child('F6006').current).toEqual({ kind: 'closed', since: '2025-12-18', code: 'E11' });
  });

  it('G7007: the return starts part-way through a period (RNE P); returned home; a later period of short breaks starts again at review 1', () => {
    expect(timeline('G7007')).toEqual([
      ['2024-04-10', 'ChildDetailsRecorded', { dateOfBirth: '2011-06-01' }],
      ['2024-04-10', 'ChildAccommodated', { legalBasis: 'care-order' }],
      ['2024-04-10', 'OrderMade', { order: 'care-order' }],
      ['2024-05-01', 'CLAReviewHeld', { sequence: 1, plan: 'other' }],
      ['2024-07-15', 'CLAReviewHeld', { sequence: 2, plan: 'other' }],
      ['2024-07-22', 'ChildCeasedLookedAfter', { reason: 'returned-home' }],
      ['2026-02-01', 'ChildAccommodated', { legalBasis: 's20' }],
      // E8 at 14: any other reason, not turned-18.
      ['2026-02-03', 'ChildCeasedLookedAfter', { reason: 'other' }],
    ]);
    expect(child('G7007').current).toEqual({ kind: 'closed', since: '2026-02-03', code: 'E8' });
    expect(child('G7007').assumptions[0]).toMatch(/^the return starts part-way through a period of care \(the first episode, on 2024-04-10, has RNE P: /);
  });

  it('H8008: a child assessment order (L3), then section 20 (no event, kept in assumptions), staying put at 18 (E17)', () => {
    expect(timeline('H8008').filter(([, type]) => type !== 'CLAReviewHeld')).toEqual([
      ['2023-10-10', 'ChildDetailsRecorded', { dateOfBirth: '2008-05-20' }],
      ['2023-10-10', 'ChildAccommodated', { legalBasis: 'EPO' }],
      ['2026-05-20', 'ChildCeasedLookedAfter', { reason: 'turned-18' }],
    ]);
    expect(child('H8008').assumptions).toEqual([
      mapping.legalStatuses.L3.assumption,
      'on 2023-10-15 the legal status changed from L3 (Under child assessment order and in local authority accommodation) to V2 (Single period of accommodation under section 20 (Children Act 1989)): no case event records a change to a status that is not a court order, so the change is kept here',
      ...REVIEW_ASSUMPTIONS,
    ]);
    expect(child('H8008').current).toEqual({ kind: 'care-leaver', since: '2026-05-20', code: 'E17' });
  });

  it('J9009: remanded (J1) at 15', () => {
    expect(timeline('J9009')).toEqual([
      ['2026-11-01', 'ChildDetailsRecorded', { dateOfBirth: '2011-08-12' }],
      ['2026-11-01', 'ChildAccommodated', { legalBasis: 'remand' }],
      ['2026-11-26', 'CLAReviewHeld', { sequence: 1, plan: 'other' }],
    ]);
  });

  it('orders each child’s events by date, ties in the return’s order', () => {
    for (const c of caseload.children) {
      const dates = c.events.map((e) => e.occurredAt);
      expect(dates).toEqual([...dates].sort());
      expect(c.events[0].type).toBe('ChildDetailsRecorded');
    }
  });
});

describe('every event is a case event the edge accepts', () => {
  const validator = new CaseEventValidator<CaseEvent>();
  const events = caseload.children.flatMap((c) => c.events);

  it('validates every event, envelope and data, against contracts/events', () => {
    const rejected = validator.validateBatch(events).rejected;
    expect(rejected).toEqual([]);
    expect(events.length).toBe(65);
  });

  it('gives every event a distinct id', () => expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length));
});

describe('event ids derive from (source, child, record, field) only', () => {
  const ids = (c: MappedCaseload) => c.children.flatMap((ch) => ch.events.map((e) => e.eventId));

  it('gives the same ids when the return is read again', () => expect(ids(readCsv())).toEqual(ids(caseload)));

  it('gives the same ids whatever the authority: the stream id scopes them by authority', () =>
    expect(ids(readSsda903Csv({ authority: 'southampton', ...csvFixture('.') }, mapping))).toEqual(ids(caseload)));

  it('falls back to a SHA-256 slice when the id would not fit the envelope', () => {
    expect(ssda903EventId('C1', 'episode:2025-01-03', 'LS')).toBe('ssda903:C1:episode:2025-01-03:LS');
    const long = ssda903EventId('C'.repeat(100), `episode:${'x'.repeat(100)}`, 'LS');
    expect(long).toMatch(/^ssda903:sha256:[0-9a-f]{40}$/);
    expect(ssda903EventId('C'.repeat(100), `episode:${'x'.repeat(100)}`, 'LS')).toBe(long);
    expect(ssda903EventId('C1', 'episode 2025', 'LS')).toMatch(/^ssda903:sha256:/);
  });
});

describe('the same return as XML', () => {
  it('gives the same caseload, event for event', () => expect(readXml()).toEqual(caseload));
});

describe('the authority', () => {
  it('must be one the envelope accepts', () =>
    expect(() => readSsda903Csv({ authority: 'Kent County', ...csvFixture('.') }, mapping)).toThrow(AuthorityInvalid));
});

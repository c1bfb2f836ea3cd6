/**
 * The mapping file (contracts/imports/ssda903.mapping.yaml): its code lists are the return's, each
 * code maps where the mapping's comments say, and a broken mapping is refused with its line.
 */
import * as fs from 'node:fs';
import { DEFAULT_SSDA903_MAPPING_FILE, readSsda903MappingFile } from './default-mapping';
import { loadSsda903Mapping, Ssda903MappingInvalid } from './mapping';

const text = fs.readFileSync(DEFAULT_SSDA903_MAPPING_FILE, 'utf8');
const mapping = readSsda903MappingFile();

/** The repository's mapping with one line replaced, to break it on purpose. */
const withLine = (from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

const problemsOf = (yaml: string) => {
  try {
    loadSsda903Mapping(yaml, 'broken.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(Ssda903MappingInvalid);
    return { message: (error as Error).message, problems: (error as Ssda903MappingInvalid).problems };
  }
  throw new Error('the mapping was accepted');
};

describe('the code lists are the return’s (csc-validator-be-903 rules 143, 144, 149, 167)', () => {
  it('has every legal status (rule_144)', () =>
    expect(Object.keys(mapping.legalStatuses).sort()).toEqual(['C1', 'C2', 'D1', 'E1', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3', 'V2', 'V3', 'V4']));
  it('has every reason for a new episode (rule_143)', () => expect(Object.keys(mapping.reasonsForNewEpisode).sort()).toEqual(['B', 'L', 'P', 'S', 'T', 'U']));
  it('has every reason an episode ceased (rule_149)', () =>
    expect(Object.keys(mapping.reasonsEpisodeCeased).sort()).toEqual(
      ['E11', 'E12', 'E13', 'E14', 'E15', 'E16', 'E17', 'E2', 'E3', 'E41', 'E45', 'E46', 'E47', 'E48', 'E4A', 'E4B', 'E5', 'E6', 'E7', 'E8', 'E9', 'X1'].sort(),
    ));
  it('has every review participation code (rule_167)', () =>
    expect(Object.keys(mapping.reviews.participation)).toEqual(['PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7']));
  it('has the columns of each table (config.py)', () => {
    expect(mapping.tables.Header.columns).toEqual(['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB']);
    expect(mapping.tables.Episodes.columns).toEqual(['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC', 'REASON_PLACE_CHANGE', 'HOME_POST', 'PL_POST', 'URN']);
    expect(mapping.tables.Reviews.columns).toEqual(['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE']);
    expect(mapping.tables.UASC.columns).toEqual(['CHILD', 'SEX', 'DOB', 'DUC']);
  });
});

describe('legal statuses to ChildAccommodated and OrderMade', () => {
  const basis = (code: string) => [mapping.legalStatuses[code].legalBasis, mapping.legalStatuses[code].order];
  it.each([
    ['V2', 's20', undefined],
    ['V3', 's20', undefined],
    ['V4', 's20', undefined],
    ['L1', 'police-protection', undefined],
    ['L2', 'EPO', 'EPO'],
    ['C1', 'ICO', 'ICO'],
    ['C2', 'care-order', 'care-order'],
    ['J1', 'remand', undefined],
    ['J2', 'remand', undefined],
    ['J3', 'remand', undefined],
    // Not clean: a placement or freeing order is looked after under an order (care-order), and the order follows.
    ['E1', 'care-order', 'placement-order'],
    ['D1', 'care-order', 'placement-order'],
    // Not clean: a child assessment order is nearest an EPO, and is no OrderMade (the catalogue's CAO is a child arrangements order).
    ['L3', 'EPO', undefined],
  ])('%s → legal basis %s, order %s', (code, legalBasis, order) => expect(basis(code)).toEqual([legalBasis, order]));

  it('says in the child’s assumptions where a status does not map cleanly', () => {
    for (const code of ['D1', 'L3', 'J2', 'J3', 'V4']) expect(mapping.legalStatuses[code].assumption).toEqual(expect.any(String));
  });
});

describe('reasons an episode ceased to ChildCeasedLookedAfter', () => {
  const reason = (code: string) => {
    const ceased = mapping.reasonsEpisodeCeased[code];
    return ceased.leavesCare ? [ceased.reason, ceased.reasonAged18OrOver] : ['continues'];
  };
  it('X1 continues care ("episode ceases, and new episode begins on same day")', () => expect(reason('X1')).toEqual(['continues']));
  it.each([
    ['E11', 'adopted'],
    ['E12', 'adopted'],
    ['E4A', 'returned-home'],
    ['E4B', 'returned-home'],
    ['E41', 'child-arrangements-order'],
    ['E45', 'special-guardianship'],
    ['E46', 'special-guardianship'],
    ['E47', 'special-guardianship'],
    ['E48', 'special-guardianship'],
    ['E17', 'turned-18'],
    ['E2', 'other'],
    ['E3', 'other'],
    ['E9', 'other'],
    ['E14', 'other'],
    ['E15', 'other'],
    ['E16', 'other'],
  ])('%s → %s', (code, expected) => expect(reason(code)[0]).toBe(expected));
  it.each(['E5', 'E6', 'E7', 'E8', 'E13'])('%s → other, or turned-18 when the child left care aged 18 or over', (code) =>
    expect(reason(code)).toEqual(['other', 'turned-18']));
});

describe('a broken mapping is refused, saying where', () => {
  it('refuses a legal basis the event does not have, naming the path and line', () => {
    const { message, problems } = problemsOf(withLine('    legalBasis: police-protection\n', '    legalBasis: police\n'));
    expect(problems).toEqual([
      { path: '/legalStatuses/L1/legalBasis', line: expect.any(Number), message: 'must be one of: s20, police-protection, EPO, ICO, care-order, remand' },
    ]);
    expect(text.split('\n')[problems[0].line! - 1]).toBe('    legalBasis: police-protection');
    expect(message).toContain('SSDA903 mapping broken.yaml is invalid (1 problem)');
  });

  it('refuses a reason for X1, which does not end care', () => {
    const { problems } = problemsOf(withLine("leavesCare: false }", 'leavesCare: false, reason: other }'));
    expect(problems).toContainEqual(expect.objectContaining({ path: '/reasonsEpisodeCeased/X1/reason', message: 'is not allowed for a code that does not end care' }));
  });

  it('refuses a code that ends care without its reason', () => {
    const { problems } = problemsOf(withLine('leavesCare: true, reason: adopted, careLeaver: false }', 'leavesCare: true, careLeaver: false }'));
    expect(problems).toContainEqual(expect.objectContaining({ path: '/reasonsEpisodeCeased/E11', message: 'reason is required' }));
  });

  it('refuses a required column the table does not have', () => {
    const { problems } = problemsOf(withLine('required: [CHILD, REVIEW, REVIEW_CODE]', 'required: [CHILD, REVIEW, REVIEW_KIND]'));
    expect(problems).toEqual([{ path: '/tables/Reviews/required', line: expect.any(Number), message: "REVIEW_KIND is required but is not one of the table's columns" }]);
  });

  it('refuses a field the mapping does not have', () => {
    const { problems } = problemsOf(withLine('  careLeaverFromAge: 16', '  careLeaverFromAge: 16\n  careLeaverToAge: 21'));
    expect(problems).toEqual([{ path: '/current/careLeaverToAge', line: expect.any(Number), message: 'is not a field of the mapping' }]);
  });

  it('refuses a key written twice', () => {
    const { problems } = problemsOf(withLine('  careLeaverFromAge: 16', '  careLeaverFromAge: 16\n  careLeaverFromAge: 18'));
    expect(problems[0]).toEqual(expect.objectContaining({ path: '', line: expect.any(Number) }));
    expect(problems[0].message).toMatch(/unique/i);
  });

  it('refuses YAML that is not YAML', () => {
    const { problems } = problemsOf('source: ssda903\n  legalStatuses: [\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].line).toEqual(expect.any(Number));
  });
});

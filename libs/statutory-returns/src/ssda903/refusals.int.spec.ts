/**
 * Issue 17 item 6: bad input is refused clearly — each refusal with its file, CSV line (header row =
 * line 1) or XML element path, field, child and reason — and a refused child is refused whole.
 * The fixture folders under fixtures/ssda903/bad/ each hold one kind of fault beside a good child;
 * the faults that need only a line or two are written inline.
 */
import type { MappedCaseload, Refusal } from '../caseload';
import { readSsda903MappingFile } from './default-mapping';
import { readSsda903Csv, readSsda903Xml } from './read-return';
import { csvFixture, fixture } from './test-fixtures';

const mapping = readSsda903MappingFile();
const readBad = (folder: string) => readSsda903Csv({ authority: 'kent', ...csvFixture(`bad/${folder}`) }, mapping);
const imported = (caseload: MappedCaseload) => caseload.children.map((c) => c.childId);

const HEADER = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';
const EPISODES = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const REVIEWS = 'CHILD,DOB,REVIEW,REVIEW_CODE';
const UASC = 'CHILD,SEX,DOB,DUC';
const file = (name: string, ...lines: string[]) => ({ file: name, text: `${lines.join('\n')}\n` });
/** A child V1 born 01/02/2014, with the episodes (CHILD, DECOM, RNE, LS, DEC, REC) given. */
const episodesOfV1 = (...episodes: [string, string, string, string, string][]) =>
  readSsda903Csv(
    {
      authority: 'kent',
      header: file('header.csv', HEADER, 'V1,F,01/02/2014,WBRI,UN1,,'),
      episodes: file('episodes.csv', EPISODES, ...episodes.map(([decom, rne, ls, dec, rec]) => `V1,${decom},${rne},${ls},N1,U6,PR1,${dec},${rec},,,,`)),
    },
    mapping,
  );
const onlyRefusal = (caseload: MappedCaseload): Refusal => {
  expect(caseload.refusals).toHaveLength(1);
  expect(caseload.children).toEqual([]);
  return caseload.refusals[0];
};

describe('a malformed date', () => {
  const caseload = readBad('malformed-date');
  it('refuses a date of birth that is no real day, and a date not written DD/MM/YYYY', () =>
    expect(caseload.refusals).toEqual([
      { file: 'bad/malformed-date/header.csv', line: 3, field: 'DOB', childId: 'K2', reason: 'DOB "31/02/2015" is not a date in the return\'s form DD/MM/YYYY (a real day, such as 03/01/2025)' },
      { file: 'bad/malformed-date/episodes.csv', line: 2, field: 'DECOM', childId: 'K1', reason: 'DECOM "2025-01-03" is not a date in the return\'s form DD/MM/YYYY (a real day, such as 03/01/2025)' },
    ]));
  it('refuses those children whole and imports the other', () => {
    expect(caseload.refusedChildren).toEqual(['K1', 'K2']);
    expect(imported(caseload)).toEqual(['K3']);
    expect(caseload.childrenRead).toBe(3);
  });
});

describe('an unknown code', () => {
  const caseload = readBad('unknown-codes');
  const refusal = (childId: string) => caseload.refusals.find((r) => r.childId === childId);
  it.each([
    ['U1', 'bad/unknown-codes/header.csv', 2, 'SEX', 'SEX "7" is not a sex code of the return (expected one of 1, 2, M, F, U)'],
    ['U2', 'bad/unknown-codes/episodes.csv', 3, 'LS', 'LS "C3" is not a legal status (LS) code of the return (expected one of C1, C2, D1, E1, V2, V3, V4, L1, L2, L3, J1, J2, J3)'],
    ['U3', 'bad/unknown-codes/episodes.csv', 4, 'RNE', 'RNE "Q" is not a reason for new episode (RNE) code of the return (expected one of S, L, P, T, B, U)'],
    ['U4', 'bad/unknown-codes/episodes.csv', 5, 'REC', expect.stringMatching(/^REC "E99" is not a reason episode ceased \(REC\) code of the return \(expected one of X1, E11, E12, /)],
    ['U5', 'bad/unknown-codes/reviews.csv', 2, 'REVIEW_CODE', 'REVIEW_CODE "PN9" is not a review participation (REVIEW_CODE) code of the return (expected one of PN0, PN1, PN2, PN3, PN4, PN5, PN6, PN7)'],
  ])('%s: %s line %s, %s', (childId, name, line, field, reason) => expect(refusal(childId)).toEqual({ file: name, line, field, childId, reason }));
  it('reads codes whatever their case, as the validator does (U6: s, v2, pn1)', () => {
    expect(caseload.refusals).toHaveLength(5);
    expect(imported(caseload)).toEqual(['U6']);
  });
});

describe('a missing required column', () => {
  const caseload = readBad('missing-column');
  it('refuses the file once, with the column and no line', () =>
    expect(caseload.refusals).toEqual([
      {
        file: 'bad/missing-column/episodes.csv',
        field: 'LS',
        reason: "the Episodes table has no LS column, which the mapping reads: no child's Episodes records can be read whole, so every child of the return is refused",
      },
    ]));
  it('refuses every child of the return', () => {
    expect(caseload.refusedChildren).toEqual(['M1', 'M2']);
    expect(caseload.children).toEqual([]);
    expect(caseload.childrenRead).toBe(2);
  });
});

describe('a record of a child absent from the header', () => {
  const caseload = readBad('child-not-in-header');
  it('refuses an episode, a review and a UASC record of a child the header does not have', () =>
    expect(caseload.refusals).toEqual([
      { file: 'bad/child-not-in-header/episodes.csv', line: 3, field: 'CHILD', childId: 'N9', reason: 'child N9 has an episode but no header record: every child of the return has one' },
      { file: 'bad/child-not-in-header/reviews.csv', line: 2, field: 'CHILD', childId: 'N8', reason: 'child N8 has a review but no header record: every child of the return has one' },
      { file: 'bad/child-not-in-header/uasc.csv', line: 2, field: 'CHILD', childId: 'N7', reason: 'child N7 has a UASC record but no header record: every child of the return has one' },
    ]));
  it('counts them as read and refused, and imports the child the header has', () => {
    expect(caseload.childrenRead).toBe(4);
    expect(caseload.refusedChildren).toEqual(['N7', 'N8', 'N9']);
    expect(imported(caseload)).toEqual(['N1']);
  });
});

describe('overlapping episodes', () => {
  const caseload = readBad('overlapping-episodes');
  it('refuses an episode that starts before the previous one ended, and a second open episode', () =>
    expect(caseload.refusals).toEqual([
      {
        file: 'bad/overlapping-episodes/episodes.csv',
        line: 3,
        field: 'DECOM',
        childId: 'O1',
        reason: 'the episode starting 15/02/2025 overlaps the episode starting 01/01/2025 (line 2), which ended on 01/03/2025',
      },
      {
        file: 'bad/overlapping-episodes/episodes.csv',
        line: 5,
        field: 'DECOM',
        childId: 'O2',
        reason: 'the episode starting 01/04/2025 begins while the episode starting 01/01/2025 (line 4) is still open: a child has one open episode at a time, and episodes must not overlap',
      },
    ]));
  it('imports the child whose episodes follow on (O3: X1, then the next the same day)', () => expect(imported(caseload)).toEqual(['O3']));
});

describe('DEC before DECOM', () => {
  it('refuses an episode that ends before it starts', () => {
    const caseload = readBad('dec-before-decom');
    expect(caseload.refusals).toEqual([{ file: 'bad/dec-before-decom/episodes.csv', line: 2, field: 'DEC', childId: 'P1', reason: 'DEC 01/02/2025 is before DECOM 01/03/2025' }]);
    expect(imported(caseload)).toEqual(['P2']);
  });
  it('refuses an episode that ends the day it starts', () =>
    expect(onlyRefusal(episodesOfV1(['01/03/2025', 'S', 'V2', '01/03/2025', 'E4A'])).reason).toBe(
      'DEC is the same day as DECOM (01/03/2025): an episode cannot start and end on the same day',
    ));
});

describe('a child twice in the header', () => {
  it('refuses the second header record, and the child with it', () => {
    const caseload = readBad('duplicate-child');
    expect(caseload.refusals).toEqual([
      { file: 'bad/duplicate-child/header.csv', line: 4, field: 'CHILD', childId: 'Q1', reason: 'child Q1 has a header record already (line 2); a child has one header record' },
    ]);
    expect(caseload.refusedChildren).toEqual(['Q1']);
    expect(imported(caseload)).toEqual(['Q2']);
  });
});

describe('a child id the case events do not accept', () => {
  it('refuses the child wherever it appears', () => {
    const caseload = readBad('invalid-child-id');
    const reason = 'child id "R 1" is not one the case events accept: 1 to 100 letters, digits, \'.\', \'_\', \':\' and \'-\', starting with a letter or digit';
    expect(caseload.refusals).toEqual([
      { file: 'bad/invalid-child-id/header.csv', line: 2, field: 'CHILD', childId: 'R 1', reason },
      { file: 'bad/invalid-child-id/episodes.csv', line: 2, field: 'CHILD', childId: 'R 1', reason },
    ]);
    expect(imported(caseload)).toEqual(['R2']);
  });
});

describe('a file that is not the return at all', () => {
  it('refuses a CSV with none of the table’s columns once, and reads no child', () =>
    expect(readBad('not-the-return')).toEqual({
      source: 'ssda903',
      authority: 'kent',
      childrenRead: 0,
      children: [],
      refusals: [
        {
          file: 'bad/not-the-return/header.csv',
          reason: "the file is not the SSDA903 Header table: its first row names none of the table's columns (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB)",
        },
      ],
      refusedChildren: [],
    }));

  it('refuses another table of the return given in a table’s place', () => {
    const uasc = file('uasc.csv', UASC, 'E5005,M,15/01/2010,');
    const caseload = readSsda903Csv({ authority: 'kent', header: uasc, episodes: file('episodes.csv', EPISODES) }, mapping);
    expect(onlyRefusal(caseload)).toEqual({ file: 'uasc.csv', reason: 'the file is the SSDA903 UASC table (it has exactly that table\'s columns), given as the Header table' });
  });

  it('refuses an empty file', () =>
    expect(onlyRefusal(readSsda903Csv({ authority: 'kent', header: { file: 'header.csv', text: '' }, episodes: file('episodes.csv', EPISODES) }, mapping)).reason).toMatch(
      /^the file is empty: the SSDA903 Header table starts with a row naming its columns/,
    ));

  it('refuses XML whose root is not the return’s', () =>
    expect(readSsda903Xml({ authority: 'kent', xml: fixture('bad/not-the-return/return.xml') }, mapping)).toEqual({
      source: 'ssda903',
      authority: 'kent',
      childrenRead: 0,
      children: [],
      refusals: [{ file: 'bad/not-the-return/return.xml', path: '/Message', reason: "the file is not an SSDA903 return: it has the root element <Message>, where the return's is <EXPSSDA903>" }],
      refusedChildren: [],
    }));

  it('refuses XML that is not well-formed', () =>
    expect(onlyRefusal(readSsda903Xml({ authority: 'kent', xml: fixture('bad/not-the-return/not-well-formed.xml') }, mapping))).toEqual({
      file: 'bad/not-the-return/not-well-formed.xml',
      reason: expect.stringMatching(/^the file is not well-formed XML \(line \d+\): /),
    }));
});

describe('the XML return: refusals carry the element path and the element’s own name', () => {
  const caseload = readSsda903Xml({ authority: 'kent', xml: fixture('bad/return-with-errors.xml') }, mapping);
  const xml = 'bad/return-with-errors.xml';
  it('refuses each record at its element', () =>
    expect(caseload.refusals).toEqual([
      { file: xml, path: '/EXPSSDA903/CHILD[5]', field: 'HEADER', reason: 'the CHILD element has no HEADER, so it names no child; its 1 EPISODE element(s) are not read' },
      { file: xml, path: '/EXPSSDA903/CHILD[2]/HEADER', field: 'DOB', childId: 'X2', reason: 'DOB "2014-02-01" is not a date in the return\'s form DD/MM/YYYY (a real day, such as 03/01/2025)' },
      { file: xml, path: '/EXPSSDA903/CHILD[6]/HEADER', field: 'CHILDID', childId: 'X1', reason: 'child X1 has a header record already (/EXPSSDA903/CHILD[1]/HEADER); a child has one header record' },
      {
        file: xml,
        path: '/EXPSSDA903/CHILD[3]/EPISODE[2]',
        field: 'LS',
        childId: 'X3',
        reason: 'LS "C9" is not a legal status (LS) code of the return (expected one of C1, C2, D1, E1, V2, V3, V4, L1, L2, L3, J1, J2, J3)',
      },
      {
        file: xml,
        path: '/EXPSSDA903/CHILD[4]/HEADER/AREVIEW[1]',
        field: 'REVIEW_CODE',
        childId: 'X4',
        reason: 'REVIEW_CODE "PN8" is not a review participation (REVIEW_CODE) code of the return (expected one of PN0, PN1, PN2, PN3, PN4, PN5, PN6, PN7)',
      },
    ]));
  it('imports only the child with nothing refused', () => {
    expect(caseload.refusedChildren).toEqual(['X1', 'X2', 'X3', 'X4']);
    expect(imported(caseload)).toEqual(['X7']);
    expect(caseload.childrenRead).toBe(5);
  });

  it('refuses an element given twice', () => {
    const text = '<EXPSSDA903><CHILD><HEADER><CHILDID>Y1</CHILDID><SEX>M</SEX><DOB>01/02/2014</DOB><DOB>02/02/2014</DOB></HEADER></CHILD></EXPSSDA903>';
    expect(onlyRefusal(readSsda903Xml({ authority: 'kent', xml: { file: 'r.xml', text } }, mapping))).toEqual({
      file: 'r.xml',
      path: '/EXPSSDA903/CHILD[1]/HEADER',
      field: 'DOB',
      childId: 'Y1',
      reason: 'DOB is given 2 times in the element; it is given once',
    });
  });

  it('refuses a date UASC status ceased for a child whose UASC flag is 0', () => {
    const text = '<EXPSSDA903><CHILD><HEADER><CHILDID>Y1</CHILDID><SEX>M</SEX><DOB>01/02/2014</DOB><UASC>0</UASC><DUC>01/02/2025</DUC></HEADER></CHILD></EXPSSDA903>';
    expect(onlyRefusal(readSsda903Xml({ authority: 'kent', xml: { file: 'r.xml', text } }, mapping))).toEqual(
      expect.objectContaining({ path: '/EXPSSDA903/CHILD[1]/HEADER', field: 'DUC', childId: 'Y1' }),
    );
  });
});

describe('episodes that do not fit together', () => {
  it('refuses X1 followed by an episode starting another day', () =>
    expect(onlyRefusal(episodesOfV1(['03/01/2025', 'S', 'V2', '01/03/2025', 'X1'], ['05/03/2025', 'P', 'V2', '', '']))).toEqual({
      file: 'episodes.csv',
      line: 3,
      field: 'DECOM',
      childId: 'V1',
      reason: 'the episode before (line 2) ended on 01/03/2025 with X1 (Episode ceases, and new episode begins on same day, for any reason), but this one starts on 05/03/2025',
    }));

  it('refuses RNE S the day a previous episode ended X1 (validator rule 431)', () =>
    expect(onlyRefusal(episodesOfV1(['03/01/2025', 'S', 'V2', '01/03/2025', 'X1'], ['01/03/2025', 'S', 'V2', '', ''])).field).toBe('RNE'));

  it('refuses a new episode after the child left care whose RNE does not start a period (validator rule 432)', () =>
    expect(onlyRefusal(episodesOfV1(['03/01/2025', 'S', 'V2', '01/03/2025', 'E4A'], ['05/03/2025', 'P', 'V2', '', ''])).reason).toBe(
      "the child left care on 01/03/2025 (REC E4A, line 2), but this episode's RNE P (Change of placement and carer(s) only) does not start a period of care",
    ));

  it('refuses a last episode ending X1, which says another begins', () =>
    expect(onlyRefusal(episodesOfV1(['03/01/2025', 'S', 'V2', '01/03/2025', 'X1']))).toEqual(
      expect.objectContaining({ line: 2, field: 'REC', reason: 'REC X1 says a new episode begins on 01/03/2025, but the child has no later episode' }),
    ));

  it('refuses DEC without REC, and REC without DEC (validator rule 148)', () => {
    expect(onlyRefusal(episodesOfV1(['03/01/2025', 'S', 'V2', '01/03/2025', '']))).toEqual(
      expect.objectContaining({ field: 'REC', reason: 'DEC is given but REC is blank: the date and the reason an episode ceased are both given or both left blank' }),
    );
    expect(onlyRefusal(episodesOfV1(['03/01/2025', 'S', 'V2', '', 'E4A'])).field).toBe('DEC');
  });

  it('refuses a blank required value', () =>
    expect(onlyRefusal(episodesOfV1(['03/01/2025', '', 'V2', '', '']))).toEqual(expect.objectContaining({ field: 'RNE', reason: 'RNE is blank: it is required' })));

  it('takes episodes in date order, whatever order the file gives them', () => {
    const caseload = episodesOfV1(['01/03/2025', 'L', 'C1', '', ''], ['03/01/2025', 'S', 'V2', '01/03/2025', 'X1']);
    expect(caseload.refusals).toEqual([]);
    expect(caseload.children[0].events.map((e) => e.type)).toEqual(['ChildDetailsRecorded', 'ChildAccommodated', 'OrderMade']);
  });
});

describe('reviews and UASC records that do not fit', () => {
  const read = (reviews: string[], uasc: string[] = []) =>
    readSsda903Csv(
      {
        authority: 'kent',
        header: file('header.csv', HEADER, 'W1,F,01/02/2014,WBRI,UN1,,'),
        episodes: file('episodes.csv', EPISODES, 'W1,03/01/2025,S,V2,N1,U6,PR1,01/03/2025,E4A,,,,'),
        reviews: file('reviews.csv', REVIEWS, ...reviews),
        uasc: file('uasc.csv', UASC, ...uasc),
      },
      mapping,
    );

  it('refuses a review outside every period of care', () =>
    expect(onlyRefusal(read(['W1,01/02/2014,02/03/2025,PN1']))).toEqual({
      file: 'reviews.csv',
      line: 2,
      field: 'REVIEW',
      childId: 'W1',
      reason: "the review on 02/03/2025 is outside every period of care in the child's episodes",
    }));

  it('refuses a second review on the same day', () =>
    expect(onlyRefusal(read(['W1,01/02/2014,31/01/2025,PN1', 'W1,01/02/2014,31/01/2025,PN1']))).toEqual(
      expect.objectContaining({ line: 3, field: 'REVIEW', reason: 'a second review on 31/01/2025 (the first is at line 2); one review is recorded per day' }),
    ));

  it('refuses a second UASC record of a child', () =>
    expect(onlyRefusal(read([], ['W1,F,01/02/2014,', 'W1,F,01/02/2014,']))).toEqual(
      expect.objectContaining({ file: 'uasc.csv', line: 3, field: 'CHILD', reason: 'child W1 has a UASC record already (line 2); a child has one' }),
    ));

  it('keeps the date UASC status ceased in the child’s assumptions', () => {
    const caseload = read([], ['W1,F,01/02/2014,28/02/2025']);
    expect(caseload.refusals).toEqual([]);
    expect(caseload.children[0].assumptions).toContain('UASC status ceased on 2025-02-28 (DUC): the case events have no field for the end of UASC status, so only the status is recorded');
  });
});

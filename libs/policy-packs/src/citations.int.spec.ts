import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeUnresolved, sourceDocument, unresolvedAnchors, type SourceDocument } from './citations';
import { EXIT_INVALID, main } from './cli';
import { checkPolicyPack, DEFAULT_POLICIES_DIR, DEFAULT_SOURCES_DIR, policyPackFiles, sourceDocumentsIn } from './load-policy-pack';
import { formatProblem } from './policy-pack-invalid';
import { CP_PLAN_RULE, packYaml } from './test-pack-yaml';

const sources = sourceDocumentsIn();

function source(name: string): SourceDocument {
  const document = sources.document(name);
  if (!document) throw new Error(`${name} is not in ${DEFAULT_SOURCES_DIR}`);
  return document;
}

const DOC_000 = source('000_c0d212b149d080fa.txt');
const DOC_001 = source('001_30c1b44cdf22ca4d.txt');
const DOC_002 = source('002_db118e58069623db.txt');
const DOC_003 = source('003_fbe064539c50cc36.txt');
const DOC_004 = source('004_3c7817f90012ec66.txt');

/** The anchors of a citation (without its file name) that the document lacks, as the citation writes them. */
const unresolved = (document: SourceDocument, reference: string): string[] => unresolvedAnchors(document, reference).map((u) => u.anchor);

/** The one sentence `policy validate` prints for a citation with one anchor missing. */
function sentence(document: SourceDocument, reference: string): string {
  const citation = `${document.name} ${reference}`;
  const [first, ...more] = unresolvedAnchors(document, ` ${reference}`);
  if (!first || more.length) throw new Error(`expected one unresolved anchor in ${citation}, found ${more.length + (first ? 1 : 0)}`);
  return describeUnresolved(citation, first);
}

describe('000: numbered paragraphs (¶) and headings', () => {
  it.each(['¶12', '¶2–¶8', '¶15, ¶16', '¶10 and Case Transfer Flowchart (from CIN or CPP to CWD if threshold met)', '¶23, Principles Underpinning Transfer (no delay)'])(
    'resolves %s',
    (reference) => expect(unresolved(DOC_000, reference)).toEqual([]),
  );

  it('refuses a paragraph past the last, alone or at the end of a run', () => {
    expect(sentence(DOC_000, '¶99')).toBe(
      'citation "000_c0d212b149d080fa.txt ¶99" names "¶99", which is not a numbered paragraph of 000_c0d212b149d080fa.txt (numbered 1 to 25)',
    );
    expect(unresolved(DOC_000, '¶21–¶26')).toEqual(['¶21–¶26']);
  });

  it('refuses a heading the document does not have, and a phrase it does not say', () => {
    expect(unresolved(DOC_000, 'Case Transfer Flowchart, Transfer Panel')).toEqual(['Transfer Panel']);
    // ¶2 says "will not delay transfer".
    expect(unresolved(DOC_000, '¶2 (“will not delay the transfer”)')).toEqual(['“will not delay the transfer”']);
  });
});

describe('001: numbered sections (§) and their Markdown headings', () => {
  it.each([
    '§3 Assessment, §3 MASH',
    '§2 Case Transfer Mapping (“update the case records on Mosaic”)',
    '§4 Mechanisms to Resolve Difficulties',
    '§1 Principles (Avoiding delay), §2 Initial Transfer Meeting, §3 MASH',
  ])('resolves %s', (reference) => expect(unresolved(DOC_001, reference)).toEqual([]));

  it('refuses a section past the last, and a heading of another section', () => {
    expect(unresolved(DOC_001, '§6')).toEqual(['§6']);
    expect(sentence(DOC_001, '§2 MASH')).toBe('citation "001_30c1b44cdf22ca4d.txt §2 MASH" names "MASH", which is not a heading in §2 of 001_30c1b44cdf22ca4d.txt');
  });

  it('refuses a made-up heading and a phrase the section does not say', () => {
    expect(unresolved(DOC_001, '§3 Youth Offending')).toEqual(['Youth Offending']);
    expect(unresolved(DOC_001, '§2 Process (“formally assign the new worker on Liberi”)')).toEqual(['“formally assign the new worker on Liberi”']);
  });
});

describe('002: the transfer-point table and the named paragraphs', () => {
  it.each([
    'transfer-point table, row 8 (MASH — adolescent on edge of care, child is over 11yrs)',
    'opening paragraph, Key Principles, closing paragraph',
    'Key Principles (“Transfers will not be requested prior to checklist being signed off by a Practice Manager (PM)”)',
  ])('resolves %s', (reference) => expect(unresolved(DOC_002, reference)).toEqual([]));

  it('refuses a row past the last of the table (8 under its header)', () => {
    expect(sentence(DOC_002, 'transfer-point table, row 12')).toBe(
      'citation "002_db118e58069623db.txt transfer-point table, row 12" names "row 12", which is not a row of the table in 002_db118e58069623db.txt (it has 8 rows under its header)',
    );
  });

  it('refuses a heading and a phrase the document does not have', () => {
    expect(unresolved(DOC_002, 'Guiding Principles')).toEqual(['Guiding Principles']);
    expect(unresolved(DOC_002, 'Key Principles (“Transfers will be requested before the checklist is signed off”)')).toEqual([
      '“Transfers will be requested before the checklist is signed off”',
    ]);
  });
});

describe('003: sections, team and transfer headings, quoted bullets', () => {
  it.each([
    '§6 Adolescent Support Teams (AST), Transfers to CSWT or Adolescent Early Help, “Where the threshold for AST is no longer met but ongoing support is required”; §7',
    // a heading holding " and " and its abbreviation, then the headings it appears under
    '§6 Transfers to Adult Social Care and Health (ASCH), under CSWT, CIC, AST and SIS',
    // a heading holding " and " and a comma, cited by its opening words
    '§9 Transfers in to and out of other Local Authorities, Child Protection',
    '§4 Addressing transfer issues between Teams, Services or different Authorities',
    '§2 step 11',
    '§2 Actions for allocated Social Worker (18+ Team notified at 17 ½)',
    // "Transfers to Children in Care (CIC) Team occur when", cited by its abbreviation
    '§6 CSWT, Transfers to CIC',
    '§6 Children in Care (CIC) Team, Transfers to 18+ Team (“Relevant Status”)',
    '§1 (“No delay is acceptable”)',
  ])('resolves %s', (reference) => expect(unresolved(DOC_003, reference)).toEqual([]));

  it('refuses a made-up heading', () => {
    expect(sentence(DOC_003, '§6 Foo')).toBe('citation "003_fbe064539c50cc36.txt §6 Foo" names "Foo", which is not a heading of 003_fbe064539c50cc36.txt');
  });

  it('refuses a heading that is not under the one cited before it, nor in the section cited', () => {
    // SIS has no 18+ heading: its young people stay in the service (CIC and AST have one).
    expect(sentence(DOC_003, '§6 Strengthening Independence Service (SIS), Transfers to 18+ Team')).toBe(
      'citation "003_fbe064539c50cc36.txt §6 Strengthening Independence Service (SIS), Transfers to 18+ Team" names "Transfers to 18+ Team", which is not a heading after “Strengthening Independence Service (SIS):” in §6 of 003_fbe064539c50cc36.txt',
    );
    expect(unresolved(DOC_003, '§3 Transfers to 18+ Team')).toEqual(['Transfers to 18+ Team']);
  });

  it('refuses a step, a section and a phrase it does not have', () => {
    expect(unresolved(DOC_003, '§2 step 12')).toEqual(['step 12']);
    expect(unresolved(DOC_003, '§10')).toEqual(['§10']);
    expect(unresolved(DOC_003, '§6 AST, Transfers to CIC Team, “If a child becomes looked after and at 13 weeks”')).toEqual([
      '“If a child becomes looked after and at 13 weeks”',
    ]);
  });
});

describe('004: a heading by its short name, and a numbered point under it', () => {
  it.each([
    'BIT 1, SWF 1',
    'MASH 6',
    'PTC 4, PTC 5, PTC 6',
    'CRS 1',
    'CWD 2–4',
    'Principle 11',
    'Principles 2, 8, 11, 12; SWF 1',
    'Co-Work agreements 1',
    'Case transfers to Adoption Services 1',
    'Adoption 2',
    'SGO Transfers 7',
    'Trajectory Model 3',
    "Young People Service (from Children's Resource Service) 9",
    'Young People Service (from Social Care Teams) 13',
    'Young People Service – Transfer Process (from Social Care Teams)',
  ])('resolves %s', (reference) => expect(unresolved(DOC_004, reference)).toEqual([]));

  it('refuses a point past the last of its heading', () => {
    expect(sentence(DOC_004, 'BIT 9')).toBe(
      'citation "004_3c7817f90012ec66.txt BIT 9" names "BIT 9", which is not a numbered point under “Brief Intervention Team – Transfer Process” in 004_3c7817f90012ec66.txt (it has points 1–4)',
    );
    expect(unresolved(DOC_004, 'Principles 2, 13')).toEqual(['Principles 13']);
    expect(unresolved(DOC_004, 'SGO Transfers 8')).toEqual(['SGO Transfers 8']);
    expect(unresolved(DOC_004, 'CFF 11–18')).toEqual(['CFF 11–18']);
  });

  it('counts the points of the list the citation names, when a heading has two', () => {
    // The Children's Resource Service list has 9 points; the Social Care Teams list has 13.
    expect(unresolved(DOC_004, "Young People Service (from Children's Resource Service) 10")).toEqual(["Young People Service (from Children's Resource Service) 10"]);
  });

  it('refuses a short name that is no heading', () => {
    expect(unresolved(DOC_004, 'XYZ 1')).toEqual(['XYZ']);
  });
});

describe('reading a citation', () => {
  const doc = sourceDocument('x.txt', 'Scope\nWe act quickly, fairly and (always) in good order – and say so.\n\nCase’s End\n');

  it('takes a quoted phrase whole, with its commas, "and" and brackets', () => {
    expect(unresolved(doc, 'Scope, “We act quickly, fairly and (always) in good order”')).toEqual([]);
    expect(unresolved(doc, 'Scope, “We act slowly, fairly”')).toEqual(['“We act slowly, fairly”']);
  });

  it('leaves a gloss unchecked but for the phrases quoted in it', () => {
    expect(unresolved(doc, 'Scope (anything at all, said any way)')).toEqual([]);
    expect(unresolved(doc, 'Scope (“not said here”)')).toEqual(['“not said here”']);
  });

  it('compares without case, curly quotes or the kind of dash', () => {
    expect(unresolved(doc, "SCOPE (“in good order - and say so”), case's end")).toEqual([]);
  });

  it('reports a citation that names nothing after the file name', () => {
    expect(describeUnresolved('x.txt', unresolvedAnchors(doc, ' ')[0])).toBe('citation "x.txt" names no paragraph, section or heading of x.txt');
  });
});

describe('the shipped packs', () => {
  const files = policyPackFiles(DEFAULT_POLICIES_DIR);

  it('are all checked here: five packs', () => expect(files).toHaveLength(5));

  // The check that matters: a reader who follows any citation of a pack in force lands on
  // something the document says. Failures are listed as `policy validate` prints them.
  it.each(files.map((file) => [path.basename(file), file]))('%s: every citation points at its source document', (_, file) => {
    const result = checkPolicyPack(fs.readFileSync(file, 'utf8'), { sources });
    expect(result.ok ? [] : result.errors.map((p) => formatProblem(path.basename(file), p))).toEqual([]);
  });

  it('would fail on a citation changed to a paragraph the document does not have', () => {
    const file = path.join(DEFAULT_POLICIES_DIR, 'internal-transfer-v11.yaml');
    const text = fs.readFileSync(file, 'utf8').replace('citation: 000_c0d212b149d080fa.txt ¶12\n', 'citation: 000_c0d212b149d080fa.txt ¶92\n');
    expect(text).toContain('¶92'); // the pack still cites ¶12 as this test expects
    const result = checkPolicyPack(text, { sources });
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/^\/rules\/\d+\/citation$/), message: expect.stringContaining('names "¶92", which is not a numbered paragraph') }),
    ]);
  });
});

describe('policy validate and citations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-citations-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function validate(yaml: string) {
    const file = path.join(dir, 'pack.yaml');
    fs.writeFileSync(file, yaml);
    const error: string[] = [];
    const code = main(['validate', file], { log: () => undefined, error: (l) => error.push(l) });
    return { file, code, error };
  }

  it('prints a citation that points at nothing, with its line, path and rule', () => {
    const yaml = packYaml({ rules: [CP_PLAN_RULE.replace('¶12', '¶12, Transfer Panel')] });
    const line = yaml.split('\n').findIndex((l) => l.includes('Transfer Panel')) + 1;
    const { file, code, error } = validate(yaml);
    expect(code).toBe(EXIT_INVALID);
    expect(error).toEqual([
      `✗ ${file}: 1 problem`,
      `  ${file}:${line} /rules/0/citation (rule child-protection-plan-to-fsp): citation "000_c0d212b149d080fa.txt ¶12, Transfer Panel" names "Transfer Panel", which is not a heading of 000_c0d212b149d080fa.txt`,
    ]);
  });

  it('refuses a pack whose source document is not in policies/sources', () => {
    const yaml = packYaml().replace(/000_c0d212b149d080fa\.txt/g, '999_0000000000000000.txt');
    const { code, error } = validate(yaml);
    expect(code).toBe(EXIT_INVALID);
    expect(error).toEqual(expect.arrayContaining([expect.stringMatching(/ \/source: source document 999_0000000000000000\.txt is not in .*sources: a pack must ship with the document it cites$/)]));
  });

  it('is not run when packs are loaded for the services: they read packs validate has passed', () => {
    expect(checkPolicyPack(packYaml({ rules: [CP_PLAN_RULE.replace('¶12', '¶99')] })).ok).toBe(true);
  });
});

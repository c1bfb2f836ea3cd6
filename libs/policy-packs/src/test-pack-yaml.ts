/**
 * Test fixture (used only by this library's specs): small packs as YAML text, written the way a
 * team manager writes one, so each spec shows the YAML it is about.
 */

/** Strips the indentation common to all lines, so YAML can be indented inside a test. */
export function yamlText(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** 000 ¶12: a CP plan agreed at the ICPC moves the case from A&I to FSP at the initial core group. */
export const CP_PLAN_RULE = yamlText(`
  - id: child-protection-plan-to-fsp
    version: 1
    title: A child protection plan agreed at the ICPC moves the case from A&I to FSP
    citation: 000_c0d212b149d080fa.txt ¶12
    from: [A&I]
    to: FSP
    when:
      event: ICPCHeld
      conditions:
        - { fact: event.outcome, is: cp-plan }
    handover:
      description: the initial core group, within 10 working days following the ICPC
      meeting: initial-core-group
      within: 10 working days
      after: trigger
`);

/** A rule with nothing optional written: no conditions, exceptions or priority. */
export const PLO_RULE = yamlText(`
  - id: plo-to-fsp
    version: 1
    title: A case entering PLO moves from A&I to FSP at the initial PLO review meeting
    citation: 000_c0d212b149d080fa.txt ¶13
    from: [A&I]
    to: FSP
    when:
      event: PLOStarted
    handover:
      description: the initial PLO review meeting
      meeting: initial-plo-review
`);

export interface PackYamlOptions {
  id?: string;
  version?: string;
  authorities?: string[];
  /** Each rule is YAML text starting with "- id:" at column 0. */
  rules?: string[];
  /** Extra top-level lines, e.g. "nonWorkingDays: [2026-12-29]". */
  extra?: string;
}

/** A small valid pack (3 teams, 2 meeting kinds) around the given rules. */
export function packYaml({ id = 'test-pack', version = '1.0.0', authorities = ['demo'], rules = [CP_PLAN_RULE], extra = '' }: PackYamlOptions = {}): string {
  const indented = rules.map((rule) => rule.replace(/^(?=.)/gm, '  ')).join('');
  return (
    yamlText(`
      id: ${id}
      version: "${version}"
      title: Test pack
      source: 000_c0d212b149d080fa.txt
      authorities: [${authorities.join(', ')}]
      teams:
        - { code: A&I, name: Assessment and Intervention, managerRole: A&I team manager }
        - { code: FSP, name: Family Safeguarding and Permanence, managerRole: FSP team manager }
        - { code: CLA, name: Children Looked After, managerRole: CLA team manager }
      frontDoor: { team: A&I }
      meetingKinds:
        - { kind: initial-core-group, name: Initial core group (¶12) }
        - { kind: initial-plo-review, name: Initial PLO review meeting (¶13) }
      checklists:
        gating: non-blocking-escalate
        citation: 000_c0d212b149d080fa.txt ¶2
        templates:
          - id: transfer-standards
            title: Transfer standards
            citation: 000_c0d212b149d080fa.txt ¶3
            items:
              - { id: chronology-up-to-date, description: The chronology is up to date }
      escalation:
        citation: 000_c0d212b149d080fa.txt ¶14
        ladder:
          - { role: team manager, within: 1 working day }
          - { role: service manager }
        namedWorker: { within: 1 working day, citation: 000_c0d212b149d080fa.txt ¶1 }
    `) +
    (extra ? `${extra}\n` : '') +
    `rules:\n${indented}`
  );
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPolicyPack, DEFAULT_POLICIES_DIR, loadPolicyPackFile, loadPolicyPacks, parsePolicyPack, sourceDocumentsIn } from './load-policy-pack';
import { PolicyPackInvalid, type PolicyPackProblem } from './policy-pack-invalid';
import { CP_PLAN_RULE, packYaml, PLO_RULE, yamlText } from './test-pack-yaml';

/** The errors of a pack that must not load. */
function errorsOf(yaml: string): PolicyPackProblem[] {
  const result = checkPolicyPack(yaml);
  if (result.ok) throw new Error('expected the pack to be invalid, but it loaded');
  return result.errors;
}

/** The CP plan rule (000 ¶12) with one piece of its YAML replaced. */
const cpRuleWith = (from: string, to: string): string => {
  if (!CP_PLAN_RULE.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return CP_PLAN_RULE.replace(from, to);
};

/** The line (1-based) of the first line of `yaml` containing `text`. */
const lineOf = (yaml: string, text: string): number => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('the shipped packs', () => {
  it('policies/internal-transfer-v11.yaml (000) loads with no errors and no warnings', () => {
    const file = path.join(DEFAULT_POLICIES_DIR, 'internal-transfer-v11.yaml');
    const result = checkPolicyPack(fs.readFileSync(file, 'utf8'));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok && result.pack).toMatchObject({ id: 'internal-transfer-v11', source: '000_c0d212b149d080fa.txt', authorities: ['demo'] });
  });

  it('loadPolicyPacks() reads the policies/ folder', () => {
    expect(loadPolicyPacks().map((p) => p.id)).toContain('internal-transfer-v11');
  });
});

describe('parsePolicyPack', () => {
  it('returns the pack in the domain form', () => {
    const pack = parsePolicyPack(packYaml(), 'test.yaml');
    expect(pack).toMatchObject({ id: 'test-pack', version: '1.0.0', frontDoor: { team: 'A&I' } });
    expect(pack.rules.map((r) => r.id)).toEqual(['child-protection-plan-to-fsp']);
  });

  it('throws PolicyPackInvalid naming the file and listing every problem, one per line', () => {
    const yaml = packYaml({ rules: [cpRuleWith('to: FSP\n', 'to: FSPX\n').replace('cp-plan }', 'cp-plan, equals: 1 }')] });
    let thrown: unknown;
    try {
      parsePolicyPack(yaml.replace('title: Test pack\n', 'title: Test pack\nowner: me\n'), 'policies/bad.yaml');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PolicyPackInvalid);
    const error = thrown as PolicyPackInvalid;
    expect(error.code).toBe('POLICY_PACK_INVALID');
    expect(error.file).toBe('policies/bad.yaml');
    expect(error.problems.map((p) => p.path)).toEqual(['/owner', '/rules/0/when/conditions/0/equals']);
    // Schema errors stop the pack before the semantic checks, so the unknown team waits its turn.
    expect(error.message.split('\n')).toEqual([
      'policy pack policies/bad.yaml is invalid (2 problems):',
      '  policies/bad.yaml:4 /owner: owner is not allowed here; allowed: id, version, title, source, authorities, teams, frontDoor, meetingKinds, nonWorkingDays, notEncoded, rules, checklists, escalation, deadlines, holdingTeams, ageMilestones, requestedTransfers, siblings',
      expect.stringMatching(/^ {2}policies\/bad\.yaml:\d+ \/rules\/0\/when\/conditions\/0\/equals \(rule child-protection-plan-to-fsp\): equals is not allowed here/),
    ]);
  });
});

describe('YAML syntax errors', () => {
  it('are reported with their line and column', () => {
    const yaml = packYaml().replace('authorities: [demo]', 'authorities: [demo');
    const [problem, ...others] = errorsOf(yaml);
    expect(others).toEqual([]);
    expect(problem).toMatchObject({ path: '', line: lineOf(yaml, 'authorities:') + 1, column: 1 });
    expect(problem.message).toMatch(/Flow sequence/);
  });

  it('include a key written twice (never "the last one wins")', () => {
    const yaml = packYaml().replace('title: Test pack\n', 'title: Test pack\ntitle: Another\n');
    expect(errorsOf(yaml)).toEqual([expect.objectContaining({ message: 'Map keys must be unique', line: 4 })]);
  });

  it('include a second document in the file', () => {
    expect(errorsOf(`${packYaml()}---\nid: other\n`)[0].message).toMatch(/multiple documents/);
  });
});

describe('schema errors carry the JSON pointer, the YAML line and the rule', () => {
  it('an unknown key in a rule, with the key it was probably meant to be', () => {
    const yaml = packYaml({ rules: [cpRuleWith('to: FSP\n', 'to: FSP\n  priorty: 2\n')] });
    expect(errorsOf(yaml)).toEqual([
      {
        path: '/rules/0/priorty',
        ruleId: 'child-protection-plan-to-fsp',
        line: lineOf(yaml, 'priorty'),
        message: 'priorty is not allowed here (did you mean priority?); allowed: id, version, title, citation, outcome, from, to, toArea, holdsWhile, when, unless, priority, handover, overdueAs, reading',
      },
    ]);
  });

  it('a missing citation, with what a citation is', () => {
    const yaml = packYaml({ rules: [cpRuleWith('  citation: 000_c0d212b149d080fa.txt ¶12\n', '')] });
    expect(errorsOf(yaml)).toEqual([
      {
        path: '/rules/0/citation',
        ruleId: 'child-protection-plan-to-fsp',
        line: lineOf(yaml, '- id: child-protection-plan-to-fsp'),
        message: expect.stringMatching(/^is required: where the procedure says this/),
      },
    ]);
  });

  it('an operator that does not exist, and nothing about the anyOf form it is not', () => {
    const yaml = packYaml({ rules: [cpRuleWith('is: cp-plan', 'equals: cp-plan')] });
    expect(errorsOf(yaml)).toEqual([
      {
        path: '/rules/0/when/conditions/0/equals',
        ruleId: 'child-protection-plan-to-fsp',
        line: lineOf(yaml, 'equals'),
        message: 'equals is not allowed here; allowed: fact, is, isNot, in, notIn, present, includes, includesAny, atLeast, moreThan, below',
      },
    ]);
  });

  it('a condition with two operators', () => {
    const yaml = packYaml({ rules: [cpRuleWith('is: cp-plan', 'is: cp-plan, in: [cp-plan, cin-plan]')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({
        path: '/rules/0/when/conditions/0',
        message: 'has 2 operators (is, in): a condition takes exactly one; write one condition per operator',
      }),
    ]);
  });

  it('a condition with no operator', () => {
    const yaml = packYaml({ rules: [cpRuleWith('{ fact: event.outcome, is: cp-plan }', '{ fact: event.outcome }')] });
    expect(errorsOf(yaml)).toEqual([expect.objectContaining({ path: '/rules/0/when/conditions/0', message: expect.stringMatching(/^has no operator: add one of is, isNot/) })]);
  });

  it('a bad condition inside anyOf is reported where it is', () => {
    const yaml = packYaml({
      rules: [cpRuleWith('- { fact: event.outcome, is: cp-plan }', '- anyOf:\n        - { fact: event.outcome, is: cp-plan }\n        - { fact: event.outcome, equals: cin-plan }')],
    });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/rules/0/when/conditions/0/anyOf/1/equals', line: lineOf(yaml, 'equals: cin-plan') }),
    ]);
  });

  it('something that is no condition at all', () => {
    const yaml = packYaml({ rules: [cpRuleWith('- { fact: event.outcome, is: cp-plan }', '- event.outcome is cp-plan')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/rules/0/when/conditions/0', message: expect.stringMatching(/^is not a condition: write a fact and one operator/) }),
    ]);
  });

  it('`event` and `events` both given', () => {
    const yaml = packYaml({ rules: [cpRuleWith('event: ICPCHeld\n', 'event: ICPCHeld\n    events: [RCPCHeld]\n')] });
    expect(errorsOf(yaml)).toEqual([
      {
        path: '/rules/0/when',
        ruleId: 'child-protection-plan-to-fsp',
        line: lineOf(yaml, 'when:'),
        message: 'needs the trigger as either `event` (one case event type) or `events` (a list of them), not both',
      },
    ]);
  });

  it('neither `event` nor `events` given', () => {
    const yaml = packYaml({ rules: [cpRuleWith('    event: ICPCHeld\n', '')] });
    expect(errorsOf(yaml)).toEqual([expect.objectContaining({ path: '/rules/0/when', message: expect.stringMatching(/^needs the trigger as either `event`/) })]);
  });

  it('an anchor that is none of trigger, a meeting or an age', () => {
    const yaml = packYaml({ rules: [cpRuleWith('after: trigger', 'after: { meting: initial-core-group }')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/rules/0/handover/after', message: expect.stringMatching(/^is not an anchor: write trigger, \{ meeting/) }),
    ]);
  });

  it('an age anchor whose age is no duration is reported at the age', () => {
    const yaml = packYaml({ rules: [cpRuleWith('after: trigger', 'after: { age: sixteen }')] });
    expect(errorsOf(yaml)).toEqual([expect.objectContaining({ path: '/rules/0/handover/after/age', message: expect.stringMatching(/^must be a duration/) })]);
  });

  it('a duration without its unit, a version without quotes, a source that is no seed file, a bad date', () => {
    const yaml = packYaml({ rules: [cpRuleWith('within: 10 working days', 'within: "10"')], extra: 'nonWorkingDays: [2026-02-30]' })
      .replace('version: "1.0.0"', 'version: 1.0')
      .replace('source: 000_c0d212b149d080fa.txt', 'source: internal transfer.docx');
    expect(errorsOf(yaml).map(({ path: p, message }) => [p, message])).toEqual([
      ['/version', 'must be three numbers in quotes, e.g. "11.1.0"'],
      ['/source', expect.stringMatching(/^must be the procedure document's file name/)],
      ['/nonWorkingDays/0', 'must be a real date written YYYY-MM-DD, e.g. 2026-12-29'],
      ['/rules/0/handover/within', expect.stringMatching(/^must be a duration: a whole number and a unit/)],
    ]);
  });

  it('a rule version that is not a whole number from 1, and a team listed twice in `from`', () => {
    const yaml = packYaml({ rules: [cpRuleWith('  version: 1\n', '  version: 0\n').replace('from: [A&I]', 'from: [A&I, A&I]')] });
    expect(errorsOf(yaml).map(({ path: p, message }) => [p, message])).toEqual([
      ['/rules/0/version', 'must be at least 1'],
      ['/rules/0/from', 'lists "A&I" twice'],
    ]);
  });

  it('a value cut in two by a comma in a flow mapping gets a hint', () => {
    const yaml = packYaml().replace('name: Initial core group (¶12)', 'name: Initial core group (¶12, ¶13)');
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/meetingKinds/0/¶13)', message: expect.stringMatching(/cut in two by a comma\? Put that value in quotes/) }),
    ]);
  });

  it('an empty file', () => {
    expect(errorsOf('')).toEqual([{ path: '', message: 'must be a set of fields (name: value)' }]);
  });
});

describe('semantic errors from the domain (validatePack) carry the pointer, line and rule', () => {
  it('an unknown team in `to`', () => {
    const yaml = packYaml({ rules: [cpRuleWith('to: FSP\n', 'to: FSPX\n')] });
    expect(errorsOf(yaml)).toEqual([
      { path: '/rules/0/to', ruleId: 'child-protection-plan-to-fsp', line: lineOf(yaml, 'to: FSPX'), message: 'unknown team FSPX' },
    ]);
  });

  // 003 §4: the Assistant Director is told "where necessary" by the Service Manager, with no timescale.
  it('a rung reached only by request loads below a rung with no `within`, and is refused below one with it or at rung 1; a reason may enter there', () => {
    const ladder = (rungs: string) => packYaml().replace(/ladder:\n(?: {4}- .*\n)+/, `ladder:\n${rungs}`);
    const untimed = ladder('    - { role: team manager, within: 1 working day }\n    - { role: service manager }\n    - { role: assistant director, reachedBy: request }\n');
    expect(checkPolicyPack(untimed)).toMatchObject({ ok: true, pack: { escalation: { ladder: [{ role: 'team manager' }, { role: 'service manager' }, { role: 'assistant director', reachedBy: 'request' }] } } });

    const timedBelow = ladder('    - { role: team manager, within: 1 working day }\n    - { role: service manager, within: 5 working days }\n    - { role: assistant director, reachedBy: request }\n');
    expect(errorsOf(timedBelow)).toEqual([
      expect.objectContaining({
        path: '/escalation/ladder/1/within',
        line: lineOf(timedBelow, 'within: 5 working days'),
        message: "rung 3 (assistant director) is reached only by request: rung 2's `within` would pass with nothing happening; leave it out",
      }),
    ]);
    expect(errorsOf(ladder('    - { role: team manager, reachedBy: request, within: 1 working day }\n    - { role: service manager }\n')).map((e) => e.path)).toEqual(['/escalation/ladder/0/reachedBy']);
    // A reason the procedure sends straight to a rung reached only by request may enter there.
    expect(checkPolicyPack(untimed.replace('  namedWorker:', '  entry: { disputed: 3 }\n  namedWorker:'))).toMatchObject({ ok: true, pack: { escalation: { entry: { disputed: 3 } } } });
    expect(errorsOf(ladder('    - { role: team manager, within: 1 working day }\n    - { role: assistant director, reachedBy: when-asked }\n')).map((e) => e.path)).toEqual([
      '/escalation/ladder/1/reachedBy',
    ]);
  });

  // 003 §9: "any delay in the receiving local authority accepting responsibility of the child" goes
  // to the Service Manager; the pack's team for another authority is frontDoor.inbound.
  it('overdueAs inter-authority-delay loads on a transfer to or from the team for another authority, and is refused on any other', () => {
    const rule = cpRuleWith('to: FSP\n', 'to: FSP\n  overdueAs: inter-authority-delay\n');
    const inbound = (team: string) => packYaml({ rules: [rule] }).replace('frontDoor: { team: A&I }', `frontDoor: { team: A&I, inbound: ${team} }`);
    expect(checkPolicyPack(inbound('FSP'))).toMatchObject({ ok: true, pack: { rules: [{ overdueAs: 'inter-authority-delay' }] } });
    expect(checkPolicyPack(inbound('A&I'))).toMatchObject({ ok: true });
    const yaml = inbound('CLA');
    expect(errorsOf(yaml)).toEqual([
      {
        path: '/rules/0/overdueAs',
        ruleId: 'child-protection-plan-to-fsp',
        line: lineOf(yaml, 'overdueAs: inter-authority-delay'),
        message: 'inter-authority-delay is for a transfer to or from another authority, but the rule neither sends the child to CLA (frontDoor.inbound) nor takes it from there',
      },
    ]);
    expect(errorsOf(packYaml({ rules: [rule] })).map((e) => [e.path, e.message])).toEqual([
      ['/rules/0/overdueAs', 'inter-authority-delay needs the team that stands for another authority: name it in frontDoor.inbound'],
    ]);
    expect(errorsOf(packYaml({ rules: [cpRuleWith('to: FSP\n', 'to: FSP\n  overdueAs: late\n')] })).map((e) => e.path)).toEqual(['/rules/0/overdueAs']);
  });

  // 003 §4: "The Child Protection Chair or IRO should be kept updated if there are difficulties experienced in transferring a child".
  it('a rung\'s alsoTell loads with its reasons and child conditions, and is refused with an event fact, its rung\'s own role, or a role twice', () => {
    const notice = (extra: string) =>
      packYaml().replace(
        '    - { role: team manager, within: 1 working day }\n',
        `    - role: team manager\n      within: 1 working day\n      alsoTell:\n        - { role: Child Protection Chair, citation: 000_c0d212b149d080fa.txt ¶14, reasons: [overdue, inter-authority-delay], when: [{ fact: child.plan, is: cp }] }\n${extra}`,
      );
    expect(checkPolicyPack(notice(''))).toMatchObject({
      ok: true,
      pack: { escalation: { ladder: [{ alsoTell: [{ role: 'Child Protection Chair', reasons: ['overdue', 'inter-authority-delay'], when: [{ fact: 'child.plan', is: 'cp' }] }] }, {}] } },
    });
    const eventFact = notice('        - { role: IRO, citation: 000_c0d212b149d080fa.txt ¶14, when: [{ fact: event.outcome, is: cp-plan }] }\n');
    expect(errorsOf(eventFact).map((e) => [e.path, e.message])).toEqual([
      ['/escalation/ladder/0/alsoTell/1/when', 'event.outcome is a fact of an arriving case event; a notice is judged on the day a matter is raised, so only child.* facts can be read'],
    ]);
    expect(errorsOf(notice('        - { role: team manager, citation: 000_c0d212b149d080fa.txt ¶14 }\n        - { role: Child Protection Chair, citation: 000_c0d212b149d080fa.txt ¶14 }\n')).map((e) => [e.path, e.message])).toEqual([
      ['/escalation/ladder/0/alsoTell/1/role', "team manager is this rung's own role: it is told already"],
      ['/escalation/ladder/0/alsoTell/2/role', 'Child Protection Chair is told twice at rung 1'],
    ]);
    expect(errorsOf(notice('        - { role: IRO, citation: elsewhere.txt ¶1 }\n')).map((e) => e.path)).toEqual(['/escalation/ladder/0/alsoTell/1/citation']);
  });

  it('an unknown meeting kind', () => {
    const yaml = packYaml({ rules: [cpRuleWith('meeting: initial-core-group', 'meeting: core-group')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/rules/0/handover/meeting', line: lineOf(yaml, 'meeting: core-group'), message: 'unknown meeting kind core-group' }),
    ]);
  });

  it('an age in hours or working days (an age is counted from the date of birth in calendar units)', () => {
    const yaml = packYaml({ rules: [cpRuleWith('after: trigger', 'before: { age: 48 hours }')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/rules/0/handover/before/age', message: '"48 hours" is not an age: an age is counted in years, months, weeks or days' }),
    ]);
  });

  it('a checklist item due before or after a meeting: known kinds load, an unknown kind is reported at the item', () => {
    const item = (due: string) => packYaml().replace('{ id: chronology-up-to-date, description: The chronology is up to date }', `{ id: chronology-up-to-date, description: The chronology is up to date, due: ${due} }`);
    expect(checkPolicyPack(item('{ within: 48 hours, before: { meeting: initial-core-group } }')).ok).toBe(true);
    expect(checkPolicyPack(item('{ within: 2 working days, after: { meeting: initial-plo-review } }')).ok).toBe(true);
    expect(errorsOf(item('{ within: 48 hours, before: { meeting: step-down-panel } }'))).toEqual([
      expect.objectContaining({ path: '/checklists/templates/0/items/0/due/before/meeting', message: 'unknown meeting kind step-down-panel' }),
    ]);
    expect(errorsOf(item('{ within: 48 hours, before: proposal }'))).toEqual([
      expect.objectContaining({ path: '/checklists/templates/0/items/0/due/before', message: 'must be handover or { meeting: <meeting kind> }' }),
    ]);
  });

  it('several lead times for one age: warnAhead loads, and is refused with a bad duration or the announcement\'s own lead', () => {
    const milestone = (fields: string) => packYaml({ extra: `ageMilestones:\n  - { ageYears: 18, ${fields}, citation: 000_c0d212b149d080fa.txt ¶20 }\n` });
    expect(checkPolicyPack(milestone('ahead: 1 month, warnAhead: [3 months, 1 week]'))).toMatchObject({ ok: true, pack: { ageMilestones: [{ ageYears: 18, ahead: '1 month', warnAhead: ['3 months', '1 week'] }] } });
    expect(errorsOf(milestone('ahead: 1 month, warnAhead: [3 months, 1 month]'))).toEqual([
      expect.objectContaining({ path: '/ageMilestones/0/warnAhead', message: '"1 month" is the announcement\'s own lead time (ahead)' }),
    ]);
    expect(errorsOf(milestone('warnAhead: [ten days]'))).toEqual([expect.objectContaining({ path: '/ageMilestones/0/warnAhead/0', message: expect.stringMatching(/^"ten days" is not a duration/) })]);
    expect(errorsOf(milestone('warnAhead: []')).map((e) => e.path)).toEqual(['/ageMilestones/0/warnAhead']);
  });

  it('working hours, with why they cannot be counted', () => {
    const yaml = packYaml({ rules: [cpRuleWith('within: 10 working days', 'within: 48 working hours')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({
        path: '/rules/0/handover/within',
        message: expect.stringContaining('working hours cannot be counted: the facts carry dates, not times of day'),
      }),
    ]);
  });

  it('a duration in words ("ten days")', () => {
    const yaml = packYaml({ rules: [cpRuleWith('within: 10 working days', 'within: ten days')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({
        path: '/rules/0/handover/within',
        line: lineOf(yaml, 'within: ten days'),
        message: expect.stringMatching(/^"ten days" is not a duration: invalid duration "ten days": cannot read "ten days"/),
      }),
    ]);
  });

  it('an unknown event type written as `event:` is found on that line', () => {
    const yaml = packYaml({ rules: [cpRuleWith('event: ICPCHeld', 'event: ICPCHold')] });
    expect(errorsOf(yaml)).toEqual([
      expect.objectContaining({ path: '/rules/0/when/events/0', line: lineOf(yaml, 'event: ICPCHold'), message: 'unknown case event type ICPCHold' }),
    ]);
  });

  describe('a handover point that is a later fact (onFact) or the earliest of several (earliestOf)', () => {
    const handover = (text: string) => cpRuleWith(
      '    description: the initial core group, within 10 working days following the ICPC\n    meeting: initial-core-group\n    within: 10 working days\n    after: trigger\n',
      text,
    );
    const onFact = yamlText(`
      description: at the final care order
      onFact:
        events: [OrderMade]
        conditions: [{ is: care-order, fact: event.order }]
        lapsesOn:
          - { description: a placement order, citation: 000_c0d212b149d080fa.txt ¶12, events: [OrderMade], conditions: [{ fact: event.order, is: placement-order }] }
    `).replace(/^(?=.)/gm, '    ');

    it('loads, its conditions written in the domain order', () => {
      const result = checkPolicyPack(packYaml({ rules: [handover(onFact)] }));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.pack.rules[0].handover).toEqual({
        description: 'at the final care order',
        onFact: {
          events: ['OrderMade'],
          conditions: [{ fact: 'event.order', is: 'care-order' }],
          lapsesOn: [{ description: 'a placement order', citation: '000_c0d212b149d080fa.txt ¶12', events: ['OrderMade'], conditions: [{ fact: 'event.order', is: 'placement-order' }] }],
        },
      });
    });

    it('refuses a meeting or timescale beside it, an unknown event or fact, and two points waiting for facts', () => {
      const beside = packYaml({ rules: [handover(onFact.replace('    onFact:', '    meeting: initial-core-group\n    onFact:'))] });
      expect(errorsOf(beside)).toEqual([
        expect.objectContaining({ path: '/rules/0/handover', message: 'onFact is a handover point on its own: meeting cannot be beside it (list several points under earliestOf)' }),
      ]);
      const unknown = packYaml({ rules: [handover(onFact.replace('events: [OrderMade]\n', 'events: [OrderMaid]\n').replace('fact: event.order, is: placement', 'fact: child.shoeSize, is: placement'))] });
      expect(errorsOf(unknown).map((e) => `${e.path} ${e.message}`)).toEqual([
        '/rules/0/handover/onFact/events/0 unknown case event type OrderMaid',
        '/rules/0/handover/onFact/lapsesOn/0/conditions/0/fact unknown fact child.shoeSize',
      ]);
      const twoFacts = packYaml({
        rules: [
          handover(
            yamlText(`
              description: the earlier of two orders
              earliestOf:
                - { description: a care order, onFact: { events: [OrderMade] } }
                - { description: a hearing, onFact: { events: [HearingHeld] } }
            `).replace(/^(?=.)/gm, '    '),
          ),
        ],
      });
      expect(errorsOf(twoFacts).map((e) => `${e.path} ${e.message}`)).toEqual([
        '/rules/0/handover/earliestOf at most one of the points may wait for a later fact (onFact): the transfer records the one fact that dated it',
      ]);
    });

    it('checks each point of earliestOf, and wants at least two', () => {
      const one = packYaml({ rules: [handover('    description: one\n    earliestOf:\n      - { description: the core group, meeting: core-group }\n')] });
      expect(errorsOf(one).map((e) => e.path)).toEqual(['/rules/0/handover/earliestOf']);
      const two = packYaml({
        rules: [handover('    description: two\n    earliestOf:\n      - { description: the core group, meeting: core-group }\n      - { description: 10 days, within: 10 days, after: trigger }\n')],
      });
      expect(errorsOf(two).map((e) => `${e.path} ${e.message}`)).toEqual(['/rules/0/handover/earliestOf/0/meeting unknown meeting kind core-group']);
    });

    it('checks the citation of a lapse against the source document', () => {
      const yaml = packYaml({ rules: [handover(onFact.replace('citation: 000_c0d212b149d080fa.txt ¶12', 'citation: 000_c0d212b149d080fa.txt ¶999'))] });
      const result = checkPolicyPack(yaml, { sources: sourceDocumentsIn() });
      expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['/rules/0/handover/onFact/lapsesOn/0/citation']);
    });
  });

  it('an unknown fact', () => {
    const yaml = packYaml({ rules: [cpRuleWith('fact: event.outcome', 'fact: child.shoeSize')] });
    expect(errorsOf(yaml)).toEqual([expect.objectContaining({ path: '/rules/0/when/conditions/0/fact', message: 'unknown fact child.shoeSize' })]);
  });

  describe('two rules sending the same trigger to different teams', () => {
    const toCla = cpRuleWith('- id: child-protection-plan-to-fsp', '- id: child-protection-plan-to-cla').replace('to: FSP\n', 'to: CLA\n');

    it('is an error at equal priority', () => {
      const yaml = packYaml({ rules: [CP_PLAN_RULE, toCla] });
      expect(errorsOf(yaml)).toEqual([
        {
          path: '/rules/1',
          ruleId: 'child-protection-plan-to-cla',
          line: lineOf(yaml, '- id: child-protection-plan-to-cla'),
          message: expect.stringMatching(/^rules child-protection-plan-to-fsp and child-protection-plan-to-cla can both fire on ICPCHeld .* same priority/),
        },
      ]);
    });

    it("is resolved by an exception that the other rule's conditions imply, whatever order its fields are written in", () => {
      const yaml = packYaml({
        rules: [
          CP_PLAN_RULE.replace('{ fact: event.outcome, is: cp-plan }', '{ fact: event.outcome, is: cp-plan }\n      - { fact: child.inPLO, is: true }'),
          `${toCla}  unless:\n    - description: a case in PLO stays on the FSP route\n      conditions: [{ is: true, fact: child.inPLO }]\n`,
        ],
      });
      expect(checkPolicyPack(yaml)).toMatchObject({ ok: true });
    });

    it('is resolved by a priority', () => {
      const yaml = packYaml({ rules: [CP_PLAN_RULE, toCla.replace('to: CLA\n', 'to: CLA\n  priority: 1\n')] });
      expect(checkPolicyPack(yaml).ok).toBe(true);
    });
  });
});

// 003 §6: siblings taken along only by the care-proceedings transfers, with their own handover point.
describe('sibling rules', () => {
  const siblings = (rules: string, more = '') =>
    yamlText(`
      siblings:
        - id: siblings-on-plan-to-fsp
          version: 1
          title: Siblings on a plan move with the child
          citation: 000_c0d212b149d080fa.txt ¶1
          rules: [${rules}]
          when:
            - { fact: child.plan, is: cp }${more}
          handover: { description: the sibling's initial core group, meeting: initial-core-group }
    `);

  it('load in the per-rule form, and the pack-wide form still loads', () => {
    expect(checkPolicyPack(packYaml({ extra: siblings('child-protection-plan-to-fsp') }))).toMatchObject({
      ok: true,
      pack: { siblings: [{ id: 'siblings-on-plan-to-fsp', rules: ['child-protection-plan-to-fsp'], when: [{ fact: 'child.plan', is: 'cp' }], handover: { meeting: 'initial-core-group' } }] },
    });
    expect(checkPolicyPack(packYaml({ extra: 'siblings: { citation: 000_c0d212b149d080fa.txt ¶1 }\n' }))).toMatchObject({ ok: true, pack: { siblings: { citation: '000_c0d212b149d080fa.txt ¶1' } } });
  });

  it('refuse an unknown rule, a rule named twice, an id a transfer rule has, and a fact of the other child\'s event', () => {
    const yaml = packYaml({ extra: siblings('child-protection-plan-to-fsp, no-such-rule', '\n            - { fact: event.outcome, is: cp-plan }') });
    expect(errorsOf(yaml).map((e) => [e.path, e.line, e.message])).toEqual([
      ['/siblings/0/rules/1', lineOf(yaml, 'no-such-rule'), 'unknown rule no-such-rule'],
      ['/siblings/0/when/1/fact', lineOf(yaml, 'event.outcome'), "event.outcome is a fact of the other child's event: a sibling rule's conditions read the sibling (child.*)"],
    ]);
    const twice = packYaml({ extra: siblings('child-protection-plan-to-fsp') + siblings('child-protection-plan-to-fsp').replace('siblings:\n', '').replace('siblings-on-plan-to-fsp', 'child-protection-plan-to-fsp') });
    expect(errorsOf(twice).map((e) => [e.path, e.message])).toEqual([
      ['/siblings/1/id', "sibling rule id child-protection-plan-to-fsp is also a transfer rule's id"],
      ['/siblings/1/rules/0', 'rule child-protection-plan-to-fsp is already named by sibling rule siblings-on-plan-to-fsp: a transfer\'s siblings follow one sibling rule'],
    ]);
  });

  it('refuse an unknown meeting kind in the siblings\' handover point', () => {
    const yaml = packYaml({ extra: siblings('child-protection-plan-to-fsp').replace('meeting: initial-core-group', 'meeting: core-group') });
    expect(errorsOf(yaml).map((e) => [e.path, e.message])).toEqual([['/siblings/0/handover/meeting', 'unknown meeting kind core-group']]);
  });
});

// 000 ¶11, 001 §3: a rule tied to time passing says what proposes it, quoting the words it reads.
describe('a rule\'s reading', () => {
  const withReading = (quote: string) =>
    packYaml({
      rules: [
        `${CP_PLAN_RULE}  reading:\n    citation: "000_c0d212b149d080fa.txt ¶11, “${quote}”"\n    text: proposed when a review extends involvement; the 6 months alone propose nothing\n`,
      ],
    });

  it('loads, and reaches the domain form', () =>
    expect(checkPolicyPack(withReading('where involvement is extended beyond 6 months'), { sources: sourceDocumentsIn() })).toMatchObject({
      ok: true,
      pack: { rules: [{ reading: { citation: '000_c0d212b149d080fa.txt ¶11, “where involvement is extended beyond 6 months”', text: expect.stringContaining('alone propose nothing') } }] },
    }));

  it('is refused when the words it quotes are not in the cited paragraph', () => {
    const yaml = withReading('where involvement lasts beyond 3 months');
    const result = checkPolicyPack(yaml, { sources: sourceDocumentsIn() });
    expect(result.ok ? [] : result.errors).toEqual([expect.objectContaining({ path: '/rules/0/reading/citation', ruleId: 'child-protection-plan-to-fsp', line: lineOf(yaml, 'lasts beyond 3 months') })]);
  });
});

describe('normalisation to the domain form', () => {
  it('fills the defaults a pack may leave out, and turns `event` into `events`', () => {
    const pack = parsePolicyPack(packYaml({ rules: [PLO_RULE] }), 'test.yaml');
    expect(pack.nonWorkingDays).toEqual([]);
    expect(pack.rules[0]).toEqual({
      id: 'plo-to-fsp',
      version: 1,
      title: 'A case entering PLO moves from A&I to FSP at the initial PLO review meeting',
      citation: '000_c0d212b149d080fa.txt ¶13',
      from: ['A&I'],
      to: 'FSP',
      when: { events: ['PLOStarted'], conditions: [] },
      unless: [],
      handover: { description: 'the initial PLO review meeting', meeting: 'initial-plo-review' },
      priority: 0,
    });
  });

  it('keeps what is written: `events`, exceptions with and without a citation, priority, nested handover points', () => {
    const rule = yamlText(`
      - id: accommodated-16-or-17-to-cla
        version: 2
        title: An accommodated 16- or 17-year-old moves to CLA
        citation: 000_c0d212b149d080fa.txt ¶15
        from: [A&I, FSP]
        to: CLA
        when:
          events: [ChildAccommodated, OrderMade]
          conditions:
            - anyOf:
                - { fact: event.type, is: ChildAccommodated }
                - { fact: event.order, in: [EPO, ICO] }
            - { fact: child.age, atLeast: 16 years }
        unless:
          - description: a plan to issue proceedings
            conditions: [{ fact: event.planToIssueProceedings, is: true }]
          - description: reunification is planned
            citation: 000_c0d212b149d080fa.txt ¶19
            conditions: [{ fact: event.plan, is: reunification }]
        priority: 10
        handover:
          description: the core group
          meeting: initial-core-group
          tooFarAway:
            moreThan: 3 weeks
            then:
              description: before the core group
              meeting: initial-core-group
              within: 5 days
              before: { meeting: initial-core-group }
              fallback: { description: by 16, before: { age: 16 years } }
    `);
    const pack = parsePolicyPack(packYaml({ rules: [rule], extra: 'nonWorkingDays: [2026-12-29]' }), 'test.yaml');
    expect(pack.nonWorkingDays).toEqual(['2026-12-29']);
    expect(pack.rules[0]).toMatchObject({
      version: 2,
      when: {
        events: ['ChildAccommodated', 'OrderMade'],
        conditions: [
          { anyOf: [{ fact: 'event.type', is: 'ChildAccommodated' }, { fact: 'event.order', in: ['EPO', 'ICO'] }] },
          { fact: 'child.age', atLeast: '16 years' },
        ],
      },
      unless: [
        { description: 'a plan to issue proceedings', conditions: [{ fact: 'event.planToIssueProceedings', is: true }] },
        { description: 'reunification is planned', citation: '000_c0d212b149d080fa.txt ¶19', conditions: [{ fact: 'event.plan', is: 'reunification' }] },
      ],
      priority: 10,
      handover: {
        tooFarAway: {
          moreThan: '3 weeks',
          then: { within: '5 days', before: { meeting: 'initial-core-group' }, fallback: { description: 'by 16', before: { age: '16 years' } } },
        },
      },
    });
    expect(pack.rules[0].unless[0]).not.toHaveProperty('citation');
  });
});

describe('loading files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-packs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loadPolicyPacks reads every *.yaml of a folder, sorted by file name, and nothing else', () => {
    fs.writeFileSync(path.join(dir, 'b.yaml'), packYaml({ id: 'pack-b', authorities: ['kent'] }));
    fs.writeFileSync(path.join(dir, 'a.yaml'), packYaml({ id: 'pack-a', authorities: ['surrey'] }));
    fs.writeFileSync(path.join(dir, 'policy-pack.schema.json'), '{}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a pack');
    expect(loadPolicyPacks(dir).map((p) => p.id)).toEqual(['pack-a', 'pack-b']);
  });

  it('loadPolicyPackFile names the file in its error', () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, packYaml({ rules: [cpRuleWith('to: FSP\n', 'to: FSPX\n')] }));
    expect(() => loadPolicyPackFile(file)).toThrow(expect.objectContaining({ code: 'POLICY_PACK_INVALID', file }));
  });
});

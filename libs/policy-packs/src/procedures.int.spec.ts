/**
 * The procedures each pack encodes beside its transfer points (DESIGN.md "Policy packs"): transfer
 * standards (checklists and their gating), the escalation ladder, deadlines between facts and age
 * milestones. Each pack's facts are pinned to the seed paragraph that says them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESCALATION_REASONS, type PolicyPack } from '@cto/domain';
import { checkPolicyPack, DEFAULT_POLICIES_DIR } from './load-policy-pack';

const PACK_IDS = ['internal-transfer-v11', 'case-transfer-protocol-2023', 'casework-transfer-policy', 'kent', 'southampton'] as const;
type PackId = (typeof PACK_IDS)[number];

const checked = Object.fromEntries(
  PACK_IDS.map((id) => [id, checkPolicyPack(fs.readFileSync(path.join(DEFAULT_POLICIES_DIR, `${id}.yaml`), 'utf8'))]),
) as Record<PackId, ReturnType<typeof checkPolicyPack>>;

const packOf = (id: PackId): PolicyPack => {
  const result = checked[id];
  if (!result.ok) throw new Error(`${id} does not load: ${JSON.stringify(result.errors)}`);
  return result.pack;
};

const template = (pack: PolicyPack, id: string) => {
  const found = pack.checklists.templates.find((t) => t.id === id);
  if (!found) throw new Error(`${pack.id} has no checklist template ${id}`);
  return found;
};
const item = (pack: PolicyPack, id: string) => {
  const found = pack.checklists.templates.flatMap((t) => t.items).find((i) => i.id === id);
  if (!found) throw new Error(`${pack.id} has no checklist item ${id}`);
  return found;
};
const roles = (pack: PolicyPack) => pack.escalation.ladder.map((r) => r.role);
const ages = (pack: PolicyPack) => pack.ageMilestones.map((m) => m.ageYears);

/** Every citation a procedure section carries, with where it is. */
function procedureCitations(pack: PolicyPack): [string, string][] {
  const { checklists, escalation } = pack;
  return [
    ['/checklists', checklists.citation],
    ...checklists.templates.flatMap((t): [string, string][] => [
      [`template ${t.id}`, t.citation],
      ...t.items.filter((i) => i.citation !== undefined).map((i): [string, string] => [`item ${i.id}`, i.citation!]),
    ]),
    ['/escalation', escalation.citation],
    ...escalation.ladder.filter((r) => r.citation !== undefined).map((r): [string, string] => [`rung ${r.role}`, r.citation!]),
    ['/escalation/namedWorker', escalation.namedWorker.citation],
    ...pack.deadlines.map((d): [string, string] => [`deadline ${d.id}`, d.citation]),
    ...pack.ageMilestones.map((m): [string, string] => [`milestone ${m.ageYears}`, m.citation]),
  ];
}

describe.each(PACK_IDS)('%s: checklists, ladder, deadlines and milestones', (id) => {
  it('loads with no errors and no warnings', () => {
    expect(checked[id]).toMatchObject({ ok: true, warnings: [] });
  });

  it('has checklist templates with items, and a ladder whose every rung but the top, and but one below a rung reached only by request, has a timescale', () => {
    const pack = packOf(id);
    expect(pack.checklists.templates.length).toBeGreaterThan(0);
    for (const t of pack.checklists.templates) expect(t.items.length).toBeGreaterThan(0);
    expect(pack.escalation.ladder.length).toBeGreaterThan(0);
    pack.escalation.ladder.slice(0, -1).forEach((rung, i) => expect(rung.within).toEqual(pack.escalation.ladder[i + 1].reachedBy === 'request' ? undefined : expect.any(String)));
    expect(pack.escalation.ladder.at(-1)!.within).toBeUndefined();
    for (const reason of Object.keys(pack.escalation.entry)) expect(ESCALATION_REASONS).toContain(reason);
    expect(pack.ageMilestones.length).toBeGreaterThan(0);
  });

  it("cites the pack's source document in every citation", () => {
    const pack = packOf(id);
    const wrong = procedureCitations(pack).filter(([, citation]) => !citation.startsWith(pack.source));
    expect(wrong).toEqual([]);
  });

  it('gives every checklist item its own lower-case kebab id, unique within the pack', () => {
    const ids = packOf(id).checklists.templates.flatMap((t) => t.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const itemId of ids) expect(itemId).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('000 internal-transfer-v11', () => {
  const pack = packOf('internal-transfer-v11');

  it('¶2: the transfer standards never delay a transfer, but are escalated', () => {
    expect(pack.checklists.gating).toBe('non-blocking-escalate');
    expect(pack.checklists.citation).toBe('000_c0d212b149d080fa.txt ¶2');
  });

  it('¶3–¶8: the standards updated prior to every transfer', () => {
    const standards = template(pack, 'case-transfer-standards');
    expect(standards.appliesTo).toEqual({});
    expect(standards.items.map((i) => i.id)).toEqual(
      expect.arrayContaining(['one-page-profile', 'photo-and-genogram', 'demographic-information', 'chronology-and-case-summary', 'legal-pathway-updated', 'critical-key-documents', 'handover-supervision']),
    );
    expect(item(pack, 'one-page-profile').citation).toBe('000_c0d212b149d080fa.txt ¶3');
    expect(item(pack, 'handover-supervision').citation).toBe('000_c0d212b149d080fa.txt ¶8');
  });

  it('¶21–¶24 apply to FSP → CLA only; ¶20 to CLA → 16+', () => {
    expect(template(pack, 'fsp-to-cla').appliesTo).toEqual({ from: ['FSP'], to: ['CLA'] });
    expect(template(pack, 'cla-to-16-plus').appliesTo).toEqual({ from: ['CLA'], to: ['16+'] });
    expect(template(pack, 'cla-to-16-plus').items.map((i) => i.id)).toContain('pathway-plan-up-to-date');
  });

  it('¶14: team managers escalate to their service manager', () => {
    expect(roles(pack)).toEqual(['Team managers (transferring and receiving)', 'Service manager']);
    expect(pack.escalation.entry).toEqual({});
  });

  it('¶15–¶20: milestones at 15½ and 16, and no deadlines between facts', () => {
    expect(ages(pack)).toEqual([15.5, 16]);
    expect(pack.deadlines).toEqual([]);
  });

  it('no longer lists the standards or the ¶14 escalation as not encoded', () => {
    expect(pack.notEncoded.map((n) => n.citation)).not.toContain('000_c0d212b149d080fa.txt ¶2–¶8');
    expect(pack.notEncoded.map((n) => n.citation)).not.toContain('000_c0d212b149d080fa.txt ¶14 (last sentence)');
  });
});

describe('001 case-transfer-protocol-2023', () => {
  const pack = packOf('case-transfer-protocol-2023');

  it('§2: the case is transferred once the list is completed (blocking)', () => {
    expect(pack.checklists.gating).toBe('blocking');
  });

  it("§2: the Mosaic list, in the document's order, for transfers other than MASH's routing", () => {
    const mosaic = template(pack, 'mosaic-case-records');
    expect(mosaic.items.map((i) => i.id)).toEqual([
      'case-summary',
      'contacts-on-mosaic',
      'chronology',
      'case-notes',
      'assessment-completed-and-shared',
      'childs-plan-clear',
      'supervision-records',
      'legal-orders-uploaded',
      'meeting-minutes-shared',
    ]);
    for (const t of pack.checklists.templates) expect(t.appliesTo.from).not.toContain('MASH');
  });

  it('§4: difficulties are resolved between the Service Managers, the only rung', () => {
    expect(roles(pack)).toEqual(['Service Managers (sending and receiving)']);
  });

  it('§3 MASH: a decision within 1 working day of the contact or referral; §3 Assessment: 45 days', () => {
    const mash = pack.deadlines.find((d) => d.id === 'mash-decision-within-1-working-day');
    expect(mash).toMatchObject({ starts: { events: ['ReferralReceived'] }, metBy: { events: ['ThresholdDecisionMade'] }, within: '1 working day' });
    const assessment = pack.deadlines.find((d) => d.id === 'single-assessment-within-45-days');
    expect(assessment).toMatchObject({ starts: { events: ['ThresholdDecisionMade'] }, metBy: { events: ['AssessmentCompleted'] }, within: '45 days' });
  });

  it('§3 Permanence teams: milestones at 17½ and 18', () => {
    expect(ages(pack)).toEqual([17.5, 18]);
  });
});

describe('002 casework-transfer-policy', () => {
  const pack = packOf('casework-transfer-policy');

  it('Key Principles: no transfer before the checklist is signed off by a Practice Manager (blocking)', () => {
    expect(pack.checklists.gating).toBe('blocking');
    expect(item(pack, 'signed-off-by-practice-manager').citation).toBe('002_db118e58069623db.txt Key Principles');
    expect(template(pack, 'transfer-checklist').appliesTo).toEqual({});
  });

  it('practice manager → group manager → senior leadership team; capacity straight to the top, a delaying checklist to the Group Manager', () => {
    expect(roles(pack)).toEqual(['Practice Manager (PM)', 'Group Manager', 'Senior Leadership team']);
    expect(pack.escalation.entry).toEqual({ capacity: 3, 'checklist-incomplete': 2 });
  });

  it('row 7: milestones at 16 and 18; no deadlines (the document gives no timescale)', () => {
    expect(ages(pack)).toEqual([16, 18]);
    expect(pack.deadlines).toEqual([]);
  });

  it('no longer lists the sign-off or the Senior Leadership team as not encoded', () => {
    const notEncoded = pack.notEncoded.map((n) => n.what).join('\n');
    expect(notEncoded).not.toMatch(/signs the checklist off|capacity issues to the Senior Leadership/);
  });
});

describe('003 kent', () => {
  const pack = packOf('kent');

  it('§1, §2: non-blocking ("No delay is acceptable")', () => {
    expect(pack.checklists.gating).toBe('non-blocking-escalate');
  });

  it('§4: the team manager alerts the service manager within 1 working day; a dispute goes straight to the service manager, who "where necessary" escalates to the assistant director (a rung reached only by request)', () => {
    expect(pack.escalation.ladder).toEqual([
      expect.objectContaining({ role: 'Team Manager', within: '1 working day' }),
      expect.objectContaining({ role: 'Service Manager' }),
      expect.objectContaining({ role: 'Assistant Director', reachedBy: 'request' }),
    ]);
    expect(pack.escalation.ladder[1].within).toBeUndefined();
    expect(pack.escalation.ladder[2].within).toBeUndefined();
    expect(pack.escalation.entry.disputed).toBe(2);
    // What is left to the Service Managers' judgement stays listed; no entry says the format cannot express it.
    expect(pack.notEncoded.filter((n) => /Assistant Director/.test(n.what)).map((n) => n.why)).toEqual([expect.stringMatching(/judgement/)]);
  });

  it('§2 step 9: a child on a CP plan or in care is never left unallocated', () => {
    expect(pack.escalation.namedWorker).toEqual({ within: '0 days', citation: '003_fbe064539c50cc36.txt §2 step 9, §4' });
  });

  it('§2: the 18+ requirements apply to transfers to the 18+ Team', () => {
    const eighteenPlus = template(pack, 'eighteen-plus-transfer');
    expect(eighteenPlus.appliesTo).toEqual({ to: ['18+'] });
    const text = eighteenPlus.items.map((i) => i.description.toLowerCase()).join('\n');
    for (const what of ['national insurance number', 'pathway plan', 'bank account', 'passport', 'staying put']) expect(text).toContain(what);
  });

  it('§2: the letter to the family within 2 working days of the handover', () => {
    expect(item(pack, 'letter-to-family-and-professionals').due).toEqual({ within: '2 working days', after: 'handover' });
  });

  it('§9: the other authority notified within 1 working day of a CIN move', () => {
    expect(template(pack, 'child-in-need-move-to-another-authority').appliesTo).toEqual({ rules: ['child-in-need-moved-to-other-authority'] });
    expect(item(pack, 'other-authority-notified').due).toEqual({ within: '1 working day', after: 'proposal' });
  });

  it('§8: a CIN move within Kent is a transfer to CSWT in the receiving district, via a Child in Need meeting within 10 working days', () => {
    const rule = pack.rules.find((r) => r.id === 'child-in-need-moved-between-kent-areas')!;
    expect(rule).toMatchObject({ from: ['CSWT'], to: 'CSWT', toArea: { fact: 'event.area' } });
    expect(rule.handover).toMatchObject({ within: '10 working days', after: 'trigger' });
    // The rule is the timescale: a deadline beside it would escalate a late transfer twice.
    expect(pack.deadlines.map((d) => d.id)).not.toContainEqual(expect.stringMatching(/move|cin-meeting/));
    expect(pack.deadlines.every((d) => d.metBy.events.every((e) => e === 'TransitionPanelHeld'))).toBe(true);
  });

  it('§6: milestones at 17, 17½, 18, 25 and 26, each on the birthday', () => {
    expect(ages(pack)).toEqual([17, 17.5, 18, 25, 26]);
    expect(pack.ageMilestones.every((m) => m.ahead === undefined)).toBe(true);
  });
});

describe('004 southampton', () => {
  const pack = packOf('southampton');

  it('Principles 11–12: the tasks never delay the transfer, but are escalated', () => {
    expect(pack.checklists.gating).toBe('non-blocking-escalate');
    expect(pack.checklists.citation).toBe('004_3c7817f90012ec66.txt Principles 11, 12');
  });

  it('Transfer Standards for every transfer; the transfer summary for every one not from the CRS', () => {
    expect(template(pack, 'transfer-standards').appliesTo).toEqual({});
    expect(template(pack, 'transfer-summary').appliesTo.from).not.toContain('CRS');
  });

  it("Young People Service: both lists include a CERAF; the CRS list leaves out items 5, 6 and 8", () => {
    expect(template(pack, 'social-care-to-young-peoples-service').items.map((i) => i.id)).toContain('social-care-ceraf');
    expect(template(pack, 'social-care-to-young-peoples-service').items).toHaveLength(13);
    expect(template(pack, 'mash-to-young-peoples-service').items.map((i) => i.id)).toContain('ceraf');
    expect(template(pack, 'front-door-to-young-peoples-service').items.map((i) => i.id)).not.toContain('ceraf');
  });

  it('practice managers → service leads → heads of service', () => {
    expect(roles(pack)).toEqual(['Practice Managers', 'Service Leads', 'Heads of Service']);
  });

  it('Principle 3: all children allocated to a named worker at all times', () => {
    expect(pack.escalation.namedWorker.within).toBe('0 days');
  });

  it('CRS 1: a decision within 1 working day of receipt of contact', () => {
    expect(pack.deadlines).toEqual([
      expect.objectContaining({ id: 'crs-decision-within-1-working-day', metBy: { events: ['ThresholdDecisionMade'] }, within: '1 working day' }),
      expect.objectContaining({
        id: 'step-down-panel-referral-lapses',
        metBy: { events: ['WorkerAllocated'], conditions: [{ fact: 'event.team', is: 'CFF' }] },
        within: '20 working days',
        whenMissed: 'lapse',
      }),
    ]);
  });

  it('CFF 11: headline information at least 48 hours before the panel meeting', () => {
    expect(item(pack, 'headline-information-to-panel').due).toEqual({ within: '48 hours', before: { meeting: 'step-down-panel' } });
  });

  it('CFF 15: the joint visit within five days of allocation', () => {
    expect(item(pack, 'joint-visit-after-allocation').due).toEqual({ within: '5 days', after: 'handover' });
  });

  it('PTC 8, PTC 10: a milestone at 18', () => {
    expect(ages(pack)).toEqual([18]);
  });
});

describe('policy validate: escalatesAlone and requestedTransfers (issue 16)', () => {
  const southampton = fs.readFileSync(path.join(DEFAULT_POLICIES_DIR, 'southampton.yaml'), 'utf8');
  const errorsOf = (text: string) => {
    const result = checkPolicyPack(text);
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('loads an item marked escalatesAlone', () => {
    const marked = southampton.replace(
      '        - id: supervision-records-up-to-date\n',
      '        - id: supervision-records-up-to-date\n          escalatesAlone: true\n',
    );
    const result = checkPolicyPack(marked);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.pack.checklists.templates.flatMap((t) => t.items).filter((i) => i.escalatesAlone).map((i) => i.id)).toEqual(['supervision-records-up-to-date']);
  });

  it('refuses one item escalated alone in one template and with the others in another', () => {
    // An author copies the Transfer Standards' smart-plan into a Young People Service list, marked alone there only.
    const copied = southampton.replace(
      '        - id: case-summary\n          description: Case summary\n',
      '        - id: case-summary\n          description: Case summary\n        - id: smart-plan\n          description: copied\n          escalatesAlone: true\n',
    );
    expect(errorsOf(copied)).toEqual([expect.stringMatching(/escalatesAlone: item smart-plan is escalated alone in one template and with the other unmet items in another/)]);
  });

  it('pins the southampton requested-transfer timescale to Principles 8 and 11, and refuses an unknown meeting', () => {
    expect(packOf('southampton').requestedTransfers).toEqual({
      citation: expect.stringMatching(/^004_3c7817f90012ec66\.txt Principles 8, 11; Transfer Standards 1/),
      handover: expect.objectContaining({ within: '1 working day', after: 'trigger' }),
    });
    expect(errorsOf(southampton.replace('    within: 1 working day\n    after: trigger\n', '    meeting: no-such-meeting\n'))).toEqual([
      expect.stringMatching(/^\/requestedTransfers\/handover\/meeting: unknown meeting kind no-such-meeting/),
    ]);
  });
});

describe('policy validate: holdingTeams, the import\'s assumed team per involvement (issue 17)', () => {
  const kent = fs.readFileSync(path.join(DEFAULT_POLICIES_DIR, 'kent.yaml'), 'utf8');
  const errorsOf = (text: string) => {
    const result = checkPolicyPack(text);
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('every pack names a team of its own for each kind of involvement a return can show', () => {
    for (const id of ['kent', 'southampton', 'internal-transfer-v11', 'case-transfer-protocol-2023', 'casework-transfer-policy'] as const) {
      const pack = packOf(id);
      expect(Object.keys(pack.holdingTeams ?? {}).sort()).toEqual(['assessment', 'care-leaver', 'child-in-need', 'child-protection', 'looked-after', 'referral']);
      for (const team of Object.values(pack.holdingTeams ?? {})) expect(pack.teams.map((t) => t.code)).toContain(team);
    }
  });

  it('refuses a team the pack does not have, and a kind of involvement the returns do not show', () => {
    expect(errorsOf(kent.replace('  looked-after: CIC\n', '  looked-after: CICX\n'))).toEqual(['/holdingTeams/looked-after: unknown team CICX']);
    expect(errorsOf(kent.replace('  looked-after: CIC\n', '  fostered: CIC\n'))).toEqual([expect.stringMatching(/^\/holdingTeams\/fostered: /)]);
  });
});

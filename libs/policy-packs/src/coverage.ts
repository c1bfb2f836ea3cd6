/**
 * policies/COVERAGE.md: for each seed document, its transfer points by paragraph or heading and the
 * rules that encode them; its transfer standards (checklist templates and items), escalation ladder,
 * deadlines and age milestones, each with its citation; then what is deliberately not encoded and
 * why. Generated from the packs
 * (`npm run policy -- coverage`), so it cannot drift from them; a test compares the committed file
 * with a fresh rendering.
 */
import * as path from 'node:path';
import { describeDestination, outcomeOf, type ChecklistTemplate, type Condition, type HandoverPoint, type PolicyPack, type TransferRule } from '@cto/domain';
import { DEFAULT_POLICIES_DIR } from './load-policy-pack';

export const COVERAGE_FILE = path.join(DEFAULT_POLICIES_DIR, 'COVERAGE.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function describeHandover(h: HandoverPoint): string {
  const timescale = h.within || h.after || h.before ? ` (${[h.within, h.before ? 'before' : h.after ? 'after' : '', anchor(h.before ?? h.after)].filter(Boolean).join(' ')})` : '';
  const onFact = h.onFact
    ? ` (on ${h.onFact.events.join(' or ')}${h.onFact.conditions?.length ? ` where ${h.onFact.conditions.map(describeCondition).join('; ')}` : ''}${
        h.onFact.lapsesOn ? `; withdrawn if ${h.onFact.lapsesOn.map((l) => l.description).join('; or ')}` : ''
      })`
    : '';
  const earliest = h.earliestOf ? ` (the earliest of: ${h.earliestOf.map(describeHandover).join('; ')})` : '';
  return `${h.description}${timescale}${onFact}${earliest}${h.tooFarAway ? `; if more than ${h.tooFarAway.moreThan} away: ${h.tooFarAway.then.description}` : ''}`;
}

const anchor = (a: HandoverPoint['after']): string =>
  a === undefined ? '' : a === 'trigger' ? 'the trigger' : 'meeting' in a ? `the ${a.meeting}` : `age ${a.age}`;

/** A citation without the pack's source file name, which every citation starts with. */
const cited = (pack: PolicyPack, citation: string | undefined): string =>
  citation === undefined ? '' : cell(citation.startsWith(pack.source) ? citation.slice(pack.source.length).trim() : citation);

function describeCondition(c: Condition): string {
  if ('anyOf' in c) return `any of (${c.anyOf.map(describeCondition).join('; ')})`;
  const { fact, ...operator } = c;
  const [op, value] = Object.entries(operator)[0] as [string, unknown];
  if (op === 'present') return `${fact} ${value ? 'is recorded' : 'is not recorded'}`;
  return `${fact} ${op} ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`;
}

function describeAppliesTo(t: ChecklistTemplate): string {
  const { from, to, rules } = t.appliesTo;
  const parts = [from && `from ${from.join(', ')}`, to && `to ${to.join(', ')}`, rules && `rules ${rules.map((r) => `\`${r}\``).join(', ')}`].filter(Boolean);
  return parts.length ? parts.join('; ') : 'every transfer';
}

function describeDue(due: PolicyPack['checklists']['templates'][number]['items'][number]['due']): string {
  if (!due) return 'by the handover point';
  const from = due.before ?? due.after;
  const anchor = typeof from === 'object' ? `the ${from.meeting} date (MeetingScheduled)` : from === 'proposal' ? 'the proposal' : 'the handover point';
  if (/^0 /.test(due.within)) return `on the day of ${anchor}`;
  return `within ${due.within} ${due.before ? 'before' : 'after'} ${anchor}`;
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function summary(pack: PolicyPack): string {
  const items = pack.checklists.templates.reduce((n, t) => n + t.items.length, 0);
  return [
    count(pack.rules.length, 'rule'),
    `${count(pack.checklists.templates.length, 'checklist template')} (${count(items, 'item')})`,
    `${count(pack.escalation.ladder.length, 'escalation rung')}`,
    count(pack.deadlines.length, 'deadline'),
    count(pack.ageMilestones.length, 'age milestone'),
    count(pack.notEncoded.length, 'entry not encoded', 'entries not encoded'),
  ].join(', ');
}

/** The four procedure sections of a pack: transfer standards, escalation ladder, deadlines, age milestones. */
function renderProcedures(pack: PolicyPack): string[] {
  const lines: string[] = [];
  const { checklists, escalation } = pack;
  const items = checklists.templates.reduce((n, t) => n + t.items.length, 0);
  lines.push(`### Transfer standards (checklists)`, '');
  if (!checklists.templates.length) lines.push('None: transfers open no checklist.', '');
  else {
    const gating = checklists.gating === 'blocking' ? 'blocking (a transfer cannot be accepted or completed until every item is met)' : 'non-blocking-escalate (never delays a transfer; an item unmet by its due date is escalated)';
    lines.push(`Gating: ${gating}, per ${cited(pack, checklists.citation)}. ${checklists.templates.length} templates, ${items} items.`, '');
    for (const t of checklists.templates) {
      lines.push(`Template \`${t.id}\`, ${cell(t.title)} (${cited(pack, t.citation)}); opened for ${cell(describeAppliesTo(t))}:`, '');
      lines.push('| item | what must be done | due | cited paragraph or heading |', '|---|---|---|---|');
      for (const i of t.items) lines.push(`| \`${i.id}\` | ${cell(i.description)} | ${cell(describeDue(i.due))}${i.escalatesAlone ? ' (escalated on its own)' : ''} | ${cited(pack, i.citation ?? t.citation)} |`);
      lines.push('');
    }
  }
  lines.push('### Escalation ladder', '');
  if (!escalation.ladder.length) lines.push('None: nothing can be escalated.', '');
  else {
    lines.push(`Per ${cited(pack, escalation.citation)}.`, '', '| rung | role | has, before the next rung is told | cited paragraph or heading |', '|---|---|---|---|');
    const timescale = (i: number): string => {
      const rung = escalation.ladder[i];
      const next = escalation.ladder[i + 1];
      if (rung.within) return rung.within;
      if (!next) return rung.reachedBy === 'request' ? '(top rung; reached only when the rung below escalates it by hand)' : '(top rung)';
      return `no timescale: rung ${i + 2} only when this rung escalates it by hand`;
    };
    escalation.ladder.forEach((rung, i) => lines.push(`| ${i + 1} | ${cell(rung.role)} | ${timescale(i)} | ${cited(pack, rung.citation ?? escalation.citation)} |`));
    // A notice beside a rung (alsoTell), e.g. 003 §4's Child Protection Chair or IRO "kept updated".
    const notices = escalation.ladder.flatMap((rung, i) =>
      (rung.alsoTell ?? []).map((n) => {
        const only = [n.reasons ? `for ${n.reasons.join(', ')}` : '', n.when ? `where ${n.when.map(describeCondition).join(' and ')}` : ''].filter(Boolean).join('; ');
        return `| ${i + 1} | ${cell(n.role)} | ${cell(only || 'always')} | ${cited(pack, n.citation)} |`;
      }),
    );
    if (notices.length) lines.push('', 'Also told beside a rung (a notice, not a rung: the matter stays with the rung\'s role):', '', '| rung | also told | when | cited paragraph or heading |', '|---|---|---|---|', ...notices);
    const entries = Object.entries(escalation.entry).filter(([, rung]) => rung !== undefined && rung !== 1);
    lines.push('');
    lines.push(entries.length ? `Raised above rung 1: ${entries.map(([reason, rung]) => `${reason} at rung ${rung}`).join(', ')}; every other reason at rung 1.` : 'Every reason is raised at rung 1.', '');
    const delayed = pack.rules.filter((r) => r.overdueAs === 'inter-authority-delay');
    if (delayed.length) lines.push(`A transfer not done by its handover point is escalated as inter-authority-delay, not overdue, for rules ${delayed.map((r) => `\`${r.id}\``).join(', ')}.`, '');
    const who = escalation.namedWorker.children === 'every-child-held-by-a-team' ? 'Every child a team holds or on a child in need plan' : 'A child on a child protection plan or looked after';
    lines.push(`${who} must have a named worker within ${escalation.namedWorker.within} (${cited(pack, escalation.namedWorker.citation)}).`, '');
  }
  if (pack.requestedTransfers) {
    lines.push(
      '### Requested transfers',
      '',
      `A manager's TransferRequested on a route no rule takes is proposed as \`requested-transfer\`, due ${cell(pack.requestedTransfers.handover.description)} (${cited(pack, pack.requestedTransfers.citation)}).`,
      '',
    );
  }
  if (pack.siblings) lines.push(...renderSiblings(pack, pack.siblings));
  lines.push('### Deadlines', '');
  if (!pack.deadlines.length) lines.push('None.', '');
  else {
    lines.push('| cited paragraph or heading | deadline | starts with | met by | within |', '|---|---|---|---|---|');
    const deadlines = [...pack.deadlines].sort((a, b) => a.citation.localeCompare(b.citation, 'en', { numeric: true }) || a.id.localeCompare(b.id));
    for (const d of deadlines) {
      const starts = `${d.starts.events.join(' or ')}${d.starts.conditions.length ? ` where ${d.starts.conditions.map(describeCondition).join(' and ')}` : ''}`;
      lines.push(`| ${cited(pack, d.citation)} | \`${d.id}\`: ${cell(d.title)} | ${cell(starts)} | ${cell(`${d.metBy.events.join(' or ')}${d.metBy.conditions?.length ? ` where ${d.metBy.conditions.map(describeCondition).join(' and ')}` : ''}`)} | ${d.within}${d.whenMissed === 'lapse' ? '; missed, what it started lapses (not escalated)' : ''} |`);
    }
    lines.push('');
  }
  lines.push('### Age milestones', '');
  if (!pack.ageMilestones.length) lines.push('None beyond the ages the rules name.', '');
  else {
    lines.push('| age | announced | cited paragraph or heading |', '|---|---|---|');
    for (const m of [...pack.ageMilestones].sort((a, b) => a.ageYears - b.ageYears)) {
      lines.push(`| ${m.ageYears} | ${m.ahead ? `${m.ahead} before the birthday` : 'on the birthday'}${m.warnAhead ? `; warned ${m.warnAhead.join(', ')} before` : ''} | ${cited(pack, m.citation)} |`);
    }
    lines.push('');
  }
  return lines;
}

/** Which transfers take a child's siblings along: every transfer, or those of the rules a sibling rule names. */
function renderSiblings(pack: PolicyPack, siblings: NonNullable<PolicyPack['siblings']>): string[] {
  if (!Array.isArray(siblings)) {
    return ['### Siblings', '', `Every transfer takes the siblings held by the same team along, with the child's handover point, unless a separation is recorded (${cited(pack, siblings.citation)}).`, ''];
  }
  const lines = ['### Siblings', '', 'Only the transfers of these rules take the siblings held by the same team along, unless a separation is recorded.', ''];
  lines.push('| cited paragraph or heading | sibling rule | taken along by | which siblings | their handover point |', '|---|---|---|---|---|');
  for (const s of siblings) {
    const which = s.when?.length ? s.when.map(describeCondition).join(' and ') : 'every sibling';
    lines.push(`| ${cited(pack, s.citation)} | \`${s.id}\` v${s.version} | ${s.rules.map((r) => `\`${r}\``).join(', ')} | ${cell(which)} | ${cell(s.handover ? describeHandover(s.handover) : "the child's own")} |`);
  }
  lines.push('');
  return lines;
}

/** "A&I → FSP"; a co-work: "CLA, with LCS co-working"; remains: "CAI: remains". */
function describeRoute(rule: TransferRule): string {
  const from = rule.from.join(', ');
  switch (outcomeOf(rule)) {
    case 'remains':
      return `${from}: remains (no transfer)`;
    case 'co-work':
      return `${from}, with ${describeDestination(rule.to)} co-working (no transfer)`;
    default:
      return `${from} → ${describeDestination(rule.to)}${rule.toArea ? ` in the area in ${rule.toArea.fact}` : ''}`;
  }
}

const describeHold = (rule: TransferRule): string =>
  rule.holdsWhile?.length ? `none; no other rule moves the child while ${rule.holdsWhile.map(describeCondition).join(' and ')}` : 'none';

export function renderCoverage(packs: PolicyPack[]): string {
  const lines = [
    '# Coverage of the source procedures',
    '',
    'Generated from `policies/*.yaml` by `npm run policy -- coverage`; do not edit by hand (a test',
    'fails when this file and the packs disagree). For each seed document: every transfer point the',
    'pack encodes, by the paragraph or heading it cites; its transfer standards (checklists), escalation',
    'ladder, deadlines and age milestones; and what the pack deliberately leaves out.',
    '',
    'What a pack leaves out may only be a fact no case event carries, or a matter the procedure leaves',
    "to managers' judgement (a test refuses any other reason, such as a limit of the pack format).",
    '',
    '| source | pack | version | rules | not encoded |',
    '|---|---|---|---|---|',
  ];
  const bySource = [...packs].sort((a, b) => a.source.localeCompare(b.source));
  for (const pack of bySource) lines.push(`| ${pack.source} | \`${pack.id}\` | ${pack.version} | ${pack.rules.length} | ${pack.notEncoded.length} |`);
  lines.push('');
  for (const pack of bySource) {
    lines.push(`## ${pack.source}: ${pack.title}`, '');
    lines.push(`Pack \`${pack.id}\` version ${pack.version}, in force for ${pack.authorities.map((a) => `\`${a}\``).join(', ')}. ${summary(pack)}.`, '');
    lines.push('### Transfer points (rules)', '');
    lines.push('| cited paragraph or heading | rule | from → to | handover point |', '|---|---|---|---|');
    const rules = [...pack.rules].sort((a, b) => a.citation.localeCompare(b.citation, 'en', { numeric: true }) || a.id.localeCompare(b.id));
    for (const r of rules) {
      const citation = r.citation.startsWith(pack.source) ? r.citation.slice(pack.source.length).trim() : r.citation;
      lines.push(`| ${cell(citation)} | \`${r.id}\` v${r.version} | ${cell(describeRoute(r))} | ${cell(outcomeOf(r) === 'remains' ? describeHold(r) : describeHandover(r.handover))} |`);
    }
    lines.push('');
    const read = rules.filter((r) => r.reading);
    if (read.length) {
      lines.push('How the pack reads words tied to time passing, and so what proposes the transfer:', '');
      lines.push('| rule | the words | the reading |', '|---|---|---|');
      for (const r of read) lines.push(`| \`${r.id}\` | ${cited(pack, r.reading!.citation)} | ${cell(r.reading!.text)} |`);
      lines.push('');
    }
    lines.push(...renderProcedures(pack));
    if (pack.notEncoded.length) {
      lines.push('### Not encoded, deliberately', '', '| cited paragraph or heading | what it asks | why it is not encoded here |', '|---|---|---|');
      for (const n of pack.notEncoded) {
        const citation = n.citation.startsWith(pack.source) ? n.citation.slice(pack.source.length).trim() : n.citation;
        lines.push(`| ${cell(citation)} | ${cell(n.what)} | ${cell(n.why)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * policies/COVERAGE.md: for each seed document, its transfer points by paragraph or heading and the
 * rules that encode them, then what is deliberately not encoded and why. Generated from the packs
 * (`npm run policy -- coverage`), so it cannot drift from them; a test compares the committed file
 * with a fresh rendering.
 */
import * as path from 'node:path';
import { describeDestination, type HandoverPoint, type PolicyPack } from '@cto/domain';
import { DEFAULT_POLICIES_DIR } from './load-policy-pack';

export const COVERAGE_FILE = path.join(DEFAULT_POLICIES_DIR, 'COVERAGE.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function describeHandover(h: HandoverPoint): string {
  const timescale = h.within || h.after || h.before ? ` (${[h.within, h.before ? 'before' : h.after ? 'after' : '', anchor(h.before ?? h.after)].filter(Boolean).join(' ')})` : '';
  return `${h.description}${timescale}${h.tooFarAway ? `; if more than ${h.tooFarAway.moreThan} away: ${h.tooFarAway.then.description}` : ''}`;
}

const anchor = (a: HandoverPoint['after']): string =>
  a === undefined ? '' : a === 'trigger' ? 'the trigger' : 'meeting' in a ? `the ${a.meeting}` : `age ${a.age}`;

export function renderCoverage(packs: PolicyPack[]): string {
  const lines = [
    '# Coverage of the source procedures',
    '',
    'Generated from `policies/*.yaml` by `npm run policy -- coverage`; do not edit by hand (a test',
    'fails when this file and the packs disagree). For each seed document: every transfer point the',
    'pack encodes, by the paragraph or heading it cites, and what the pack deliberately leaves out.',
    '',
  ];
  for (const pack of [...packs].sort((a, b) => a.source.localeCompare(b.source))) {
    lines.push(`## ${pack.source}: ${pack.title}`, '');
    lines.push(`Pack \`${pack.id}\` version ${pack.version}, in force for ${pack.authorities.map((a) => `\`${a}\``).join(', ')}. ${pack.rules.length} rules.`, '');
    lines.push('| cited paragraph or heading | rule | from → to | handover point |', '|---|---|---|---|');
    const rules = [...pack.rules].sort((a, b) => a.citation.localeCompare(b.citation, 'en', { numeric: true }) || a.id.localeCompare(b.id));
    for (const r of rules) {
      const citation = r.citation.startsWith(pack.source) ? r.citation.slice(pack.source.length).trim() : r.citation;
      lines.push(`| ${cell(citation)} | \`${r.id}\` v${r.version} | ${cell(`${r.from.join(', ')} → ${describeDestination(r.to)}`)} | ${cell(describeHandover(r.handover))} |`);
    }
    lines.push('');
    if (pack.notEncoded.length) {
      lines.push('Not encoded, deliberately:', '', '| cited paragraph or heading | what it asks | why it is not a rule here |', '|---|---|---|');
      for (const n of pack.notEncoded) {
        const citation = n.citation.startsWith(pack.source) ? n.citation.slice(pack.source.length).trim() : n.citation;
        lines.push(`| ${cell(citation)} | ${cell(n.what)} | ${cell(n.why)} |`);
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

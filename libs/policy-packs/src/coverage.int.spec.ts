import * as fs from 'node:fs';
import { COVERAGE_FILE, renderCoverage } from './coverage';
import { loadPolicyPacks } from './load-policy-pack';

describe('policies/COVERAGE.md', () => {
  const packs = loadPolicyPacks();

  it('is what the packs say now (regenerate with `npm run policy -- coverage`)', () => {
    expect(fs.readFileSync(COVERAGE_FILE, 'utf8')).toBe(renderCoverage(packs));
  });

  it('accounts for every rule of every pack', () => {
    const text = renderCoverage(packs);
    for (const pack of packs) for (const rule of pack.rules) expect(text).toContain(`\`${rule.id}\``);
  });

  it('lists every checklist template and item, every rung, deadline and age milestone of every pack', () => {
    const text = renderCoverage(packs);
    for (const pack of packs) {
      const section = text.slice(text.indexOf(`## ${pack.source}`)).split('\n## ')[0];
      for (const template of pack.checklists.templates) {
        expect(section).toContain(`Template \`${template.id}\``);
        for (const item of template.items) expect(section).toContain(`| \`${item.id}\` |`);
      }
      pack.escalation.ladder.forEach((rung, i) => expect(section).toContain(`| ${i + 1} | ${rung.role} |`));
      for (const deadline of pack.deadlines) expect(section).toContain(`\`${deadline.id}\``);
      for (const milestone of pack.ageMilestones) expect(section).toContain(`| ${milestone.ageYears} |`);
    }
  });

  it('shows a section with nothing in it as such, not as an empty table', () => {
    const [pack] = packs;
    const bare = { ...pack, checklists: { ...pack.checklists, templates: [] }, escalation: { ...pack.escalation, ladder: [] }, deadlines: [], ageMilestones: [] };
    const text = renderCoverage([bare]);
    expect(text).toContain('None: transfers open no checklist.');
    expect(text).toContain('None: nothing can be escalated.');
    expect(text).toContain('None beyond the ages the rules name.');
  });
});

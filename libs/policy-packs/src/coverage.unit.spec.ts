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
});

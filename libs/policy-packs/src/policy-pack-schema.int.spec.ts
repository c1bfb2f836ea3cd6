import * as fs from 'node:fs';
import { CHILD_FACTS, parseDuration } from '@cto/domain';
import { POLICY_PACK_SCHEMA_FILE } from './policy-pack-schema';

// The schema is the documentation a team manager reads (facts.ts: "a team manager can read the
// list in the pack schema's documentation"), so it must keep up with the domain.
describe('policies/policy-pack.schema.json', () => {
  const schema = JSON.parse(fs.readFileSync(POLICY_PACK_SCHEMA_FILE, 'utf8'));

  it('documents every child fact the engine can answer', () => {
    const documented: string = schema.$defs.factCondition.properties.fact.description;
    const missing = Object.keys(CHILD_FACTS).filter((name) => !new RegExp(`\\b${name.replace(/\./g, '\\.')}\\b`).test(documented));
    expect(missing).toEqual([]);
  });

  it('gives only durations the domain reads as examples', () => {
    for (const example of schema.$defs.duration.examples as string[]) expect(() => parseDuration(example)).not.toThrow();
  });

  it('describes every property and closes every object', () => {
    const undocumented: string[] = [];
    const open: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const s = node as Record<string, unknown>;
      if (s.type === 'object' && s.additionalProperties !== false) open.push(at);
      for (const [name, property] of Object.entries((s.properties as Record<string, Record<string, unknown>>) ?? {})) {
        const ref = typeof property.$ref === 'string' ? schema.$defs[property.$ref.replace('#/$defs/', '')] : undefined;
        if (typeof property.description !== 'string' && typeof ref?.description !== 'string') undocumented.push(`${at}/properties/${name}`);
      }
      for (const [key, child] of Object.entries(s)) visit(child, `${at}/${key}`);
    };
    visit(schema, '#');
    expect({ undocumented, open }).toEqual({ undocumented: [], open: [] });
  });
});

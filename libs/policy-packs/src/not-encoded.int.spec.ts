/**
 * What a shipped pack leaves out (`notEncoded`) may only be a fact no case event carries, or a
 * matter the procedure leaves to managers' judgement (issue 16). A limit of the pack format is
 * never a reason: the format grows instead. This reads every entry's `why` for the words such a
 * reason uses, so an entry that slips back in fails here, naming the pack and the citation.
 */
import { DEFAULT_POLICIES_DIR, loadPolicyPacks } from './index';

const FORMAT_LIMIT = /\bformat\b|cannot (?:be )?express|can't express|not expressible|needs a timer|timer trigger|\b(?:lifecycle|escalation|reconciliation) issue|not yet (?:in|supported)/i;

describe('notEncoded reasons in the shipped packs', () => {
  const packs = loadPolicyPacks(DEFAULT_POLICIES_DIR);

  it('reads every pack', () => expect(packs.map((p) => p.id).sort()).toEqual(['case-transfer-protocol-2023', 'casework-transfer-policy', 'internal-transfer-v11', 'kent', 'southampton']));

  it.each(packs.map((p) => [p.id, p] as const))('%s gives no limit of the format as a reason', (_id, pack) => {
    const offending = pack.notEncoded.filter((n) => FORMAT_LIMIT.test(n.why)).map((n) => `${n.citation}: ${n.why}`);
    expect(offending).toEqual([]);
  });

  it('the check itself catches a format reason', () => {
    expect(FORMAT_LIMIT.test('a handover cannot take the earlier of two timescales (not in the format yet)')).toBe(true);
    expect(FORMAT_LIMIT.test('firing at 12 weeks itself needs a timer trigger')).toBe(true);
    expect(FORMAT_LIMIT.test('it belongs to the allocation invariants (lifecycle issue)')).toBe(true);
    expect(FORMAT_LIMIT.test("no case event records the panel's discussion")).toBe(false);
    expect(FORMAT_LIMIT.test('the rules test the primary issue and the age')).toBe(false);
  });
});

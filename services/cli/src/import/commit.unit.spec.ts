import type { CaseEvent } from '@cto/domain';
import type { PreparedCaseload } from '@cto/statutory-returns';
import { batchesOf, MAX_BATCH } from './commit';

const child = (childId: string, n: number) => ({
  childId,
  facts: Array.from({ length: n }, (_, i) => ({ eventId: `${childId}-${i}` }) as CaseEvent),
  assumptions: [],
  current: undefined,
});
const caseload = (...children: ReturnType<typeof child>[]): PreparedCaseload => ({ source: 'ssda903', authority: 'demo', childrenRead: children.length, children, refusals: [], refusedChildren: [] });

describe('batchesOf', () => {
  it('fills batches up to the endpoint limit without splitting a child', () => {
    const batches = batchesOf(caseload(child('A', 300), child('B', 150), child('C', 100), child('D', 500)));
    expect(batches.map((b) => b.length)).toEqual([450, 100, 500]);
    expect(batches[1].every((e) => e.eventId.startsWith('C-'))).toBe(true);
  });

  it('refuses a child with more events than one request may carry, rather than split it', () => {
    expect(() => batchesOf(caseload(child('A', MAX_BATCH + 1)))).toThrow(`child A has ${MAX_BATCH + 1} events, more than one request may carry (${MAX_BATCH})`);
  });

  it('gives no batch for no children', () => {
    expect(batchesOf(caseload())).toEqual([]);
  });
});
